package io.geocrop.scoring;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.extraction.TileExtraction;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.TestModels;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Synthetic feature tiles written by the real {@link FeatureGeoTiff} writer: each 64 x 64 block of the 512 x 512 tile
 * holds the small test model's prototype row of one class, so the expected class of every pixel is known; the
 * top-left 64 x 64 block is NaN (no imagery: nodata).
 */
final class TestFeatures {
    static final int SIZE = ProcessingGrid.TILE_SIZE_PX;
    static final int BLOCK = 64;
    private static float[][] features;

    private TestFeatures() {}

    /** The class the small model should give pixel (x, y); 0 for the NaN block. */
    static int expectedClass(int x, int y) {
        int bx = x / BLOCK;
        int by = y / BLOCK;
        if (bx == 0 && by == 0) {
            return 0;
        }
        return 1 + (bx + 3 * by) % 11;
    }

    /** {@code [feature][pixel]} of the pattern; shared, never modify. */
    static synchronized float[][] features() {
        if (features == null) {
            float[][] f = new float[FeatureOrder.COUNT][SIZE * SIZE];
            float[][] prototypes = new float[12][];
            for (int c = 1; c <= 11; c++) {
                prototypes[c] = TestModels.prototypeRow(c);
            }
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int c = expectedClass(x, y);
                    for (int b = 0; b < FeatureOrder.COUNT; b++) {
                        f[b][y * SIZE + x] = c == 0 ? Float.NaN : prototypes[c][b];
                    }
                }
            }
            features = f;
        }
        return features;
    }

    /** Writes the pattern with {@link FeatureGeoTiff#write} (DEFLATE, as extract-features does) and returns the file. */
    static Path write(Path dir, String jobId, JobTile tile, List<String> items) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "features-", ".tif");
        FeatureGeoTiff.write(file, new FeatureGeoTiff.Provenance(jobId, tile, 2024, items), features());
        return file;
    }

    /**
     * The same feature GeoTIFF ({@link FeatureGeoTiff#metadata}: bands, names, hash, provenance) but uncompressed, which
     * is several times quicker to write and read on a busy machine; any such GeoTIFF is scored the same way.
     */
    static Path writeUncompressed(Path dir, String jobId, JobTile tile, List<String> items) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "features-", ".tif");
        RasterMetadata meta = FeatureGeoTiff.metadata(new FeatureGeoTiff.Provenance(jobId, tile, 2024, items));
        CogWriter.write(file, meta, Raster.wrap(SIZE, SIZE, SampleType.FLOAT32, (Object[]) features()),
                CogWriteOptions.builder().compression(CogWriteOptions.Compression.NONE).overviewCount(0).build());
        return file;
    }

    /** Writes the pattern for {@code tile} (uncompressed) and stores it at {@code bucket/key}. */
    static void put(ObjectStore store, Path dir, Bucket bucket, String key, String jobId, JobTile tile, List<String> items)
            throws IOException {
        Path file = writeUncompressed(dir, jobId, tile, items);
        try {
            store.put(bucket, key, file, TileExtraction.CONTENT_TYPE);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
