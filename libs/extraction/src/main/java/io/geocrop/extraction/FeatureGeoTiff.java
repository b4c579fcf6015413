package io.geocrop.extraction;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.features.FeatureOrder;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature GeoTIFF of one job tile: 512 x 512 float32 pixels on the tile's UTM grid, one band per feature of
 * {@link FeatureOrder#FEATURE_ORDER_V1} with the feature's name as band description, nodata NaN, and in GDAL's
 * metadata the feature-order hash (score-tile refuses a file whose hash its model was not trained on), the job,
 * the tile, the season and the imagery items used. Any GeoTIFF with these 51 bands is scored the same way.
 */
public final class FeatureGeoTiff {
    /** Metadata key of the feature-order hash. */
    public static final String FEATURE_ORDER_HASH = "GEOCROP_FEATURE_ORDER_HASH";
    /** Metadata key of the feature-order name. */
    public static final String FEATURE_ORDER = "GEOCROP_FEATURE_ORDER";
    /** Metadata key of the job id. */
    public static final String JOB_ID = "GEOCROP_JOB_ID";
    /** Metadata key of the job tile id. */
    public static final String TILE_ID = "GEOCROP_TILE_ID";
    /** Metadata key of the season year. */
    public static final String SEASON = "GEOCROP_SEASON";
    /** Metadata key of the imagery item ids, comma-separated, in acquisition order. */
    public static final String ITEMS = "GEOCROP_IMAGERY_ITEMS";

    private FeatureGeoTiff() {}

    /** What a feature tile records besides its pixels. */
    public record Provenance(String jobId, JobTile tile, int season, List<String> itemIds) {
        /** Copies the list. */
        public Provenance {
            itemIds = List.copyOf(itemIds);
        }
    }

    /** The description of a feature tile (size, grid, bands, nodata, metadata). */
    public static RasterMetadata metadata(Provenance provenance) {
        JobTile tile = provenance.tile();
        Map<String, String> items = new LinkedHashMap<>();
        items.put(FEATURE_ORDER, "FEATURE_ORDER_V1");
        items.put(FEATURE_ORDER_HASH, FeatureOrder.HASH_V1);
        items.put(JOB_ID, provenance.jobId());
        items.put(TILE_ID, tile.id());
        items.put(SEASON, Integer.toString(provenance.season()));
        items.put(ITEMS, String.join(",", provenance.itemIds()));
        int size = ProcessingGrid.TILE_SIZE_PX;
        return new RasterMetadata(size, size, FeatureOrder.COUNT, SampleType.FLOAT32,
                GeoTransform.northUp(tile.minX(), tile.maxY(), ProcessingGrid.PIXEL_SIZE_M, ProcessingGrid.PIXEL_SIZE_M),
                tile.epsg(), Double.NaN, FeatureOrder.FEATURE_ORDER_V1, List.of(), List.of(), items, null);
    }

    /**
     * Writes {@code features[feature][pixel]} (row-major, 512 x 512) as a COG at {@code out}: 512 px tiles,
     * DEFLATE with the floating-point predictor, no overviews (the file is read whole by score-tile).
     */
    public static void write(Path out, Provenance provenance, float[][] features) throws IOException {
        if (features.length != FeatureOrder.COUNT) {
            throw new IllegalArgumentException("a feature tile has " + FeatureOrder.COUNT + " bands, got " + features.length);
        }
        int size = ProcessingGrid.TILE_SIZE_PX;
        Raster raster = Raster.wrap(size, size, SampleType.FLOAT32, (Object[]) features);
        CogWriteOptions options = CogWriteOptions.builder().tileSize(size).overviewCount(0).build();
        CogWriter.write(out, metadata(provenance), raster, options);
    }
}
