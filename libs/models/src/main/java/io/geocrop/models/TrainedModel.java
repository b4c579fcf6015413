package io.geocrop.models;

/** The result of training: the servable model (with its card, metrics filled in) and the full evaluation. */
public record TrainedModel(ModelArtifact artifact, Evaluation evaluation) {}
