package io.geocrop.submit;

import io.geocrop.jobs.Job;
import io.geocrop.domain.JobState;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows jobs for SSE clients by polling the job store, which is the source of truth in both ways to run
 * (several function processes write progress to it in a cluster). One poller per instance: every
 * {@code pollInterval} it reads the versions of all followed jobs in one batched query ({@link JobVersions}) and
 * loads only the jobs whose version changed. The database therefore sees one statement per interval plus one per
 * job change, whatever the number of streams or of followed jobs (issue 17: 500 streams cost what 10 do). A job
 * waiting for or in extraction also has a queue standing that moves when other jobs progress, not only when it
 * changes itself: while any followed job waits, each poll also reads one mark of the whole queue
 * ({@code queueMark}), and when that changed the waiting followed jobs are read again and re-sent if their standing
 * moved (one load per waiting followed job per queue change, still independent of the number of streams). Each
 * job's latest state is shared by its viewers (a late viewer gets it at once). One event per change of the job's
 * version or of a waiting job's standing;
 * a stream completes after the terminal event, or after {@code maxDuration} so no connection lives forever (the
 * browser's EventSource reconnects). Open streams are capped per client (429) and per instance (503), both with
 * {@code Retry-After}.
 */
public final class JobProgressStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobProgressStream.class);

    private final JobStore store;
    private final Function<Collection<UUID>, Map<UUID, Long>> versions;
    private final Supplier<?> queueMark;
    private Object lastQueueMark; // touched by the poller thread only
    private final Duration maxDuration;
    private final int perClient;
    private final int perInstance;
    private final Map<UUID, Watch> watched = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong polls = new AtomicLong();
    private final ScheduledExecutorService poller;

    /** One followed job: its viewers share the latest state. */
    private static final class Watch {
        final UUID id;
        final Sinks.Many<Job> sink = Sinks.many().replay().latest();
        int viewers; // changed only inside watched.compute
        private long version = Long.MIN_VALUE;
        private Job last;
        private boolean ended;

        Watch(UUID id) {
            this.id = id;
        }

        synchronized long version() {
            return version;
        }

        synchronized boolean ended() {
            return ended;
        }

        /** Whether the viewers' latest state is a job waiting for or in extraction (its standing can move). */
        synchronized boolean waiting() {
            return !ended && last != null && (last.state() == JobState.QUEUED || last.state() == JobState.EXTRACTING);
        }

        /**
         * Emits the job if it is newer than what the viewers have, or the same version with another queue standing;
         * completes after a terminal state.
         */
        synchronized void offer(Job job) {
            boolean newer = job.version() > version;
            boolean moved = job.version() == version && last != null && !Objects.equals(job.queue(), last.queue());
            if (ended || !(newer || moved)) {
                return;
            }
            version = job.version();
            last = job;
            sink.tryEmitNext(job);
            if (job.state().isTerminal()) {
                ended = true;
                sink.tryEmitComplete();
            }
        }
    }

    /**
     * @param store       loads a job whose version changed
     * @param versions    the versions of many jobs in one query (ids of no job absent)
     * @param queueMark   one reading of the whole extraction queue that changes whenever any waiting job's standing
     *                    may have moved (compared with {@code equals}); read once per poll while a followed job waits
     * @param pollInterval how often the one poller looks
     */
    public JobProgressStream(JobStore store, Function<Collection<UUID>, Map<UUID, Long>> versions, Supplier<?> queueMark,
                             Duration pollInterval, Duration maxDuration, int perClient, int perInstance) {
        this.store = store;
        this.versions = versions;
        this.queueMark = queueMark;
        this.maxDuration = maxDuration;
        this.perClient = perClient;
        this.perInstance = perInstance;
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sse-poller").factory());
        long every = Math.max(1, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::pollOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream of {@code job} (as just read by the caller) for {@code client}: the job's latest state at once, then
     * each change.
     *
     * @throws ProblemException 429 when the client already holds its share of streams, 503 when the instance is full
     */
    public Flux<Event<JobView>> follow(Job job, String client) {
        if (open.incrementAndGet() > perInstance) {
            open.decrementAndGet();
            throw refused(503,
                    "this instance follows its most progress streams (" + perInstance + "); poll GET /jobs/{id} or retry");
        }
        AtomicInteger mine = byClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (mine.incrementAndGet() > perClient) {
            release(client, mine);
            throw refused(429,
                    "at most " + perClient + " progress streams per client at once; close one first");
        }
        Watch watch = watched.compute(job.id(), (id, old) -> {
            Watch w = old == null ? new Watch(id) : old;
            w.viewers++;
            return w;
        });
        watch.offer(job);
        return watch.sink.asFlux()
                .take(maxDuration)
                .map(j -> Event.of(view(j))
                        .name(j.state().isTerminal() ? j.state().name().toLowerCase() : "progress")
                        .id(Long.toString(j.version())))
                .doFinally(signal -> {
                    unwatch(watch);
                    release(client, mine);
                });
    }

    /** Streams open now (for tests and metrics). */
    public int openStreams() {
        return open.get();
    }

    /** Jobs being followed now. */
    public int followedJobs() {
        return watched.size();
    }

    /** Batched polls made so far (one per interval while any job is followed). */
    public long polls() {
        return polls.get();
    }

    /** Stops the poller (open streams get no more changes). */
    @Override
    public void close() {
        poller.shutdownNow();
    }

    /**
     * One look at every followed job: one batched version query, then one load per changed job; while a followed job
     * waits, one queue mark, and when it moved one load per waiting followed job not loaded already.
     */
    void pollOnce() {
        try {
            List<Watch> live = watched.values().stream().filter(w -> !w.ended()).toList();
            if (live.isEmpty()) {
                lastQueueMark = null;
                return;
            }
            polls.incrementAndGet();
            Map<UUID, Long> now = versions.apply(live.stream().map(w -> w.id).toList());
            List<Watch> waiting = live.stream().filter(Watch::waiting).toList();
            boolean queueMoved = false;
            if (!waiting.isEmpty()) {
                Object mark = queueMark.get();
                queueMoved = lastQueueMark != null && !lastQueueMark.equals(mark);
                lastQueueMark = mark;
            } else {
                lastQueueMark = null; // the next waiting job's standing was read with its own first state
            }
            for (Watch w : live) {
                Long version = now.get(w.id);
                if (version != null && (version > w.version() || (queueMoved && w.waiting()))) {
                    store.status(w.id).ifPresent(w::offer);
                }
            }
        } catch (RuntimeException e) {
            // The next interval tries again; the streams stay open meanwhile.
            LOG.warn("Progress poll failed: {}", e.getMessage());
        }
    }

    private void unwatch(Watch watch) {
        watched.computeIfPresent(watch.id, (id, w) -> w != watch ? w : --w.viewers <= 0 ? null : w);
    }

    private void release(String client, AtomicInteger mine) {
        open.decrementAndGet();
        if (mine.decrementAndGet() <= 0) {
            byClient.remove(client, mine);
        }
    }

    private static ProblemException refused(int status, String detail) {
        return ProblemException.of(status, detail, List.of(), Map.of("Retry-After", "10"));
    }

    /** The job's view; a finished job's comes with its cost (recorded by then, and read once per stream). */
    private JobView view(Job job) {
        JobView view = JobView.of(job);
        if (!job.state().isTerminal()) {
            return view;
        }
        try {
            return view.withCost(store.cost(job.id()), io.geocrop.jobs.JobCosts.aoiKm2(job.aoi()));
        } catch (RuntimeException e) {
            return view; // the cost is an extra: a failed read must not end the stream without its last event
        }
    }
}
