package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.JobState;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.TestModels;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingDistribution;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Drift, per job, end to end in the embedded app (issue 19). The model's training distribution is taken from the
 * features of a "training" job's area (so it is exactly what training through the production feature path records);
 * a job on the same area and season, scored by the model that now carries that distribution, then shows no drift, and
 * a job on the same area in another season (other rains: planting onset and vigour move) shows drift, feature by
 * feature. (An area 5.8 km away in the same season is not "like the training data": its landscape differs, and its
 * drift measured 0.42, major; a model trained on one 300 m area generalises to no other.) A model card without a
 * training distribution reports drift as unavailable.
 */
class JobDriftTest {
    private static final double TRAIN_LON = TestImagery.LON, LAT = TestImagery.LAT, RADIUS = 300;

    @Test
    void aJobLikeTheTrainingDataShowsNoDriftAndAnotherSeasonShowsDriftFeatureByFeature() throws Exception {
        Path home = Files.createTempDirectory("geocrop-drift");
        Map<String, Object> props = Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1,
                "geocrop.imagery.simulation-dir", TestImagery.CACHE.toString(),
                "geocrop.imagery.simulation-seed", TestImagery.SEED,
                "geocrop.models.name", TestModels.small().card().name());
        ModelArtifact small = TestModels.small();
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String base = EmbeddedApplication.baseUrl(app);
            // An older card is one without a training distribution (XgbTrainer records one now, so it is removed).
            app.getBean(ModelRegistry.class).publish(new ModelArtifact(small.card().withTrainingDistribution(null),
                    small.onnx()), ModelRegistry.DEFAULT_ALIAS);
            // An older card (no training distribution): the job completes and says why there is no drift.
            Job training = run(app, base, TRAIN_LON, TestImagery.YEAR);
            JsonNode drift = Http.get(base, "/jobs/" + training.id() + "/results/summary").body().get("drift");
            assertFalse(drift.get("available").asBoolean(), drift.toString());
            assertEquals("Drift unavailable: the model card has no training distribution.", drift.get("words").asText());

            // The training distribution of the "training" area's pixels, as XgbTrainer records it.
            TrainingData rows = featureRows(app.getBean(ObjectStore.class), training.id());
            TrainingDistribution d = TrainingDistribution.of(rows, small.card().featureNames(),
                    TrainingDistribution.DEFAULT_BINS);
            app.getBean(ModelRegistry.class).publish(new ModelArtifact(small.card().withTrainingDistribution(d),
                    small.onnx()), ModelRegistry.DEFAULT_ALIAS);
        }
        // Restarted so score-tile loads the new champion (a model is loaded once per process).
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String base = EmbeddedApplication.baseUrl(app);
            Job like = run(app, base, TRAIN_LON, TestImagery.YEAR);
            JsonNode same = Http.get(base, "/jobs/" + like.id() + "/results/summary").body().get("drift");
            assertTrue(same.get("available").asBoolean(), same.toString());
            assertEquals("none", same.get("level").asText(), same.toString());
            assertTrue(same.get("shifted_features").isEmpty(), same.toString());
            assertEquals(51, same.get("psi").size());

            Job other = run(app, base, TRAIN_LON, TestImagery.YEAR - 2);
            JsonNode shifted = Http.get(base, "/jobs/" + other.id() + "/results/summary").body().get("drift");
            assertTrue(shifted.get("available").asBoolean(), shifted.toString());
            assertTrue(shifted.get("score").asDouble() > 2 * same.get("score").asDouble(), shifted + " vs " + same);
            assertFalse(shifted.get("shifted_features").isEmpty(), shifted.toString());
            String first = shifted.get("shifted_features").get(0).asText();
            assertTrue(shifted.get("psi").get(first).asDouble() >= 0.25, shifted.toString());
            assertTrue(shifted.get("words").asText().contains("look unlike the training data"), shifted.toString());
            System.out.println("drift like training: " + same + "\ndrift other season: " + shifted);

            // The job API shows it too.
            JsonNode view = Http.get(base, "/jobs/" + other.id()).body();
            assertEquals(shifted.get("words").asText(), view.get("drift").get("words").asText(), view.toString());
        }
    }

    private static Job run(ApplicationContext app, String base, double lon, int year) throws Exception {
        Http.Reply created = Http.post(base, "/jobs", "{\"lon\": " + lon + ", \"lat\": " + LAT + ", \"radius_m\": "
                + RADIUS + ", \"year\": " + year + "}");
        assertTrue(created.status() == 202 || created.status() == 200, created.body().toString());
        Job job = EmbeddedApplicationTest.awaitFinished(app.getBean(JobStore.class),
                UUID.fromString(created.body().get("id").asText()), Duration.ofMinutes(25)); // a first run generates the simulated season (minutes on a loaded machine)
        assertEquals(JobState.COMPLETED, job.state(), String.valueOf(job.failureReason()));
        return job;
    }

    /** Every pixel with data of the job's feature tiles, as training rows. */
    private static TrainingData featureRows(ObjectStore store, UUID job) throws Exception {
        List<float[]> pixels = new ArrayList<>();
        for (ObjectInfo o : store.list(Bucket.FEATURES, ObjectKeys.featurePrefix(job))) {
            try (GeoTiff tiff = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.FEATURES, o.key()))) {
                int w = tiff.metadata().width();
                int h = tiff.metadata().height();
                int bands = tiff.metadata().bands();
                Raster r = tiff.read(new RasterWindow(0, 0, w, h));
                for (int p = 0; p < w * h; p++) {
                    float[] row = new float[bands];
                    boolean any = false;
                    for (int b = 0; b < bands; b++) {
                        row[b] = r.floats(b)[p];
                        any |= !Float.isNaN(row[b]);
                    }
                    if (any) {
                        pixels.add(row);
                    }
                }
            }
        }
        int f = pixels.getFirst().length;
        float[] flat = new float[pixels.size() * f];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, flat, i * f, f);
        }
        return new TrainingData(flat, new int[pixels.size()], new int[pixels.size()], f);
    }
}
