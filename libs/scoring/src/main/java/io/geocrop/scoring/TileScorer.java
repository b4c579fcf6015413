package io.geocrop.scoring;

import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.models.ModelCard;
import io.geocrop.models.PixelClassifier;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Scores a feature GeoTIFF pixel by pixel and writes the result raster: band 1 class, band 2 confidence (uint8, nodata
 * 0), the same size, grid and CRS as the input, the class colour table, and metadata naming the model, the feature
 * order and the source ({@link ResultTiles}). The output is a COG (512 px tiles, DEFLATE; overviews by mode for
 * classes and average for confidence when larger than one tile) and its bytes depend only on the input pixels, the
 * model and the provenance, so scoring the same tile twice writes the same object.
 *
 * <p>Memory stays bounded whatever the input size: the file is read one 512 x 512 window at a time (all 51 bands,
 * 53 MB as floats), the window is classified in blocks of rows interleaved into a small row buffer, and results are
 * handed to {@link CogWriter} one tile row at a time.
 */
public final class TileScorer {
    /** COG tile size of result rasters, and the read window. */
    public static final int BLOCK = 512;
    /** Floats per classification batch (8 MiB): rows of 51 features, interleaved. */
    private static final int BATCH_FLOATS = 2 << 20;

    private final ObjectStore store;
    private final Path workDir;
    private final Consumer<Scored> onScored;

    /**
     * @param workDir where result rasters are written before upload (one temporary file per tile in flight)
     */
    public TileScorer(ObjectStore store, Path workDir) {
        this(store, workDir, scored -> {});
    }

    /**
     * As above, telling {@code onScored} about every result written (score-tile counts tiles and pixels with it).
     */
    public TileScorer(ObjectStore store, Path workDir, Consumer<Scored> onScored) {
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.onScored = Objects.requireNonNull(onScored, "onScored");
    }

    /**
     * What scoring wrote.
     *
     * @param key           the result object's key
     * @param pixels        pixels in the raster
     * @param scoredPixels  pixels that got a class (the rest had no features: nodata)
     * @param bytes         size of the result object
     */
    public record Scored(String key, long pixels, long scoredPixels, long bytes) {}

    /**
     * Scores {@code features} with {@code classifier} and stores the result under {@code outBucket/outKey}.
     *
     * @param extraMetadata more GDAL metadata items for the result (on top of the model's and the source's)
     * @throws ScoringException if the model takes another number of features than the file has bands
     * @throws IOException      if the feature file cannot be read or the result cannot be written
     */
    public Scored score(CheckedFeatureGeoTiff features, PixelClassifier classifier, Bucket outBucket, String outKey,
                        Map<String, String> extraMetadata) throws IOException {
        return score(features, classifier, outBucket, outKey, extraMetadata, null, () -> {});
    }

    /** Runs before a result is stored. */
    public interface BeforeStore {
        void run() throws IOException;
    }

