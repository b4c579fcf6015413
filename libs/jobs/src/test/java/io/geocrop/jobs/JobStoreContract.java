package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link JobStore} must have, run against each backend by a subclass. Subclasses hand out
 * stores over an empty job table; {@link #newStore(Clock)} lets the suite control time exactly.
 */
public abstract class JobStoreContract implements JobCostContract {
    /** As many threads as submit-job or score-tile instances racing on one job in a busy minute. */
    protected static final int THREADS = 16;
    private static final Instant T0 = Instant.parse("2025-06-01T08:00:00.123456Z");
    private static final String MODEL = "geocrop-crop@champion";

    /** The store under test, fresh (and empty) for every test. */
    protected JobStore store;

    /** A store over an empty job table, stamping times with the UTC system clock. */
    protected abstract JobStore newStore();

    /** A store over an empty job table, stamping times with {@code clock}. */
    protected abstract JobStore newStore(Clock clock);

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @Override
    public JobStore costStore() {
        return store;
    }

    /** A valid job near Harare with the given dedup key (null: no de-duplication). */
    protected static NewJob newJob(String dedupKey) {
        return newJob(UUID.randomUUID(), 31.05, -17.83, 2000, 2023, dedupKey);
    }

    /** A job with every field chosen by the caller. */
    protected static NewJob newJob(UUID id, double lon, double lat, double radiusM, int year, String dedupKey) {
        return new NewJob(id, new JobRequest(new Aoi(lon, lat, radiusM), new Season(year)), MODEL, dedupKey);
    }

    private static String uniqueKey() {
        return "dedup-" + UUID.randomUUID();
    }

    // ---- submit, find, recent -------------------------------------------------------------------------------

    @Test
    void submitRecordsAQueuedJobStampedByTheClock() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        NewJob request = newJob(UUID.randomUUID(), 29.87, -20.15, 750.5, 2021, uniqueKey());

        Submission submission = store.submit(request);

        assertTrue(submission.created());
        Job job = submission.job();
        assertEquals(request.id(), job.id());
        assertEquals(new Aoi(29.87, -20.15, 750.5), job.aoi());
        assertEquals(2021, job.year());
        assertEquals(MODEL, job.modelRef());
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(0, job.tilesTotal());
        assertEquals(0, job.tilesExtracted());
        assertEquals(0, job.tilesScored());
        assertNull(job.failureReason());
        assertEquals(Map.of(), job.results());
        assertEquals(T0, job.createdAt());
        assertEquals(T0, job.updatedAt());
        assertNull(job.enqueuedAt());
        assertEquals(1, job.version());
        assertEquals(job, store.find(job.id()).orElseThrow());
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
        assertTrue(store.find(UUID.randomUUID()).isEmpty());
    }

    @Test
    void recentListsNewestFirstUpToTheLimit() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.submit(newJob(uniqueKey())).job().id());
            clock.advance(Duration.ofSeconds(1));
        }
        // A later change must not reorder: "recent" is by creation time.
        store.transition(ids.get(0), JobState.EXTRACTING);

        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), idsOf(store.recent(3)));
        assertEquals(ids.reversed(), idsOf(store.recent(50)));
        assertEquals(List.of(), store.recent(0));
        assertThrows(IllegalArgumentException.class, () -> store.recent(-1));
    }

    // ---- de-duplication -----------------------------------------------------------------------------------------

    @Test
    void anIdenticalRequestReturnsTheExistingJob() {
        String key = uniqueKey();
        Job first = store.submit(newJob(key)).job();

        Submission second = store.submit(newJob(key));

        assertFalse(second.created());
        assertEquals(first, second.job(), "the existing job, untouched");
        assertEquals(1, store.recent(10).size());
    }

    @Test
    void resubmittingTheSameNewJobIsARedeliveryEvenWithoutAKey() {
        NewJob job = newJob(null);
        Job first = store.submit(job).job();

        Submission again = store.submit(job);

        assertFalse(again.created());
        assertEquals(first, again.job());
    }

    @Test
    void reusingAnIdForADifferentRequestIsRefused() {
        NewJob job = newJob(uniqueKey());
        store.submit(job);
        NewJob other = newJob(job.id(), 30.0, -19.0, 500, 2022, uniqueKey());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.submit(other));
        assertTrue(e.getMessage().contains(job.id().toString()), e.getMessage());
    }

    @Test
    void differentKeysOrNoKeyMakeSeparateJobs() {
        Job a = store.submit(newJob(uniqueKey())).job();
        Job b = store.submit(newJob(uniqueKey())).job();
        Job c = store.submit(newJob(null)).job();
        Job d = store.submit(newJob(null)).job();

        assertEquals(4, Set.of(a.id(), b.id(), c.id(), d.id()).size());
        assertEquals(4, store.recent(10).size());
    }

    @Test
    void aCompletedJobIsStillReturnedForTheSameRequest() {
        String key = uniqueKey();
        Job done = complete(store.submit(newJob(key)).job().id());

        Submission again = store.submit(newJob(key));

        assertFalse(again.created());
        assertEquals(done, again.job());
    }

    @Test
    void concurrentIdenticalRequestsCreateExactlyOneJob() throws Exception {
        String key = uniqueKey();
        List<Submission> submissions = concurrently(THREADS, i -> store.submit(newJob(key)));

        assertEquals(1, submissions.stream().filter(Submission::created).count(), "exactly one caller creates the job");
        Set<UUID> ids = submissions.stream().map(s -> s.job().id()).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "everybody gets the same job: " + ids);
        assertEquals(1, store.recent(100).size());
    }

    @Test
    void concurrentRedeliveriesOfOneJobCreateItOnce() throws Exception {
        NewJob job = newJob(uniqueKey());
        List<Submission> submissions = concurrently(THREADS, i -> store.submit(job));

        assertEquals(1, submissions.stream().filter(Submission::created).count());
        assertTrue(submissions.stream().allMatch(s -> s.job().id().equals(job.id())));
    }

    // ---- fail -----------------------------------------------------------------------------------------------

    @Test
    void failRecordsTheReasonAndReleasesTheDedupKey() {
        String key = uniqueKey();
        Job job = store.submit(newJob(key)).job();

        Job failed = store.fail(job.id(), "  no cloud-free imagery for season 2023  ");

        assertEquals(JobState.FAILED, failed.state());
        assertEquals("no cloud-free imagery for season 2023", failed.failureReason());
        assertEquals(job.version() + 1, failed.version());
        Submission retry = store.submit(newJob(key));
        assertTrue(retry.created(), "a failed job must not block a retry of the same request");
        assertNotEquals(job.id(), retry.job().id());
        assertEquals(JobState.QUEUED, retry.job().state());
        assertEquals(failed, store.find(job.id()).orElseThrow(), "the failed job stays on record");
        // The retry now holds the key.
        assertEquals(retry.job().id(), store.submit(newJob(key)).job().id());
    }

    @Test
    void failCutsAVeryLongReason() {
        Job job = store.submit(newJob(null)).job();
        String stackTrace = "java.lang.IllegalStateException: boom\n" + "\tat x.y.Z.method(Z.java:1)\n".repeat(400);

        Job failed = store.fail(job.id(), stackTrace);

        assertEquals(JdbcJobStore.MAX_FAILURE_REASON_CHARS, failed.failureReason().length());
        assertTrue(failed.failureReason().startsWith("java.lang.IllegalStateException: boom"));
        assertTrue(failed.failureReason().endsWith("\u2026"), "a cut reason says it was cut");
    }

    @Test
    void failNeedsAReason() {
        Job job = store.submit(newJob(null)).job();
        assertThrows(IllegalArgumentException.class, () -> store.fail(job.id(), "  "));
        assertThrows(IllegalArgumentException.class, () -> store.fail(job.id(), null));
        assertEquals(job, store.find(job.id()).orElseThrow());
    }

    @Test
    void failLeavesACompletedJobCompleted() {
        Job done = complete(store.submit(newJob(uniqueKey())).job().id());

        assertEquals(done, store.fail(done.id(), "reconciler gave up"));
        assertEquals(done, store.find(done.id()).orElseThrow());
    }

    @Test
    void failingTwiceKeepsTheFirstReason() {
        Job job = store.submit(newJob(null)).job();
        Job failed = store.fail(job.id(), "first");

        assertEquals(failed, store.fail(job.id(), "second"));
    }

    @Test
    void transitionToFailedAlsoReleasesTheKey() {
        String key = uniqueKey();
        Job job = store.submit(newJob(key)).job();

        Job failed = store.transition(job.id(), JobState.FAILED);

        assertEquals(JobState.FAILED, failed.state());
        assertFalse(failed.failureReason().isBlank(), "a failed job always carries a reason");
        assertTrue(store.submit(newJob(key)).created());
    }

    // ---- transitions ----------------------------------------------------------------------------------------

    static Stream<Arguments> allStatePairs() {
        return Stream.of(JobState.values())
                .flatMap(from -> Stream.of(JobState.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allStatePairs")
    void transitionFollowsTheStateMachine(JobState from, JobState to) {
        Job job = jobIn(from);

        if (from == to) {
            assertEquals(job, store.transition(job.id(), to), "same state is a no-op, no version bump");
        } else if (from.canMoveTo(to)) {
            Job moved = store.transition(job.id(), to);
            assertEquals(to, moved.state());
            assertEquals(job.version() + 1, moved.version());
            assertEquals(moved, store.find(job.id()).orElseThrow());
        } else {
            IllegalJobTransitionException e =
                    assertThrows(IllegalJobTransitionException.class, () -> store.transition(job.id(), to));
            assertTrue(e.getMessage().contains(from.name()) && e.getMessage().contains(to.name()), e.getMessage());
            assertEquals(job, store.find(job.id()).orElseThrow(), "a refused move changes nothing");
        }
    }

    @Test
    void everyChangeBumpsVersionAndUpdatedAt() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job job = store.submit(newJob(null)).job();
        clock.advance(Duration.ofSeconds(5));

        Job moved = store.transition(job.id(), JobState.EXTRACTING);

        assertEquals(2, moved.version());
        assertEquals(T0.plusSeconds(5), moved.updatedAt());
        assertEquals(T0, moved.createdAt());
    }

    // ---- markEnqueued ---------------------------------------------------------------------------------------

    @Test
    void markEnqueuedRecordsTheFirstHandOverOnly() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job job = store.submit(newJob(null)).job();
        clock.advance(Duration.ofMillis(1500));

        Job enqueued = store.markEnqueued(job.id());

        assertEquals(T0.plusMillis(1500), enqueued.enqueuedAt());
        assertEquals(JobState.QUEUED, enqueued.state());
        assertEquals(2, enqueued.version());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(enqueued, store.markEnqueued(job.id()), "a repeat is a no-op");
    }

    @Test
    void markEnqueuedLeavesAFinishedJobAlone() {
        Job job = store.submit(newJob(null)).job();
        Job failed = store.fail(job.id(), "rejected by the model registry");

        assertEquals(failed, store.markEnqueued(job.id()));
    }

    // ---- imagery manifest ------------------------------------------------------------------------------------

    @Test
    void imageryManifestKeepsOrderAndTheFirstWriteWins() {
        Job job = store.submit(newJob(uniqueKey())).job();
        assertEquals(List.of(), store.imagery(job.id()));
        List<String> items = List.of("S2B_36KVE_20240910_0_L2A", "S2A_36KVE_20240905_0_L2A", "S2A_36KVE_20241005_0_L2A");
        assertEquals(items, store.recordImagery(job.id(), items), "order as given (the planner's acquisition order)");
        assertEquals(items, store.imagery(job.id()));
        // A redelivered job event searched again and found one more item: the job keeps what it started with.
        List<String> later = new ArrayList<>(items);
        later.add("S2B_36KVE_20241010_0_L2A");
        assertEquals(items, store.recordImagery(job.id(), later));
        assertEquals(items, store.imagery(job.id()));
        // Another job's manifest is its own.
        Job other = store.submit(newJob(uniqueKey())).job();
        assertEquals(List.of(), store.imagery(other.id()));
        assertEquals(List.of("S2A_35KQU_20240905_0_L2A"), store.recordImagery(other.id(), List.of("S2A_35KQU_20240905_0_L2A")));
        assertEquals(items, store.imagery(job.id()));
    }

    @Test
    void emptyManifestRecordsNothingAndBadItemIdsAreRefused() {
        Job job = store.submit(newJob(uniqueKey())).job();
        assertEquals(List.of(), store.recordImagery(job.id(), List.of()));
        assertEquals(List.of("a"), store.recordImagery(job.id(), List.of("a")), "an empty manifest did not block a real one");
        Job fresh = store.submit(newJob(uniqueKey())).job();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> store.recordImagery(fresh.id(), List.of("x", "y", "x")));
        assertTrue(twice.getMessage().contains("'x'"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.recordImagery(fresh.id(), List.of(" ")));
        assertThrows(IllegalArgumentException.class, () -> store.recordImagery(fresh.id(), List.of("i".repeat(201))));
        assertEquals(List.of(), store.imagery(fresh.id()), "a refused manifest leaves nothing behind");
        UUID missing = UUID.randomUUID();
        assertThrows(JobNotFoundException.class, () -> store.recordImagery(missing, List.of("a")));
        assertThrows(JobNotFoundException.class, () -> store.imagery(missing));
    }

    @Test
    void manifestItemsKeepTheirDocumentsAndOrder() {
        Job job = store.submit(newJob(uniqueKey())).job();
        assertEquals(List.of(), store.imageryItems(job.id()));
        // A document as big as a real DEA item's, with characters that need escaping in SQL and JSON.
        String big = "{\"id\":\"S2B_2\",\"assets\":\"" + "x".repeat(20_000) + "\",\"note\":\"l'été ☀\"}";
        List<ImageryItem> items = List.of(new ImageryItem("S2B_2", big), new ImageryItem("S2A_1", "{\"id\":\"S2A_1\"}"));
        assertEquals(items, store.recordImageryItems(job.id(), items));
        assertEquals(items, store.imageryItems(job.id()));
        assertEquals(List.of("S2B_2", "S2A_1"), store.imagery(job.id()), "the ids alone, same order");
        assertEquals(items, store.recordImageryItems(job.id(), List.of(new ImageryItem("S2C_3", "{}"))),
                "the first manifest wins");
        // Recorded by id only: no document, which a reader must see.
        Job idsOnly = store.submit(newJob(uniqueKey())).job();
        store.recordImagery(idsOnly.id(), List.of("S2A_9"));
        assertEquals(List.of(new ImageryItem("S2A_9", null)), store.imageryItems(idsOnly.id()));
        Job fresh = store.submit(newJob(uniqueKey())).job();
        assertThrows(IllegalArgumentException.class,
                () -> store.recordImageryItems(fresh.id(), List.of(new ImageryItem("a", " "))));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> store.recordImageryItems(fresh.id(), List.of(new ImageryItem("a", "x".repeat(256 * 1024 + 1)))));
        assertTrue(tooBig.getMessage().contains("imagery item a"), tooBig.getMessage());
        assertEquals(List.of(), store.imageryItems(fresh.id()), "a refused manifest leaves nothing behind");
        assertThrows(JobNotFoundException.class, () -> store.imageryItems(UUID.randomUUID()));
    }

    @Test
    void concurrentPlannersAgreeOnOneManifest() throws Exception {
        Job job = store.submit(newJob(uniqueKey())).job();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                List<String> manifest = List.of("item-" + i + "-a", "item-" + i + "-b");
                results.add(pool.submit(() -> store.recordImagery(job.id(), manifest)));
            }
            Set<List<String>> seen = new java.util.HashSet<>();
            for (Future<List<String>> f : results) {
                seen.add(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, seen.size(), "every planner got the same winning manifest: " + seen);
            assertEquals(seen.iterator().next(), store.imagery(job.id()));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- planTiles ------------------------------------------------------------------------------------------

    @Test
    void planTilesSetsTheTotalAndIsIdempotent() {
        Job job = store.submit(newJob(null)).job();

        Job planned = store.planTiles(job.id(), List.of("32736-63-1567", "32736-64-1567", "32736-63-1568"));
        assertEquals(3, planned.tilesTotal());
        assertEquals(job.version() + 1, planned.version());

        assertEquals(planned, store.planTiles(job.id(), List.of("32736-63-1568", "32736-63-1567", "32736-64-1567")),
                "the same ids again (in any order) change nothing");
        assertEquals(planned, store.planTiles(job.id(), List.of("32736-63-1567")), "a subset changes nothing");

        Job grown = store.planTiles(job.id(), List.of("32736-63-1567", "32736-65-1567", "32736-65-1567"));
        assertEquals(4, grown.tilesTotal(), "one new distinct tile");
    }

    @Test
    void planTilesRejectsMissingOrBlankIds() {
        Job job = store.submit(newJob(null)).job();
        assertThrows(IllegalArgumentException.class, () -> store.planTiles(job.id(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> store.planTiles(job.id(), List.of("a", " ")));
        assertThrows(IllegalArgumentException.class, () -> store.planTiles(job.id(), null));
        assertEquals(0, store.find(job.id()).orElseThrow().tilesTotal());
    }

    @Test
    void planTilesOnAFinishedJobRecordsNothing() {
        Job job = store.submit(newJob(null)).job();
        Job failed = store.fail(job.id(), "cancelled");

        assertEquals(failed, store.planTiles(job.id(), List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> store.markTileExtracted(job.id(), "a"),
                "the tiles were not recorded");
    }

    // ---- tile counting --------------------------------------------------------------------------------------

    @Test
    void aTileIsCountedExtractedOnce() {
        Job job = planned(3);

        TileProgress first = store.markTileExtracted(job.id(), "t0");
        assertTrue(first.counted());
        assertFalse(first.completedJustNow());
        assertEquals(1, first.job().tilesExtracted());
        assertEquals(0, first.job().tilesScored());
        assertEquals(job.version() + 1, first.job().version());

        TileProgress again = store.markTileExtracted(job.id(), "t0");
        assertFalse(again.counted(), "a redelivery is not counted");
        assertFalse(again.completedJustNow());
        assertEquals(first.job(), again.job(), "and changes nothing");
    }

    @Test
    void onlyTheCallThatScoresTheLastTileCompletesTheJob() {
        Job job = planned(2);

        TileProgress a = store.markTileScored(job.id(), "t0");
        assertTrue(a.counted());
        assertFalse(a.completedJustNow());

        TileProgress aAgain = store.markTileScored(job.id(), "t0");
        assertFalse(aAgain.counted());
        assertFalse(aAgain.completedJustNow());

        TileProgress b = store.markTileScored(job.id(), "t1");
        assertTrue(b.counted());
        assertTrue(b.completedJustNow());
        assertEquals(2, b.job().tilesScored());

        TileProgress bAgain = store.markTileScored(job.id(), "t1");
        assertFalse(bAgain.counted());
        assertFalse(bAgain.completedJustNow(), "a redelivered last tile must not assemble the COG twice");
        assertEquals(b.job(), bAgain.job());
    }

    @Test
    void aScoredTileCountsAsExtractedEvenIfExtractionIsRecordedLate() {
        Job job = planned(2);

        TileProgress scored = store.markTileScored(job.id(), "t1");
        assertEquals(1, scored.job().tilesExtracted());
        assertEquals(1, scored.job().tilesScored());

        TileProgress lateExtraction = store.markTileExtracted(job.id(), "t1");
        assertFalse(lateExtraction.counted());
        assertEquals(scored.job(), lateExtraction.job());
    }

    @Test
    void countingAnUnplannedTileIsRefused() {
        Job job = planned(1);

        IllegalArgumentException extracted =
                assertThrows(IllegalArgumentException.class, () -> store.markTileExtracted(job.id(), "32736-1-1"));
        IllegalArgumentException scored =
                assertThrows(IllegalArgumentException.class, () -> store.markTileScored(job.id(), "32736-1-1"));

        for (IllegalArgumentException e : List.of(extracted, scored)) {
            assertTrue(e.getMessage().contains("32736-1-1") && e.getMessage().contains(job.id().toString()), e.getMessage());
        }
        assertEquals(job, store.find(job.id()).orElseThrow());
    }

    @Test
    void tilesOfAFailedJobAreNotCounted() {
        Job job = planned(2);
        Job failed = store.fail(job.id(), "STAC search returned no items");

        TileProgress extracted = store.markTileExtracted(job.id(), "t0");
        TileProgress scored = store.markTileScored(job.id(), "t1");

        assertFalse(extracted.counted());
        assertFalse(scored.counted());
        assertFalse(scored.completedJustNow());
        assertEquals(failed, scored.job());
        assertEquals(failed, store.find(job.id()).orElseThrow());
    }

    @Test
    void aCompletedJobAcceptsRedeliveriesButRefusesNewCounts() {
        Job job = planned(2);
        store.markTileScored(job.id(), "t0");
        store.transition(job.id(), JobState.SCORING);
        // Completed early, with t1 never scored: only a caller bug gets here.
        Job done = store.complete(job.id(), Map.of("cog", "results/" + job.id() + "/crop.tif"));

        TileProgress redelivered = store.markTileScored(job.id(), "t0");
        assertFalse(redelivered.counted());
        assertEquals(done, redelivered.job());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.markTileScored(job.id(), "t1"));
        assertTrue(e.getMessage().contains("COMPLETED") && e.getMessage().contains("t1"), e.getMessage());
        assertEquals(done, store.find(job.id()).orElseThrow());
    }

    @Test
    void concurrentCountingCompletesTheJobExactlyOnce() throws Exception {
        int tiles = 8;
        for (int round = 0; round < 3; round++) {
            Job job = planned(tiles);
            // Every tile extracted once and scored twice (a redelivery), all shuffled across the threads.
            List<Callable<TileProgress>> calls = new ArrayList<>();
            for (int t = 0; t < tiles; t++) {
                String tile = "t" + t;
                calls.add(() -> store.markTileExtracted(job.id(), tile));
                calls.add(() -> store.markTileScored(job.id(), tile));
                calls.add(() -> store.markTileScored(job.id(), tile));
            }
            Collections.shuffle(calls, new Random(round));

            List<TileProgress> results = concurrently(calls.size(), i -> calls.get(i).call());

            assertEquals(1, results.stream().filter(TileProgress::completedJustNow).count(),
                    "exactly one caller assembles the COG");
            Job finalJob = store.find(job.id()).orElseThrow();
            assertEquals(tiles, finalJob.tilesScored());
            assertEquals(tiles, finalJob.tilesExtracted());
            long counted = results.stream().filter(TileProgress::counted).count();
            assertTrue(counted >= tiles && counted <= 2L * tiles, "counted calls: " + counted);
            assertEquals(job.version() + counted, finalJob.version(), "one version per counted call: no lost update");
            TileProgress completer = results.stream().filter(TileProgress::completedJustNow).findFirst().orElseThrow();
            assertEquals(tiles, completer.job().tilesScored());
        }
    }

    // ---- complete -------------------------------------------------------------------------------------------

    @Test
    void completeStoresTheResultLinks() {
        Job assembling = jobIn(JobState.ASSEMBLING);
        Map<String, String> links = Map.of(
                "cog", "results/" + assembling.id() + "/crop.tif",
                "tilejson", "https://geocrop.example/tiles/" + assembling.id() + "/tilejson.json");

        Job done = store.complete(assembling.id(), links);

        assertEquals(JobState.COMPLETED, done.state());
        assertEquals(links, done.results());
        assertEquals(1.0, done.progress());
        assertEquals(assembling.version() + 1, done.version());
        assertEquals(done, store.find(assembling.id()).orElseThrow());
        assertEquals(done, store.complete(assembling.id(), Map.of("cog", "elsewhere.tif")),
                "completing again (a redelivery) keeps the first results");
    }

    @Test
    void completeFollowsTheStateMachine() {
        Job queued = store.submit(newJob(null)).job();
        assertThrows(IllegalJobTransitionException.class,
                () -> store.complete(queued.id(), Map.of("cog", "x.tif")), "QUEUED cannot complete");
        Job failed = store.fail(queued.id(), "broken");
        assertThrows(IllegalJobTransitionException.class, () -> store.complete(queued.id(), Map.of("cog", "x.tif")));
        assertEquals(failed, store.find(queued.id()).orElseThrow());
    }

    @Test
    void completeNeedsResultLinks() {
        Job scoring = jobIn(JobState.SCORING);
        assertThrows(IllegalArgumentException.class, () -> store.complete(scoring.id(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> store.complete(scoring.id(), Map.of("cog", " ")));
        assertEquals(scoring, store.find(scoring.id()).orElseThrow());
    }

    // ---- stuck ----------------------------------------------------------------------------------------------

    @Test
    void stuckListsUnfinishedJobsUntouchedForTooLongOldestFirst() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job a = store.submit(newJob(null)).job();              // updated at T0
        clock.advance(Duration.ofSeconds(10));
        Job b = store.submit(newJob(null)).job();              // T0 + 10 s
        clock.advance(Duration.ofSeconds(10));
        Job c = store.submit(newJob(null)).job();
        store.fail(c.id(), "given up");                        // terminal: never stuck
        clock.advance(Duration.ofSeconds(10));
        Job d = store.submit(newJob(null)).job();              // T0 + 30 s
        clock.advance(Duration.ofSeconds(70));                 // now T0 + 100 s

        assertEquals(List.of(a.id(), b.id()), idsOf(store.stuck(75, 10)));
        assertEquals(List.of(a.id()), idsOf(store.stuck(75, 1)));
        assertEquals(List.of(a.id(), b.id(), d.id()), idsOf(store.stuck(70 - 1, 10)));
        assertEquals(List.of(a.id(), b.id()), idsOf(store.stuck(70, 10)), "exactly 70 s old is not older than 70 s");

        store.transition(a.id(), JobState.EXTRACTING);         // touched now
        assertEquals(List.of(b.id()), idsOf(store.stuck(75, 10)));
        assertEquals(List.of(), store.stuck(75, 0));
        assertThrows(IllegalArgumentException.class, () -> store.stuck(-1, 10));
    }

    @Test
    void recordedProgressKeepsASlowJobOffTheStuckListAndChangesNothingElse() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job job = planned(2);
        clock.advance(Duration.ofSeconds(100));
        assertEquals(List.of(job.id()), idsOf(store.stuck(75, 10)));

        Job progressed = store.recordProgress(job.id());
        assertEquals(List.of(), store.stuck(75, 10), "progress recorded just now: not stuck");
        assertEquals(job.version() + 1, progressed.version(), "a change the reconciler's attempt count sees");
        assertEquals(job.state(), progressed.state());
        assertEquals(job.tilesTotal(), progressed.tilesTotal());
        assertEquals(job.tilesExtracted(), progressed.tilesExtracted());
        assertEquals(progressed, store.find(job.id()).orElseThrow());

        Job failed = store.fail(job.id(), "given up");
        assertEquals(failed, store.recordProgress(job.id()), "a finished job is left as it is");
        assertThrows(JobNotFoundException.class, () -> store.recordProgress(UUID.randomUUID()));
    }

    @Test
    void stuckWorksOnTheSystemClock() throws InterruptedException {
        Job job = store.submit(newJob(null)).job();
        Thread.sleep(5);

        assertEquals(List.of(job.id()), idsOf(store.stuck(0, 10)));
        assertEquals(List.of(), store.stuck(3600, 10));
    }

    // ---- tiles and reconcile attempts (the reconciler's view) ---------------------------------------------------

    @Test
    void tilesListWhatWasCountedForEachPlannedTile() {
        Job job = planned(3);
        assertEquals(List.of(), store.tiles(store.submit(newJob(null)).job().id()), "nothing planned yet");
        store.markTileExtracted(job.id(), "t1");
        store.markTileScored(job.id(), "t2");

        List<TileStatus> tiles = store.tiles(job.id());
        assertEquals(List.of("t0", "t1", "t2"), tiles.stream().map(TileStatus::tileId).toList());
        assertFalse(tiles.get(0).extracted());
        assertFalse(tiles.get(0).scored());
        assertTrue(tiles.get(1).extracted());
        assertFalse(tiles.get(1).scored());
        assertTrue(tiles.get(2).extracted(), "a scored tile counts as extracted");
        assertTrue(tiles.get(2).scored());
    }

    @Test
    void reconcileAttemptsCountOnlyWhileTheJobMakesNoProgress() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job job = store.submit(newJob(null)).job();
        store.planTiles(job.id(), List.of("t0", "t1"));
        Job seen = store.transition(job.id(), JobState.EXTRACTING);
        clock.advance(Duration.ofSeconds(100));

        assertEquals(java.util.OptionalInt.of(1), store.recordReconcileAttempt(seen.id(), seen.version()));
        Job afterFirst = store.find(seen.id()).orElseThrow();
        assertEquals(seen.version() + 1, afterFirst.version());
        assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), afterFirst.updatedAt(),
                "an attempt touches the job, so it is stuck again only after another timeout");
        assertEquals(List.of(), idsOf(store.stuck(50, 10)));

        assertEquals(java.util.OptionalInt.empty(), store.recordReconcileAttempt(seen.id(), seen.version()),
                "a stale version (another reconciler got there first) records nothing");
        assertEquals(java.util.OptionalInt.of(2), store.recordReconcileAttempt(seen.id(), afterFirst.version()));
        Job afterSecond = store.find(seen.id()).orElseThrow();

        Job progressed = store.markTileExtracted(seen.id(), "t0").job();
        assertEquals(java.util.OptionalInt.of(1), store.recordReconcileAttempt(seen.id(), progressed.version()),
                "progress since the last attempt starts the count again");
        assertNotEquals(afterSecond.version(), progressed.version());

        Job failed = store.fail(seen.id(), "given up");
        assertEquals(java.util.OptionalInt.empty(), store.recordReconcileAttempt(seen.id(), failed.version()),
                "a finished job is never reconciled");
    }

    // ---- failures stay local, queue standing ----------------------------------------------------------------

    @Test
    void aFailedTileIsMarkedAndAwaitsRetryWhileTheJobGoesOn() {
        Job job = planned(2);
        Job extracting = store.transition(job.id(), JobState.EXTRACTING);

        TileFailure failure = store.markTileFailed(job.id(), "t0", "  event could not be delivered: boom ");
        assertTrue(failure.recorded());
        assertEquals(JobState.EXTRACTING, failure.job().state(), "a tile's failure does not fail the job");
        assertEquals(extracting.version() + 1, failure.job().version(), "but the job changed: streams show it");
        assertEquals(1, failure.tile().failures());
        assertEquals("event could not be delivered: boom", failure.tile().lastFailure());
        assertTrue(failure.tile().awaitingRetry());
        assertEquals(List.of(new TileRetry(job.id(), failure.tile())), store.tilesAwaitingRetry(10));
        assertEquals(List.of(), store.tilesAwaitingRetry(0));

        assertFalse(store.markTileRetried(job.id(), "t0", 0), "a stale count notes nothing");
        assertTrue(store.markTileRetried(job.id(), "t0", 1));
        assertFalse(store.markTileRetried(job.id(), "t0", 1), "noted once");
        assertEquals(List.of(), store.tilesAwaitingRetry(10));
        TileStatus t0 = store.tiles(job.id()).getFirst();
        assertEquals(1, t0.failures(), "the count stays: it bounds the attempts");
        assertFalse(t0.awaitingRetry());

        assertEquals(2, store.markTileFailed(job.id(), "t0", "again").tile().failures());
        assertThrows(IllegalArgumentException.class, () -> store.markTileFailed(job.id(), "t9", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.markTileFailed(job.id(), "t1", " "));

        Job failed = store.fail(job.id(), "tile t0 failed 2 times");
        assertEquals(List.of(), store.tilesAwaitingRetry(10), "a finished job's tiles are not retried");
        TileFailure late = store.markTileFailed(job.id(), "t1", "late");
        assertFalse(late.recorded());
        assertEquals(failed, late.job());
    }

    @Test
    void queueStandingSharesExtractionRoundRobinAndMeasuresTheRate() {
        TestClock clock = new TestClock(T0);
        store = newStore(clock);
        Job big = planned(store.submit(newJob(null)).job().id(), 10);
        store.transition(big.id(), JobState.EXTRACTING);
        clock.advance(Duration.ofSeconds(1));
        Job small = planned(store.submit(newJob(null)).job().id(), 2);
        store.transition(small.id(), JobState.EXTRACTING);

        assertEquals(new QueueStanding(1, 10, 2, null), store.status(big.id()).orElseThrow().queue(),
                "nothing extracted lately: no rate, no estimate");
        assertEquals(new QueueStanding(2, 2, 2, null), store.status(small.id()).orElseThrow().queue(),
                "round-robin: the big job's tiles ahead of the small one's last are as many as its own");
        assertNull(store.find(small.id()).orElseThrow().queue(), "find reads the job only, not the other jobs");

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(10));
            store.markTileExtracted(big.id(), "t" + i);
        }
        // 3 tiles 10 s apart: 10 s a tile; the small job waits for 2 of the big job's and its own 2.
        assertEquals(new QueueStanding(2, 2, 2, Duration.ofSeconds(40)), store.status(small.id()).orElseThrow().queue());
        assertEquals(new QueueStanding(1, 7, 2, Duration.ofSeconds(90)), store.status(big.id()).orElseThrow().queue());

        clock.advance(Duration.ofSeconds(1));
        Job queued = store.submit(newJob(UUID.randomUUID(), 31.05, -17.83, 2000, 2023, null)).job();
        int planned = io.geocrop.domain.ProcessingGrid.plan(queued.aoi()).tiles().size();
        QueueStanding standing = store.status(queued.id()).orElseThrow().queue();
        assertEquals(3, standing.position(), "behind the two jobs in extraction");
        assertEquals(planned, standing.tilesLeft(), "a QUEUED job's tiles are those its AOI will be planned into");
        assertEquals(Math.min(7, planned) + Math.min(2, planned), standing.tilesAhead());

        store.markTileExtracted(small.id(), "t0");
        store.markTileExtracted(small.id(), "t1");
        store.transition(small.id(), JobState.SCORING);
        assertNull(store.status(small.id()).orElseThrow().queue(), "past extraction: no longer queued");
        assertEquals(2, store.status(queued.id()).orElseThrow().queue().position());
        assertNull(store.fail(big.id(), "stop").queue());
        assertNull(store.status(big.id()).orElseThrow().queue(), "a finished job has no standing");
    }

    // ---- unknown jobs ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"markEnqueued", "transition", "fail", "planTiles", "markTileExtracted", "markTileScored", "complete",
        "tiles", "recordReconcileAttempt", "markTileFailed", "markTileRetried"})
    void operationsOnAnUnknownJobThrowNotFound(String operation) {
        UUID unknown = UUID.randomUUID();
        Runnable call = switch (operation) {
            case "markEnqueued" -> () -> store.markEnqueued(unknown);
            case "transition" -> () -> store.transition(unknown, JobState.EXTRACTING);
            case "fail" -> () -> store.fail(unknown, "whatever");
            case "planTiles" -> () -> store.planTiles(unknown, List.of("t0"));
            case "markTileExtracted" -> () -> store.markTileExtracted(unknown, "t0");
            case "markTileScored" -> () -> store.markTileScored(unknown, "t0");
            case "complete" -> () -> store.complete(unknown, Map.of("cog", "x.tif"));
            case "tiles" -> () -> store.tiles(unknown);
            case "recordReconcileAttempt" -> () -> store.recordReconcileAttempt(unknown, 1);
            case "markTileFailed" -> () -> store.markTileFailed(unknown, "t0", "x");
            case "markTileRetried" -> () -> store.markTileRetried(unknown, "t0", 1);
            default -> throw new IllegalArgumentException(operation);
        };
        JobNotFoundException e = assertThrows(JobNotFoundException.class, call::run);
        assertTrue(e.getMessage().contains(unknown.toString()), e.getMessage());
    }

    // ---- progress -------------------------------------------------------------------------------------------

    @Test
    void progressCountsFeaturesAndScoringHalfEach() {
        Job job = store.submit(newJob(null)).job();
        assertEquals(0.0, job.progress());
        job = planned(job.id(), 4);
        assertEquals(0.0, job.progress());

        store.markTileExtracted(job.id(), "t0");
        job = store.markTileExtracted(job.id(), "t1").job();
        assertEquals(2.0 / 8, job.progress());

        job = store.markTileScored(job.id(), "t0").job();       // already extracted
        assertEquals(3.0 / 8, job.progress());
        job = store.markTileScored(job.id(), "t2").job();       // counts its extraction too
        assertEquals(5.0 / 8, job.progress());

        store.transition(job.id(), JobState.SCORING);
        Job done = store.complete(job.id(), Map.of("cog", "results/x/crop.tif"));
        assertEquals(1.0, done.progress(), "a completed job is done whatever its counters say");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A new job with tiles {@code t0..t(n-1)} planned. */
    private Job planned(int tiles) {
        return planned(store.submit(newJob(null)).job().id(), tiles);
    }

    private Job planned(UUID id, int tiles) {
        return store.planTiles(id, IntStream.range(0, tiles).mapToObj(i -> "t" + i).toList());
    }

    /** A new job brought to {@code state} by the allowed path. */
    private Job jobIn(JobState state) {
        UUID id = store.submit(newJob(uniqueKey())).job().id();
        return switch (state) {
            case QUEUED -> store.find(id).orElseThrow();
            case EXTRACTING -> store.transition(id, JobState.EXTRACTING);
            case SCORING -> {
                store.transition(id, JobState.EXTRACTING);
                yield store.transition(id, JobState.SCORING);
            }
            case ASSEMBLING -> {
                store.transition(id, JobState.EXTRACTING);
                store.transition(id, JobState.SCORING);
                yield store.transition(id, JobState.ASSEMBLING);
            }
            case COMPLETED -> complete(id);
            case FAILED -> store.fail(id, "made to fail by the test");
        };
    }

    private Job complete(UUID id) {
        store.transition(id, JobState.EXTRACTING);
        store.transition(id, JobState.SCORING);
        store.transition(id, JobState.ASSEMBLING);
        return store.complete(id, Map.of("cog", "results/" + id + "/crop.tif"));
    }

    private static List<UUID> idsOf(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    /** A call made by one of the racing threads, told its index. */
    @FunctionalInterface
    protected interface IndexedCall<T> {
        T call(int index) throws Exception;
    }

    /**
     * Runs {@code count} calls on {@link #THREADS} threads, released together so they really race, and returns
     * their results in call order. Any failure fails the test.
     */
    protected static <T> List<T> concurrently(int count, IndexedCall<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(Math.min(count, THREADS));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                boolean gate = i < THREADS;
                futures.add(pool.submit(() -> {
                    if (gate) {
                        ready.countDown();
                        go.await();
                    }
                    return call.call(index);
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "threads did not start");
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultLinksCannotBeChangedThroughAReturnedJob() {
        Job queued = store.submit(newJob(null)).job();
        Job done = complete(store.submit(newJob(null)).job().id());

        assertThrows(UnsupportedOperationException.class, () -> queued.results().put("cog", "x"));
        assertThrows(UnsupportedOperationException.class, () -> done.results().put("cog", "x"));
        assertEquals(done, store.find(done.id()).orElseThrow());
    }
}
