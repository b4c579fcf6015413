package io.geocrop.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.models.PixelClassifier;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.UnsafeKeyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scoring on upload: a feature GeoTIFF dropped at {@code geocrop-features/uploads/<name>.tif} is scored like a job tile
 * and its result stored at {@code geocrop-results/uploads/<name>.tif}. Anything wrong with the upload (not a TIFF,
 * wrong band count or type, feature order not the model's, too large) gives {@code geocrop-results/uploads/<name>.error.json}
 * ({@code {"object","error","detail"}}) instead, and never an exception. Each outcome removes the other's stale object,
 * so a fixed re-upload leaves no old error behind.
 *
 * <p>A scored upload also gets {@code geocrop-results/uploads/<name>.summary.json}: the hectares of each class, in the
 * shape of a job's {@code summary.json}, written after the result so its presence means "scored" to a reader.
 *
 * <p>Idempotent: a redelivered event for an upload whose result already records the upload's ETag and the same model
 * is a duplicate and writes nothing; otherwise scoring is deterministic and writes the same bytes again.
 */
public final class UploadScoring {
    private static final Logger LOG = LoggerFactory.getLogger(UploadScoring.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;
    private final FeatureGeoTiffCheck check;
    private final TileScorer scorer;

    public UploadScoring(ObjectStore store, FeatureGeoTiffCheck check, TileScorer scorer) {
        this.store = Objects.requireNonNull(store, "store");
        this.check = Objects.requireNonNull(check, "check");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
    }

    /** What became of an upload. */
    public enum Status { SCORED, DUPLICATE, FAILED }

    /**
     * @param status    what happened
     * @param resultKey the result (SCORED, DUPLICATE) or error object (FAILED) in {@code geocrop-results}
     * @param error     the reason for FAILED, else null
     */
    public record UploadResult(Status status, String resultKey, String error) {}

    /** Whether {@code key} of {@code geocrop-features} is an upload (under {@code uploads/}). */
    public static boolean isUpload(String key) {
        return key != null && key.startsWith(ObjectKeys.UPLOADS_PREFIX);
    }

    /**
     * {@code uploads/<name>.tif} in {@code geocrop-results} for an upload {@code uploads/<name>.tif} (or
     * {@code .tiff}, any case; other names keep their full name and get {@code .tif} added).
     *
     * @throws UnsafeKeyException if the key is not a safe upload key
     */
    public static String resultKey(String uploadKey) {
        return ObjectKeys.requireSafe(ObjectKeys.UPLOADS_PREFIX + stem(uploadKey) + ".tif");
    }

    /** {@code uploads/<name>.summary.json} in {@code geocrop-results}: a scored upload's hectares per class. */
    public static String summaryKey(String uploadKey) {
        return ObjectKeys.requireSafe(ObjectKeys.UPLOADS_PREFIX + stem(uploadKey) + ".summary.json");
    }

    /** {@code uploads/<name>.error.json} in {@code geocrop-results}: where a bad upload's reason goes. */
    public static String errorKey(String uploadKey) {
        return ObjectKeys.requireSafe(ObjectKeys.UPLOADS_PREFIX + stem(uploadKey) + ".error.json");
    }

    private static String stem(String uploadKey) {
        ObjectKeys.requireSafe(uploadKey);
        if (!isUpload(uploadKey) || uploadKey.length() == ObjectKeys.UPLOADS_PREFIX.length()) {
            throw new UnsafeKeyException(uploadKey, "uploads are scored only under " + ObjectKeys.UPLOADS_PREFIX);
        }
        String name = uploadKey.substring(ObjectKeys.UPLOADS_PREFIX.length());
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tif") && name.length() > 4) {
            return name.substring(0, name.length() - 4);
        }
        if (lower.endsWith(".tiff") && name.length() > 5) {
            return name.substring(0, name.length() - 5);
        }
        return name;
    }

    /**
     * Scores the upload at {@code geocrop-features/<uploadKey>}.
     *
     * @param classifier gives the model; called only once the upload is known to exist (a {@link NoModelException}
     *                   becomes the upload's error object, so the operator sees it next to the file)
     * @throws IOException when storage fails (worth a retry)
     */
    public UploadResult score(String uploadKey, Supplier<PixelClassifier> classifier) throws IOException {
        String resultKey = resultKey(uploadKey);
        String errorKey = errorKey(uploadKey);
        String object = Bucket.FEATURES.bucketName() + "/" + uploadKey;
        Optional<ObjectInfo> upload = store.head(Bucket.FEATURES, uploadKey);
        if (upload.isEmpty()) {
            // Deleted again before we got to it: nothing to score, and nothing to say next to a file that is gone.
            return new UploadResult(Status.DUPLICATE, resultKey, null);
        }
        PixelClassifier model;
        try {
            model = classifier.get();
        } catch (NoModelException e) {
            return failed(object, errorKey, resultKey, "no model to score with", e.getMessage());
        }
        if (alreadyScored(resultKey, upload.get(), model)) {
            return new UploadResult(Status.DUPLICATE, resultKey, null);
        }
        try (CheckedFeatureGeoTiff features = check.open(Bucket.FEATURES, uploadKey, model.card().featureOrderHash())) {
            TileScorer.Scored scored = scorer.score(features, model, Bucket.RESULTS, resultKey, Map.of());
            store.delete(Bucket.RESULTS, errorKey);
            store.put(Bucket.RESULTS, summaryKey(uploadKey), summary(object, resultKey, model), "application/json");
            LOG.info("Upload {} scored: {} of {} pixels classified -> {}", object, scored.scoredPixels(),
                    scored.pixels(), resultKey);
            return new UploadResult(Status.SCORED, resultKey, null);
        } catch (ScoringException e) {
            return failed(object, errorKey, resultKey, "not a feature GeoTIFF GeoCrop can score", e.reason());
        } catch (RasterFormatException e) {
            // The header was fine but the pixel data is corrupt (truncated tiles, bad compression).
            return failed(object, errorKey, resultKey, "the GeoTIFF's pixel data cannot be read", e.getMessage());
        }
    }

    /** Hectares per class of the result's class band, in the shape of a job's summary. */
    private byte[] summary(String object, String resultKey, PixelClassifier model) throws IOException {
        try (GeoTiff result = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.RESULTS, resultKey))) {
            io.geocrop.raster.RasterMetadata m = result.metadata();
            long[] pixelsPerClass = new long[256];
            int rows = 256;
            for (int y = 0; y < m.height(); y += rows) {
                int h = Math.min(rows, m.height() - y);
                byte[] classes = result.read(0, new io.geocrop.raster.RasterWindow(0, y, m.width(), h), new int[] {0})
                        .bytes(0);
                for (byte c : classes) {
                    pixelsPerClass[c & 0xff]++;
                }
            }
            double pixelArea = Math.abs(m.transform().pixelWidth() * m.transform().pixelHeight());
            ObjectNode root = JSON.createObjectNode();
            root.put("object", object);
            root.put("result", Bucket.RESULTS.bucketName() + "/" + resultKey);
            ObjectNode card = root.putObject("model");
            card.put("name", model.card().name());
            card.put("version", model.card().version());
            card.put("synthetic", model.card().synthetic());
            root.put("pixel_area_m2", pixelArea);
            long total = ClassAreas.addRows(root.putArray("classes"), pixelsPerClass, pixels -> hectares(pixels, pixelArea));
            root.put("total_hectares", hectares(total, pixelArea));
            io.geocrop.models.ModelCard c = model.card();
            ClassAreas.addEstimate(root, pixelsPerClass, c.heldOutConfusion().isEmpty() ? null
                    : new ClassAreas.HeldOut(c.classCodes(), c.heldOutConfusionArray()),
                    "the model card records no held-out confusion matrix", pixelArea / 10_000.0);
            root.put("feature_order_hash", model.card().featureOrderHash());
            return JSON.writeValueAsBytes(root);
        }
    }

    private static java.math.BigDecimal hectares(long pixels, double pixelArea) {
        return java.math.BigDecimal.valueOf(pixels * pixelArea / 10_000.0).setScale(2, java.math.RoundingMode.HALF_EVEN);
    }

    private boolean alreadyScored(String resultKey, ObjectInfo upload, PixelClassifier model) throws IOException {
        if (upload.eTag() == null || store.head(Bucket.RESULTS, resultKey).isEmpty()) {
            return false;
        }
        try (GeoTiff result = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.RESULTS, resultKey))) {
            Map<String, String> items = result.metadata().metadata();
            return upload.eTag().equals(items.get(ResultTiles.SOURCE_ETAG))
                    && model.card().name().equals(items.get(ResultTiles.MODEL_NAME))
                    && model.card().version().equals(items.get(ResultTiles.MODEL_VERSION));
        } catch (RasterFormatException e) {
            return false;
        }
    }

    private UploadResult failed(String object, String errorKey, String resultKey, String error, String detail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("object", object);
        body.put("error", error);
        body.put("detail", detail);
        try {
            store.put(Bucket.RESULTS, errorKey, JSON.writeValueAsBytes(body), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.delete(Bucket.RESULTS, resultKey);
        store.delete(Bucket.RESULTS, summaryKey(object.substring(object.indexOf('/') + 1)));
        LOG.warn("Upload {} not scored: {}: {}", object, error, detail);
        return new UploadResult(Status.FAILED, errorKey, error + ": " + detail);
    }
}
