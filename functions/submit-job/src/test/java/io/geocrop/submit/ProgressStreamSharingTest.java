package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import io.geocrop.platform.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The database cost of progress streams does not grow with their number: one batched version query per poll for all
 * followed jobs, one load per changed job. Caps per client and per instance.
 */
class ProgressStreamSharingTest {

    /** A real H2 job store; counts the statements the streams make (batched version queries and single loads). */
    private static final class CountingStore {
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger versionQueries = new AtomicInteger();
        final AtomicInteger queueMarks = new AtomicInteger();
        final JobStore store;
        /** The same store, not counted (the test's own reads). */
        final JobStore uncounted;
        final JobVersions versions;

        CountingStore() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:sse-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            JobStore real = JobStores.forDataSource(ds, Clock.systemUTC());
            uncounted = real;
            versions = new JobVersions(ds);
            store = (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                    new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("find") || method.getName().equals("status")) {
                            finds.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        Map<UUID, Long> versions(Collection<UUID> ids) {
            versionQueries.addAndGet((ids.size() + JobVersions.CHUNK - 1) / JobVersions.CHUNK);
            return versions.of(ids);
        }

        JobVersions.QueueMark queueMark() {
            queueMarks.incrementAndGet();
            return versions.queueMark();
        }

        int statements() {
            return finds.get() + versionQueries.get() + queueMarks.get();
        }

        JobProgressStream streams(Duration interval, int perClient, int perInstance) {
            return new JobProgressStream(store, this::versions, this::queueMark, interval, Duration.ofMinutes(1),
                    perClient, perInstance);
        }

        Job submit() {
            UUID id = UUID.randomUUID();
            return store.submit(new NewJob(id, new JobRequest(new Aoi(29.8, -18.5, 500), new Season(2023)), "m@champion",
                    "k-" + id)).job();
        }
    }

    /** {@code streams} streams, each from its own client, over {@code jobs} (round robin). */
    private static List<Disposable> follow(JobProgressStream progress, List<Job> jobs, int streams, List<Job> seen) {
        List<Disposable> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(progress.follow(jobs.get(i % jobs.size()), "client-" + i).subscribe(e -> seen.add(null)));
        }
        return open;
    }

