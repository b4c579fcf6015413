package io.geocrop.domain;

/** A validated request for a crop map: where and which season. */
public record JobRequest(Aoi aoi, Season season) {}
