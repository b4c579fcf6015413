package io.geocrop.tiles;

import io.geocrop.raster.GeoTiff;
import io.geocrop.storage.Bucket;

/**
 * A COG opened from object storage, with the ETag it had when opened and its footprint.
 *
 * @param eTag the object's ETag (without quotes); tiles and their HTTP ETags derive from it
 */
public record OpenCog(Bucket bucket, String key, String eTag, GeoTiff tiff, LayerFootprint footprint) {}
