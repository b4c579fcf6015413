package io.geocrop.platform;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's PingSource: runs the {@link Reconciler} in-process every
 * {@code geocrop.reconciler.interval} (0 turns it off). On a cluster the PingSource calls submit-job's
 * {@code POST /internal/reconcile} instead, so this bean only exists with the embedded event transport.
 */
@Context
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class EmbeddedReconcilerSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedReconcilerSchedule.class);

    private final ScheduledFuture<?> task;

    EmbeddedReconcilerSchedule(ReconcilerSettings settings, Provider<Reconciler> reconciler,
                               @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
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

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
