package io.geocrop.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.models.DriftReport;
import io.geocrop.models.FeatureHistogram;
import io.geocrop.models.ModelCard;
import io.geocrop.models.TrainingDistribution;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Drift, per job: how far a job's pixels are from the training distribution of the model that scored them.
 *
 * <p>Where the histogram is made: at scoring time, in {@link TileScorer}, not in extract-features. Scoring already has
 * the model card (with its bins) and already reads every feature of every pixel into interleaved rows for the
 * classifier; counting those rows into bins costs a binary search over at most 9 edges per feature and moves no extra
 * data. Extraction would need the model card resolved for the job (a registry call extraction never makes) and
 * would bin values scoring reads again anyway.
 *
 * <p>Each scored tile's histogram is stored as a small object next to its result,
 * {@code geocrop-results/results/<job>/drift/<tile>.json}, written before the result tile (so a result that exists has
 * its histogram; a job's data moves only forward). The assembly sums them ({@link #report}), writes
 * {@code results/<job>/drift.json} and adds a {@code drift} block to {@code summary.json}.
 */
public final class JobDrift {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Told about every job's drift once it is computed (score-tile's Prometheus gauge and histogram). */
    public interface Listener {
        void recorded(UUID jobId, DriftReport report);
    }

    private final ObjectStore store;
    private final Supplier<Optional<ModelCard>> card;
    private final Listener listener;

    /**
     * @param card the card of the model that scores (the job's tiles are checked to be scored with its version)
     */
    public JobDrift(ObjectStore store, Supplier<Optional<ModelCard>> card, Listener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.card = Objects.requireNonNull(card, "card");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** {@code results/<job>/drift/<tile>.json}: one scored tile's histogram. */
    public static String tileKey(UUID jobId, String tileId) {
        return ObjectKeys.requireSafe(ObjectKeys.resultPrefix(jobId) + "drift/" + tileId + ".json");
    }

    /** {@code results/<job>/drift.json}: the job's drift report. */
    public static String jobKey(UUID jobId) {
        return ObjectKeys.requireSafe(ObjectKeys.resultPrefix(jobId) + "drift.json");
    }

    /** An empty histogram over {@code card}'s training bins, or null when the card records none. */
    public static FeatureHistogram histogramFor(ModelCard card) {
        return card.trainingDistribution() == null ? null : new FeatureHistogram(card.trainingDistribution());
    }

    /** Stores one tile's histogram (small: 51 features x 12 counts). */
    public void writeTile(UUID jobId, String tileId, ModelCard card, FeatureHistogram histogram) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model_version", card.version());
        o.put("pixels", histogram.pixels());
        ArrayNode counts = o.putArray("counts");
        for (long[] feature : histogram.counts()) {
            ArrayNode a = counts.addArray();
            for (long c : feature) {
                a.add(c);
            }
        }
        store.put(Bucket.RESULTS, tileKey(jobId, tileId), o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    /** The job's drift: its tiles' histograms summed and compared with the training distribution. */
    public Report report(UUID jobId, List<String> tileIds, String modelVersion) throws IOException {
        Optional<ModelCard> model = card.get();
        if (model.isEmpty() || model.get().trainingDistribution() == null) {
            return new Report(DriftReport.unavailable(DriftReport.NO_DISTRIBUTION), 0, tileIds.size());
        }
        if (modelVersion != null && !modelVersion.equals(model.get().version())) {
            return new Report(DriftReport.unavailable("the tiles were scored with model version " + modelVersion
                    + ", the serving model is version " + model.get().version()), 0, tileIds.size());
        }
        TrainingDistribution distribution = model.get().trainingDistribution();
        FeatureHistogram sum = new FeatureHistogram(distribution);
        int found = 0;
        for (String tile : tileIds) {
            Optional<InputStream> in = store.get(Bucket.RESULTS, tileKey(jobId, tile));
            if (in.isEmpty()) {
                continue; // scored before drift existed: the report says over how many tiles it is
            }
            JsonNode o;
            try (InputStream s = in.get()) {
                o = JSON.readTree(s);
            }
            JsonNode counts = o.path("counts");
            long[][] c = new long[counts.size()][];
            for (int j = 0; j < c.length; j++) {
                c[j] = new long[counts.get(j).size()];
                for (int s = 0; s < c[j].length; s++) {
                    c[j][s] = counts.get(j).get(s).asLong();
                }
            }
            try {
                sum.add(FeatureHistogram.of(distribution, o.path("pixels").asLong(), c));
                found++;
            } catch (IllegalArgumentException e) {
                // A histogram over another model's bins (the model changed mid-job): left out, and counted as such.
            }
        }
        DriftReport r = found == 0 ? DriftReport.unavailable("no tile of the job has a feature histogram")
                : DriftReport.compare(distribution, sum);
        return new Report(r, found, tileIds.size());
    }

    /**
     * A job's drift and how many of its tiles it covers.
     */
    public record Report(DriftReport drift, int tilesWithHistogram, int tiles) {
        /** The JSON block of {@code summary.json} and {@code drift.json}. */
        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("available", drift.available());
            o.put("level", drift.level());
            o.put("words", drift.words());
            if (!drift.available()) {
                o.put("reason", drift.reason());
                return o;
            }
            o.put("score", round(drift.score()));
            o.put("method", "population stability index per feature over the model's training quantile bins; "
                    + "score = mean over features");
            o.put("pixels", drift.pixels());
            o.put("tiles", tiles);
            o.put("tiles_with_histogram", tilesWithHistogram);
            ArrayNode shifted = o.putArray("shifted_features");
            drift.shifted().forEach(f -> shifted.add(f.name()));
            ObjectNode psi = o.putObject("psi");
            drift.features().forEach(f -> psi.put(f.name(), round(f.psi())));
            return o;
        }
    }

    /**
     * Computes the job's drift, stores {@code drift.json}, tells the listener and returns the summary block.
     */
    public ObjectNode record(UUID jobId, List<String> tileIds, String modelVersion) throws IOException {
        Report r = report(jobId, tileIds, modelVersion);
        ObjectNode block = r.toJson();
        store.put(Bucket.RESULTS, jobKey(jobId), JSON.writeValueAsBytes(block), "application/json");
        listener.recorded(jobId, r.drift());
        return block;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
