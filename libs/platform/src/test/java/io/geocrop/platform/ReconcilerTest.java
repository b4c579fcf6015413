package io.geocrop.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.events.EventType;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobReferences;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import io.geocrop.jobs.TestClock;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler over a real job store (H2) and the local object store: what it re-emits for each kind of stuck
 * job, that it leaves moving jobs alone, and that it gives up after bounded attempts without progress.
 */
class ReconcilerTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> TILES = List.of("32736-10-20", "32736-10-21", "32736-11-20");

    @TempDir
    Path dir;
    private JdbcConnectionPool pool;
    private TestClock clock;
    private JobStore jobs;
    private LocalObjectStore store;
    private final List<CloudEvent> published = new CopyOnWriteArrayList<>();
    private Reconciler reconciler;

    @BeforeEach
    void setUp() {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:reconcile-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        clock = new TestClock(Instant.parse("2025-06-01T08:00:00Z"));
        jobs = JobStores.forDataSource(pool, clock);
        store = new LocalObjectStore(dir.resolve("storage"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        reconciler = new Reconciler(jobs, store, published::add, TIMEOUT, 2, 10, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        pool.dispose();
    }

    private Job submit() {
        return jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.05, -17.83, 300), new Season(2023)),
                "geocrop-crop@champion", null)).job();
    }

    private Job extracting() {
        Job job = submit();
        jobs.markEnqueued(job.id());
        jobs.recordImagery(job.id(), List.of("S2A_1", "S2B_2"));
        jobs.planTiles(job.id(), TILES);
        return jobs.transition(job.id(), JobState.EXTRACTING);
    }

    private void writeFeature(Job job, String tile) {
        store.put(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), tile), ("features " + tile).getBytes(StandardCharsets.UTF_8),
                "image/tiff");
    }

    @Test
    void aJobThatWasNeverHandedOverIsSubmittedAgainWithTheSameEventId() {
        Job job = submit();
        clock.advance(TIMEOUT.plusSeconds(1));

        List<Reconciler.Action> actions = reconciler.reconcile();

        assertEquals(1, actions.size());
        assertEquals(Reconciler.Kind.REEMITTED, actions.getFirst().kind());
        assertEquals(1, published.size());
        assertEquals(EventType.JOB_SUBMITTED.type(), published.getFirst().getType());
        assertEquals("job-submitted-" + job.id(), published.getFirst().getId());
        assertNotNull(jobs.find(job.id()).orElseThrow().enqueuedAt(), "noted as handed over");
    }

    @Test
    void aQueuedJobTheStreamSourceSkippedIsSentAgainWithinTheShortTimeoutWithoutCountingAnAttempt() {
        Reconciler fast = new Reconciler(jobs, store, published::add, TIMEOUT, Duration.ofSeconds(30), 2, 10, clock,
                count -> {});
        Job skipped = submit();
        jobs.markEnqueued(skipped.id());
        Job planned = extracting();
        Job neverHandedOver = submit();
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), fast.reconcile());
        assertEquals(List.of(), published, "younger than the queued timeout: left alone");

        clock.advance(Duration.ofSeconds(15));
        assertEquals(List.of(), fast.reconcile(), "no stuck job, no attempt recorded");
        assertEquals(List.of("job-submitted-" + skipped.id()), published.stream().map(CloudEvent::getId).toList(),
                "only the QUEUED job that was handed to the stream; not " + planned.id() + " nor " + neverHandedOver.id());
        fast.reconcile();
        assertEquals(2, published.size(), "sent again on each run while it stays QUEUED");
        assertEquals(skipped.version() + 1, jobs.find(skipped.id()).orElseThrow().version(),
                "only markEnqueued changed it: no attempt recorded");
    }

    @Test
    void eachRunReportsHowManyJobsItFoundStuck() {
        java.util.List<Integer> reported = new CopyOnWriteArrayList<>();
        Reconciler observed = new Reconciler(jobs, store, published::add, TIMEOUT, 2, 10, clock, reported::add);
        submit();
        submit();
        observed.reconcile();
        clock.advance(TIMEOUT.plusSeconds(1));
        observed.reconcile();
        observed.reconcile(); // the attempts just recorded count as a change: nothing stuck until the next timeout
        assertEquals(List.of(0, 2, 0), reported);
    }

    @Test
    void unscoredTilesGetTheirNotificationOrTheirTileRequestAgain() {
        Job job = extracting();
        jobs.markTileScored(job.id(), TILES.get(0));          // done: nothing to re-emit
        writeFeature(job, TILES.get(1));                      // features written, notification lost
        jobs.markTileExtracted(job.id(), TILES.get(1));
        // TILES.get(2): its tile request was lost, no feature file
        clock.advance(TIMEOUT.plusSeconds(1));

        reconciler.reconcile();

        assertEquals(2, published.size(), published.toString());
        CloudEvent notification = published.get(0);
        assertEquals(ForeignEventTypes.S3_OBJECT_CREATED_PUT, notification.getType());
        assertEquals("minio:s3..geocrop-features", notification.getSource().toString());
        assertEquals(ObjectKeys.featureTile(job.id(), TILES.get(1)), notification.getSubject());
        assertEquals(ObjectKeys.featureTile(job.id(), TILES.get(1)), S3Notifications.object(notification).key());
        assertEquals(job.id(), JobReferences.jobIdOf(notification).orElseThrow());
        CloudEvent tile = published.get(1);
        assertEquals("tile-requested-" + job.id() + "-" + TILES.get(2), tile.getId(), "the planner's id");
        TileRequestedV1 data = GeoCropEvents.data(tile, TileRequestedV1.class);
        assertEquals(List.of("S2A_1", "S2B_2"), data.itemIds(), "the job's recorded imagery manifest");
    }

    @Test
    void aJobWhoseTilesAreAllScoredGetsItsLastNotificationAgainToReassemble() {
        Job job = extracting();
        for (String tile : TILES) {
            writeFeature(job, tile);
            jobs.markTileScored(job.id(), tile);
        }
        jobs.transition(job.id(), JobState.ASSEMBLING);
        clock.advance(TIMEOUT.plusSeconds(1));

        reconciler.reconcile();

        assertEquals(1, published.size());
        assertEquals(ObjectKeys.featureTile(job.id(), TILES.getLast()), published.getFirst().getSubject());
    }

    @Test
    void aFailedTileIsReEmittedByTheNextRunOnceWithoutFailingTheJob() {
        Job job = extracting();
        writeFeature(job, TILES.get(0));
        jobs.markTileExtracted(job.id(), TILES.get(0));
        jobs.markTileFailed(job.id(), TILES.get(0), "score-tile ran out of memory");   // scoring dead-lettered
        jobs.markTileFailed(job.id(), TILES.get(2), "extract-features ran out of memory"); // extraction dead-lettered

        List<Reconciler.Action> actions = reconciler.reconcile();

        assertEquals(List.of(Reconciler.Kind.RETRIED_TILE, Reconciler.Kind.RETRIED_TILE),
                actions.stream().map(Reconciler.Action::kind).toList(), "the job is not stuck: only its failed tiles");
        assertEquals(2, published.size(), published.toString());
        assertEquals(ObjectKeys.featureTile(job.id(), TILES.get(0)), published.get(0).getSubject(),
                "features exist: their notification again");
        assertEquals("tile-requested-" + job.id() + "-" + TILES.get(2), published.get(1).getId());
        assertEquals(JobState.EXTRACTING, jobs.find(job.id()).orElseThrow().state());

        assertEquals(List.of(), reconciler.reconcile(), "re-emitted once per failure");
        assertEquals(2, published.size());
        jobs.markTileFailed(job.id(), TILES.get(2), "again");
        reconciler.reconcile();
        assertEquals(3, published.size(), "a new failure is re-emitted again");
    }

    @Test
    void resumeReEmitsTheWorkOfJobsLeftUnfinishedByTheLastStopAtOnce() {
        Job left = extracting();
        jobs.markTileScored(left.id(), TILES.get(0));
        Job queued = submit();
        clock.advance(Duration.ofSeconds(5));
        Instant startedAt = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        Job newSinceStart = extracting();

        List<Reconciler.Action> actions = reconciler.resume(startedAt);

        assertEquals(List.of(Reconciler.Kind.RESUMED, Reconciler.Kind.RESUMED),
                actions.stream().map(Reconciler.Action::kind).toList());
        assertEquals(java.util.Set.of(left.id(), queued.id()),
                actions.stream().map(Reconciler.Action::jobId).collect(java.util.stream.Collectors.toSet()),
                "not " + newSinceStart.id() + ", which this process is running");
        assertEquals(3, published.size(), "the two unscored tiles and the queued job's submission: " + published);
        assertEquals(java.util.OptionalInt.of(1), jobs.recordReconcileAttempt(left.id(),
                jobs.find(left.id()).orElseThrow().version()), "no reconcile attempt counted by a resume");
    }

        @Test
    void movingJobsAreLeftAlone() {
        extracting();
        clock.advance(TIMEOUT.minusSeconds(1));

        assertEquals(List.of(), reconciler.reconcile());
        assertEquals(List.of(), published);
    }

    @Test
    void afterBoundedAttemptsWithoutProgressTheJobFailsWithTheStage() {
        Job job = extracting();
        jobs.markTileExtracted(job.id(), TILES.get(0));
        for (int attempt = 1; attempt <= 2; attempt++) {
            clock.advance(TIMEOUT.plusSeconds(1));
            Reconciler.Action action = reconciler.reconcile().getFirst();
            assertEquals(Reconciler.Kind.REEMITTED, action.kind());
            assertEquals(attempt, action.attempt());
            assertEquals(List.of(), reconciler.reconcile(), "not stuck again before another timeout");
        }
        clock.advance(TIMEOUT.plusSeconds(1));

        Reconciler.Action last = reconciler.reconcile().getFirst();

        assertEquals(Reconciler.Kind.GAVE_UP, last.kind());
        Job failed = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("gave up after 2 reconcile attempts: still EXTRACTING with 1 of 3 tiles extracted and 0 scored",
                failed.failureReason());
        assertEquals(List.of(), reconciler.reconcile(), "a failed job is finished");
    }

    @Test
    void progressBetweenAttemptsStartsTheCountAgain() {
        Job job = extracting();
        for (int round = 0; round < 3; round++) {
            clock.advance(TIMEOUT.plusSeconds(1));
            assertEquals(1, reconciler.reconcile().getFirst().attempt(), "round " + round);
            jobs.markTileExtracted(job.id(), TILES.get(round)); // the re-emitted work got somewhere
        }
        assertTrue(jobs.find(job.id()).orElseThrow().state() == JobState.EXTRACTING);
    }
}
