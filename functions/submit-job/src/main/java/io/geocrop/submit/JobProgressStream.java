package io.geocrop.submit;

import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Follows a job for SSE clients by polling the job store, which is the source of truth in both ways to run
 * (several function processes write progress to it in a cluster). One event per change of the job's version;
 * the stream completes after the terminal event, or after {@code maxDuration} so no connection lives forever
 * (the browser's EventSource reconnects on its own).
 */
public final class JobProgressStream {
    private final JobStore store;
    private final Duration pollInterval;
    private final Duration maxDuration;

    public JobProgressStream(JobStore store, Duration pollInterval, Duration maxDuration) {
        this.store = store;
        this.pollInterval = pollInterval;
        this.maxDuration = maxDuration;
    }

    public Flux<Event<JobView>> follow(UUID id) {
        return Flux.interval(Duration.ZERO, pollInterval, Schedulers.boundedElastic())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.justOrEmpty(store.find(id)), 1)
                .distinctUntilChanged(Job::version)
                .takeUntil(job -> job.state().isTerminal())
                .take(maxDuration)
                .map(job -> Event.of(JobView.of(job))
                        .name(job.state().isTerminal() ? job.state().name().toLowerCase() : "progress")
                        .id(Long.toString(job.version())));
    }
}
