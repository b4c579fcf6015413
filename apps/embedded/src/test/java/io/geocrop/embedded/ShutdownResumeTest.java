package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.submit.JobSubmissionService;
import io.micronaut.context.ApplicationContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A shutdown is not a failure: the embedded server (H2 file and local object store under a temporary home) is
 * stopped while a 1 km job extracts, with a shutdown grace short enough that the running tile is interrupted; the
 * job is left unfinished, not failed, and the next start resumes it (the periodic reconciler is off, so the
 * start-up resume is what does it) to the very COG bytes an uninterrupted run of the same job writes.
 */
class ShutdownResumeTest {
    private static final double RADIUS_M = 1000;

    private static Map<String, Object> props(Path home) {
        Map<String, Object> props = new HashMap<>();
        props.put("geocrop.home", home.toString());
        props.put("micronaut.server.port", -1);
        props.put("geocrop.imagery.simulation-dir", TestImagery.CACHE.toString());
        props.put("geocrop.imagery.simulation-seed", TestImagery.SEED);
        props.put("geocrop.models.name", TestModels.small().card().name());
        props.put("geocrop.events.embedded.extract-concurrency", 1);
        props.put("geocrop.events.embedded.shutdown-grace", "200ms");
        props.put("geocrop.reconciler.interval", "0s");
        return props;
    }

    @Test
    void aJobInterruptedByAStopIsResumedOnTheNextStartToTheSameCog() throws Exception {
        UUID id = UUID.randomUUID();

        // The reference: the job run without interruption.
        byte[] reference;
        JobRequest request;
        String modelRef;
        try (ApplicationContext app = EmbeddedApplication.start(props(Files.createTempDirectory("geocrop-ref")))) {
            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
            request = new JobRequest(new io.geocrop.domain.Aoi(TestImagery.LON, TestImagery.LAT, RADIUS_M),
                    new Season(TestImagery.YEAR));
            modelRef = app.getBean(io.geocrop.platform.GeoCropSettings.class).modelRef();
            submit(app, id, request, modelRef);
            Job done = EmbeddedApplicationTest.awaitFinished(app.getBean(JobStore.class), id, Duration.ofMinutes(20));
            assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
            reference = cog(app, id);
        }

        // The same job (same id, so the same provenance in the COG), stopped mid-extraction.
        Path home = Files.createTempDirectory("geocrop-stop");
        try (ApplicationContext app = EmbeddedApplication.start(props(home))) {
            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
            submit(app, id, request, modelRef);
            InProcessEventRouter router = app.getBean(InProcessEventRouter.class);
            JobStore jobs = app.getBean(JobStore.class);
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            // Planned, and a tile in extraction: the planner has let go of extract-features' one slot, a tile holds
            // it, the other tiles wait. Seen twice a second apart, so it is not the planner's last moments.
            int seen = 0;
            while (seen < 2) {
                assertTrue(System.nanoTime() < deadline, "the job never got to extraction: " + jobs.find(id));
                Job now = jobs.find(id).orElseThrow();
                boolean extracting = now.tilesTotal() > 0 && now.tilesExtracted() == 0
                        && router.running("extract-features") == 1
                        && router.waiting("extract-features") == now.tilesTotal() - 1;
                seen = extracting ? seen + 1 : 0;
                Thread.sleep(extracting ? 1000 : 20);
            }
        }
        // The next start resumes it.
        try (ApplicationContext app = EmbeddedApplication.start(props(home))) {
            JobStore jobs = app.getBean(JobStore.class);
            Job atStart = jobs.find(id).orElseThrow();
            assertFalse(atStart.state() == JobState.FAILED, "the stop failed the job: " + atStart.failureReason());
            assertTrue(atStart.tilesScored() < atStart.tilesTotal(), "stopped mid-job: " + atStart);
            Job done = EmbeddedApplicationTest.awaitFinished(jobs, id, Duration.ofMinutes(20));
            assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
            assertArrayEquals(reference, cog(app, id), "the resumed job's COG is the uninterrupted run's, byte for byte");
        }
    }

    private static void submit(ApplicationContext app, UUID id, JobRequest request, String modelRef) {
        JobStore jobs = app.getBean(JobStore.class);
        Job job = jobs.submit(new NewJob(id, request, modelRef, JobSubmissionService.dedupKey(request, modelRef))).job();
        app.getBean(JobSubmissionService.class).enqueue(job);
    }

    private static byte[] cog(ApplicationContext app, UUID id) throws Exception {
        try (InputStream in = app.getBean(ObjectStore.class).get(Bucket.RESULTS, ObjectKeys.resultCog(id)).orElseThrow()) {
            return in.readAllBytes();
        }
    }
}
