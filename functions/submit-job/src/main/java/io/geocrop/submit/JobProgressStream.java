package io.geocrop.submit;

import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.platform.problem.ProblemTypes;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Follows jobs for SSE clients by polling the job store, which is the source of truth in both ways to run
 * (several function processes write progress to it in a cluster). One poll per followed job, shared by every
 * stream of that job ({@link Flux#replay(int)} + {@code refCount}): a thousand viewers of one job cost the
 * database what one does. One event per change of the job's version; a stream completes after the terminal
 * event, or after {@code maxDuration} so no connection lives forever (the browser's EventSource reconnects).
 * Open streams are capped per client (429) and per instance (503), both with {@code Retry-After}.
 */
public final class JobProgressStream {
    private final JobStore store;
    private final Duration pollInterval;
    private final Duration maxDuration;
    private final int perClient;
    private final int perInstance;
    private final Map<UUID, Flux<Job>> polls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    public JobProgressStream(JobStore store, Duration pollInterval, Duration maxDuration, int perClient, int perInstance) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.maxDuration = maxDuration;
        this.perClient = perClient;
        this.perInstance = perInstance;
    }

    /**
     * A stream of the job for {@code client}.
     *
     * @throws ProblemException 429 when the client already holds its share of streams, 503 when the instance is full
     */
    public Flux<Event<JobView>> follow(UUID id, String client) {
        if (open.incrementAndGet() > perInstance) {
            open.decrementAndGet();
            throw refused(503, ProblemTypes.UNAVAILABLE, "Service unavailable",
                    "this instance follows its most progress streams (" + perInstance + "); poll GET /jobs/{id} or retry");
        }
        AtomicInteger mine = byClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (mine.incrementAndGet() > perClient) {
            release(client, mine);
            throw refused(429, ProblemTypes.RATE_LIMITED, "Too many requests",
                    "at most " + perClient + " progress streams per client at once; close one first");
        }
        return shared(id)
                .take(maxDuration)
                .map(job -> Event.of(JobView.of(job))
                        .name(job.state().isTerminal() ? job.state().name().toLowerCase() : "progress")
                        .id(Long.toString(job.version())))
                .doFinally(signal -> release(client, mine));
    }

    /** Streams open now (for tests and metrics). */
    public int openStreams() {
        return open.get();
    }

    private Flux<Job> shared(UUID id) {
        return polls.computeIfAbsent(id, key -> {
            @SuppressWarnings("unchecked")
            Flux<Job>[] self = new Flux[1];
            self[0] = Flux.interval(Duration.ZERO, pollInterval, Schedulers.boundedElastic())
                    .onBackpressureDrop()
                    .concatMap(tick -> Mono.justOrEmpty(store.find(key)), 1)
                    .distinctUntilChanged(Job::version)
                    .takeUntil(job -> job.state().isTerminal())
                    // Ended (terminal job, or the last viewer left): the next viewer starts a fresh poll.
                    .doFinally(signal -> polls.remove(key, self[0]))
                    // A late subscriber gets the latest state at once, then the changes.
                    .replay(1)
                    .refCount();
            return self[0];
        });
    }

    private void release(String client, AtomicInteger mine) {
        open.decrementAndGet();
        if (mine.decrementAndGet() <= 0) {
            byClient.remove(client, mine);
        }
    }

    private static ProblemException refused(int status, String type, String title, String detail) {
        return new ProblemException(status, type, title, detail, List.of(), Map.of("Retry-After", "10"));
    }
}
