package io.geocrop.platform;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's PingSource: runs the {@link Reconciler} in-process every
 * {@code geocrop.reconciler.interval} (0 turns it off). On a cluster the PingSource calls submit-job's
 * {@code POST /internal/reconcile} instead, so this bean only exists with the embedded event transport.
 *
 * <p>Once the context has started (every subscriber registered with the in-process broker), it also resumes the
 * unfinished jobs a previous stop left ({@link Reconciler#resume}), at once rather than after the stuck timeout: a
 * stop abandons the deliveries it cuts short instead of failing their jobs.
 */
@Context
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class EmbeddedReconcilerSchedule implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedReconcilerSchedule.class);

    private final ScheduledFuture<?> task;
    private final Provider<Reconciler> reconciler;
    private final TaskScheduler scheduler;
    private final Instant startedAt;

    EmbeddedReconcilerSchedule(ReconcilerSettings settings, Provider<Reconciler> reconciler,
                               @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, Clock clock) {
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.startedAt = clock.instant();
        Duration interval = settings.interval();
        if (interval.isZero()) {
            task = null;
            return;
        }
        // The reconciler (and with it the job store) is resolved on the first run, not at start-up.
        task = scheduler.scheduleWithFixedDelay(interval, interval, () -> {
            try {
                reconciler.get().reconcile();
            } catch (RuntimeException e) {
                LOG.warn("Reconciler run failed; trying again in {}: {}", interval, e.getMessage());
            }
        });
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        // Off the start-up thread: the job store is opened by the first reconciler use.
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                reconciler.get().resume(startedAt);
            } catch (RuntimeException e) {
                LOG.warn("Resuming the jobs left by the last stop failed; the reconciler's runs pick them up: {}",
                        e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
