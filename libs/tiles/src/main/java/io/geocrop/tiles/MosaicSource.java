package io.geocrop.tiles;

/**
 * One COG of a {@link CogMosaic}: its key, the ETag it had when indexed, and its footprint.
 */
public record MosaicSource(String key, String eTag, LayerFootprint footprint) {}
