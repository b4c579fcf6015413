package io.geocrop.scoring;

import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.RasterMetadata;
import java.io.IOException;

/**
 * A feature GeoTIFF that passed {@link FeatureGeoTiffCheck}: open for reading, 51 float32 bands in
 * {@code FEATURE_ORDER_V1}, feature order matching the model. Closing it closes the underlying object source.
 *
 * @param object      {@code bucket/key}, for messages
 * @param eTag        the object's ETag, or null if the store did not say
 * @param size        bytes
 * @param tiff        the open file
 */
public record CheckedFeatureGeoTiff(String object, String eTag, long size, GeoTiff tiff) implements AutoCloseable {

    /** Size, grid and GDAL metadata of the file. */
    public RasterMetadata metadata() {
        return tiff.metadata();
    }

    /** A GDAL metadata item written by {@link FeatureGeoTiff} (e.g. {@link FeatureGeoTiff#JOB_ID}), or null. */
    public String item(String key) {
        return tiff.metadata().metadata().get(key);
    }

    @Override
    public void close() throws IOException {
        tiff.close();
    }
}