    /**
     * As above, also counting every classified pixel's features into {@code histogram} (drift, {@link JobDrift}; null
     * for none) and running {@code beforeStore} once classification is done and before the result is stored.
     */
    public Scored score(CheckedFeatureGeoTiff features, PixelClassifier classifier, Bucket outBucket, String outKey,
                        Map<String, String> extraMetadata, io.geocrop.models.FeatureHistogram histogram,
                        BeforeStore beforeStore) throws IOException {
        RasterMetadata in = features.metadata();
        if (classifier.card().featureNames().size() != in.bands()) {
            throw new ScoringException(features.object(), "it has " + in.bands() + " bands but model "
                    + classifier.card().name() + " version " + classifier.card().version() + " takes "
                    + classifier.card().featureNames().size() + " features");
        }
        RasterMetadata out = resultMetadata(features, classifier.card(), extraMetadata);
        Files.createDirectories(workDir);
        Path file = Files.createTempFile(workDir, "result-", ".tif");
        try {
            long scored;
            try (CogWriter writer = CogWriter.create(file, out, writeOptions())) {
                scored = classifyInto(features, classifier, writer, histogram);
                writer.finish();
            }
            beforeStore.run();
            long bytes = Files.size(file);
            store.put(outBucket, outKey, file, ResultTiles.COG_CONTENT_TYPE);
            Scored result = new Scored(outKey, (long) in.width() * in.height(), scored, bytes);
            onScored.accept(result);
            return result;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The options of every scored raster: 512 px tiles, DEFLATE, mode overviews for classes, average for confidence. */
    public static CogWriteOptions writeOptions() {
        return CogWriteOptions.builder().tileSize(BLOCK)
                .overviewResampling(List.of(Resampling.MODE, Resampling.AVERAGE)).build();
    }

    private static RasterMetadata resultMetadata(CheckedFeatureGeoTiff features, ModelCard card, Map<String, String> extra) {
        RasterMetadata in = features.metadata();
        Map<String, String> items = new LinkedHashMap<>();
        for (String key : List.of(FeatureGeoTiff.JOB_ID, FeatureGeoTiff.TILE_ID, FeatureGeoTiff.SEASON, FeatureGeoTiff.ITEMS,
                FeatureGeoTiff.FEATURE_ORDER)) {
            String value = in.metadata().get(key);
            if (value != null) {
                items.put(key, value);
            }
        }
        items.put(FeatureGeoTiff.FEATURE_ORDER_HASH, card.featureOrderHash());
        items.put(ResultTiles.MODEL_NAME, card.name());
        items.put(ResultTiles.MODEL_VERSION, card.version());
        items.put(ResultTiles.MODEL_SYNTHETIC, Boolean.toString(card.synthetic()));
        ClassAreas.confusionItem(card).ifPresent(v -> items.put(ResultTiles.MODEL_HELD_OUT_CONFUSION, v));
        items.put(ResultTiles.SOURCE, features.object());
        if (features.eTag() != null) {
            items.put(ResultTiles.SOURCE_ETAG, features.eTag());
        }
        items.putAll(extra);
        return new RasterMetadata(in.width(), in.height(), 2, SampleType.UINT8, in.transform(), in.epsg(), 0.0,
                ResultTiles.BAND_DESCRIPTIONS, List.of(), List.of(), items, ResultTiles.COLOR_TABLE);
    }

    private static long classifyInto(CheckedFeatureGeoTiff features, PixelClassifier classifier, CogWriter writer,
                                     io.geocrop.models.FeatureHistogram histogram) throws IOException {
        RasterMetadata in = features.metadata();
        int width = in.width();
        int height = in.height();
        int bands = in.bands();
        long scored = 0;
        float[] rows = null;
        byte[] classes = null;
        byte[] confidence = null;
        for (int tileRow = 0; tileRow * BLOCK < height; tileRow++) {
            int y0 = tileRow * BLOCK;
            int h = Math.min(BLOCK, height - y0);
            Raster strip = Raster.allocate(width, h, 2, SampleType.UINT8);
            byte[] stripClass = strip.bytes(0);
            byte[] stripConf = strip.bytes(1);
            for (int x0 = 0; x0 < width; x0 += BLOCK) {
                int w = Math.min(BLOCK, width - x0);
                Raster window = features.tiff().read(new RasterWindow(x0, y0, w, h));
                float[][] band = new float[bands][];
                for (int b = 0; b < bands; b++) {
                    band[b] = window.floats(b);
                }
                int batchRows = Math.max(1, Math.min(h, BATCH_FLOATS / (w * bands)));
                if (rows == null || rows.length < batchRows * w * bands) {
                    rows = new float[batchRows * w * bands];
                    classes = new byte[batchRows * w];
                    confidence = new byte[batchRows * w];
                }
                for (int r0 = 0; r0 < h; r0 += batchRows) {
                    int n = Math.min(batchRows, h - r0) * w;
                    int first = r0 * w;
                    for (int p = 0; p < n; p++) {
                        int base = p * bands;
                        for (int b = 0; b < bands; b++) {
                            rows[base + b] = band[b][first + p];
                        }
                    }
                    classifier.classify(rows, n, classes, confidence);
                    for (int p = 0; p < n; p++) {
                        int y = r0 + p / w;
                        int x = x0 + p % w;
                        int at = y * width + x;
                        stripClass[at] = classes[p];
                        // Nodata class means no confidence either: keep band 2 consistent with band 1.
                        stripConf[at] = classes[p] == 0 ? 0 : confidence[p];
                        if (classes[p] != 0) {
                            scored++;
                            if (histogram != null) {
                                histogram.addPixel(rows, p * bands); // the rows the classifier just read
                            }
                        }
                    }
                }
            }
            writer.writeTileRow(tileRow, strip);
        }
        return scored;
    }
}
