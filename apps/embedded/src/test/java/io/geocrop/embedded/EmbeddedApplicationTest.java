package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.JobState;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The embedded default: one command's worth of configuration, data under GEOCROP_HOME, a job taken from submission
 * through extract-features (simulated DEA) and score-tile to its COG, downloadable over HTTP, all surviving a
 * restart. A small real model is published first (the demo model's training is covered by libs/training and the
 * web app's end-to-end test), so this test measures the job, not training.
 */
class EmbeddedApplicationTest {
    static final String JOB = "{\"lon\": " + TestImagery.LON + ", \"lat\": " + TestImagery.LAT + ", \"radius_m\": "
            + TestImagery.RADIUS_M + ", \"year\": " + TestImagery.YEAR + "}";

    @Test
    void runsAJobToItsCropMapAndKeepsItAcrossARestart() throws Exception {
        Path home = Files.createTempDirectory("geocrop-embedded");
        Map<String, Object> props = Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1,
                "geocrop.imagery.simulation-dir", TestImagery.CACHE.toString(),
                "geocrop.imagery.simulation-seed", TestImagery.SEED,
                "geocrop.models.name", TestModels.small().card().name());
        String id;
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String base = EmbeddedApplication.baseUrl(app);
            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
            Http.Reply created = Http.post(base, "/jobs", JOB);
            assertEquals(202, created.status(), created.body().toString());
            id = created.body().get("id").asText();

            // extract-features plans the job and writes every tile's features; score-tile scores them and the last
            // tile assembles the job's COG.
            JobStore jobs = app.getBean(JobStore.class);
            Job job = awaitFinished(jobs, UUID.fromString(id), Duration.ofMinutes(8));
            assertEquals(JobState.COMPLETED, job.state(), String.valueOf(job.failureReason()));
            assertTrue(job.tilesTotal() >= 1);
            assertEquals(job.tilesTotal(), job.tilesScored());
            assertTrue(!jobs.imagery(job.id()).isEmpty(), "imagery manifest kept with the job");
            List<ObjectInfo> features = app.getBean(ObjectStore.class).list(Bucket.FEATURES, ObjectKeys.featurePrefix(job.id()));
            assertEquals(job.tilesTotal(), features.size(), features.toString());
            Http.Reply status = Http.get(base, "/jobs/" + id);
            assertEquals("completed", status.body().get("state").asText());
            assertEquals(ObjectKeys.resultCog(job.id()), status.body().get("results").get("cog").asText());
            Http.Reply summary = Http.get(base, "/jobs/" + id + "/results/summary");
            assertEquals(200, summary.status(), summary.body().toString());
            assertTrue(summary.body().get("total_hectares").asDouble() > 0, summary.body().toString());

            // Embedded wiring: H2 job store, in-process router with the manifests' triggers, local storage.
            assertTrue(app.getBean(InProcessEventRouter.class).triggers().stream()
                    .anyMatch(t -> t.name().equals("extract-features-on-job-submitted")));
            ObjectStore storage = app.getBean(ObjectStore.class);
            storage.put(Bucket.DATASETS, "labels/example.csv", "lon,lat,class\n".getBytes(), "text/csv");
            assertTrue(Files.exists(home.resolve("storage").resolve("geocrop-datasets").resolve("labels/example.csv")));
            assertTrue(Files.exists(home.resolve("db")), "H2 database under GEOCROP_HOME");
        }
        // The job is still there after a restart: the embedded database is a file, not memory.
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            assertTrue(app.getBean(JobStore.class).find(UUID.fromString(id)).isPresent());
            Http.Reply again = Http.post(EmbeddedApplication.baseUrl(app), "/jobs", JOB);
            assertEquals(200, again.status());
            assertEquals(id, again.body().get("id").asText());
        }
    }

    static Job awaitFinished(JobStore jobs, UUID id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Job job = jobs.find(id).orElseThrow();
            if (job.state().isTerminal()) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not finish in " + timeout + ": " + job);
            }
            Thread.sleep(200);
        }
    }
}
