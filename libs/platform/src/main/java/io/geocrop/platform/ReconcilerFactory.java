package io.geocrop.platform;

import io.geocrop.events.EventPublisher;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The reconciler, from {@code geocrop.reconciler.*}; created on first use (a reconcile call or the schedule). */
@Factory
final class ReconcilerFactory {

    @Singleton
    Reconciler reconciler(JobStore jobs, ObjectStore store, EventPublisher events, ReconcilerSettings settings, Clock clock,
                          GeoCropMetrics metrics) {
        return new Reconciler(jobs, store, events, settings.timeout(), settings.queuedTimeout(), settings.maxAttempts(), settings.batch(), clock,
                metrics::jobsStuck);
    }
}