    @Test
    void fiveHundredStreamsOnFiveHundredJobsQueryAtTheRateOfTen() throws Exception {
        // Both run side by side with the same poll interval: when ten streams (ten jobs) have caused 30 statements,
        // 500 streams on 500 jobs must have caused about as many (one poll per job would be about 1,500). The jobs do
        // not change, so every statement is a batched version query. No clock is asserted.
        CountingStore small = new CountingStore();
        CountingStore large = new CountingStore();
        List<Job> tenJobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tenJobs.add(small.submit());
        }
        List<Job> manyJobs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            manyJobs.add(large.submit());
        }
        small.finds.set(0);
        large.finds.set(0);
        try (JobProgressStream ten = small.streams(Duration.ofMillis(20), 4, 1000);
                JobProgressStream many = large.streams(Duration.ofMillis(20), 4, 1000)) {
            List<Job> seenTen = new CopyOnWriteArrayList<>();
            List<Job> seenMany = new CopyOnWriteArrayList<>();
            List<Disposable> open = new ArrayList<>(follow(many, manyJobs, 500, seenMany));
            open.addAll(follow(ten, tenJobs, 10, seenTen));
            while (small.statements() < 45) {
                Thread.sleep(5);
            }
            int statementsMany = large.statements();
            assertEquals(500, many.openStreams());
            assertEquals(500, many.followedJobs());
            open.forEach(Disposable::dispose);
            // Per poll: one version query and, the jobs being QUEUED, one queue mark; no loads, the queue not moving.
            assertTrue(statementsMany <= 45 + 10, "500 streams made " + statementsMany + " statements while 10 made 45");
            assertTrue(statementsMany >= 10, "the 500 streams were polled: " + statementsMany);
            assertEquals(0, large.finds.get(), "no job changed, so none was loaded");
            assertEquals(500, seenMany.size(), "every stream got its job's state once (it did not change)");
            assertEquals(0, many.openStreams());
            assertEquals(0, many.followedJobs());
        }
    }

    @Test
    void aChangeIsLoadedOnceForAllItsViewersAndTheTerminalStateEndsEveryStream() throws Exception {
        CountingStore counting = new CountingStore();
        Job job = counting.submit();
        try (JobProgressStream progress = counting.streams(Duration.ofMillis(10), 100, 1000)) {
            List<List<String>> names = new ArrayList<>();
            List<Disposable> open = new ArrayList<>();
            AtomicInteger completed = new AtomicInteger();
            for (int i = 0; i < 50; i++) {
                List<String> mine = new CopyOnWriteArrayList<>();
                names.add(mine);
                open.add(progress.follow(job, "c" + i).subscribe(e -> mine.add(e.getName()), e -> { },
                        completed::incrementAndGet));
            }
            counting.finds.set(0);
            counting.store.planTiles(job.id(), List.of("t1"));
            counting.store.fail(job.id(), "imagery: none");
            while (completed.get() < 50) {
                Thread.sleep(5);
            }
            assertTrue(counting.finds.get() <= 2, "each change loaded once, not per viewer: " + counting.finds.get());
            for (List<String> mine : names) {
                assertEquals("progress", mine.getFirst());
                assertEquals("failed", mine.getLast());
            }
            assertEquals(0, progress.openStreams());
            assertEquals(0, progress.followedJobs());
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void aWaitingJobsStandingIsReSentWhenAJobAheadProgressesThoughTheWaitingJobItselfDoesNotChange() throws Exception {
        CountingStore counting = new CountingStore();
        Job ahead = counting.submit();
        Job behind = counting.submit();
        counting.store.transition(ahead.id(), io.geocrop.domain.JobState.EXTRACTING);
        counting.store.planTiles(ahead.id(), List.of("t1", "t2", "t3"));
        counting.store.transition(behind.id(), io.geocrop.domain.JobState.EXTRACTING);
        counting.store.planTiles(behind.id(), List.of("u1", "u2"));
        Job followed = counting.uncounted.status(behind.id()).orElseThrow();
        assertEquals(2, followed.queue().position());
        int aheadBefore = followed.queue().tilesAhead();
        try (JobProgressStream progress = counting.streams(Duration.ofMillis(10), 100, 1000)) {
            List<List<JobView>> seen = new ArrayList<>();
            List<Disposable> open = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                List<JobView> mine = new CopyOnWriteArrayList<>();
                seen.add(mine);
                open.add(progress.follow(followed, "c" + i).subscribe(e -> mine.add(e.getData())));
            }
            // The first polls read the queue's mark; nothing moved, so nothing is loaded or re-sent.
            long polled = progress.polls();
            while (progress.polls() < polled + 3) {
                Thread.sleep(5);
            }
            assertEquals(0, counting.finds.get(), "the queue did not move: nothing loaded");
            // The job ahead extracts two tiles: the followed job's own record (version) does not change, its standing
            // does: one tile-extraction fewer ahead of its last tile.
            counting.store.markTileExtracted(ahead.id(), "t1");
            counting.store.markTileExtracted(ahead.id(), "t2");
            Job now = counting.uncounted.status(behind.id()).orElseThrow();
            assertEquals(followed.version(), now.version(), "the followed job itself did not change");
            assertTrue(now.queue().tilesAhead() < aheadBefore, "the standing moved: " + now.queue());
            // Bounded by polls, not by a clock: the poll that first sees the moved mark re-sends the standing.
            long until = progress.polls() + 200;
            for (List<JobView> mine : seen) {
                while ((mine.isEmpty() || mine.getLast().queue().tilesAhead() != now.queue().tilesAhead())
                        && progress.polls() < until) {
                    Thread.sleep(5);
                }
                assertEquals(now.queue().tilesAhead(), mine.getLast().queue().tilesAhead(),
                        "the moved standing was re-sent within 200 polls: " + mine);
                assertEquals(aheadBefore, mine.getFirst().queue().tilesAhead());
                assertTrue(mine.size() <= 3, "one event per move of the standing: " + mine.size());
            }
            // Loads per queue change, not per viewer: 50 viewers of one job, at most one load per poll that saw a move.
            assertTrue(counting.finds.get() <= 2, "loaded once per queue change for all 50 viewers: " + counting.finds.get());
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void capsPerClientAndPerInstance() {
        CountingStore counting = new CountingStore();
        Job job = counting.submit();
        try (JobProgressStream progress = counting.streams(Duration.ofSeconds(1), 2, 3)) {
            List<Disposable> open = new ArrayList<>();
            open.add(progress.follow(job, "a").subscribe());
            open.add(progress.follow(job, "a").subscribe());
            ProblemException perClient = assertThrows(ProblemException.class, () -> progress.follow(job, "a"));
            assertEquals(429, perClient.problem().status());
            assertEquals("10", perClient.headers().get("Retry-After"));
            open.add(progress.follow(job, "b").subscribe());
            ProblemException perInstance = assertThrows(ProblemException.class, () -> progress.follow(job, "c"));
            assertEquals(503, perInstance.problem().status());
            open.forEach(Disposable::dispose);
            assertEquals(0, progress.openStreams());
            open.add(progress.follow(job, "c").subscribe());
            open.forEach(Disposable::dispose);
            assertEquals(0, progress.openStreams());
        }
    }
}
