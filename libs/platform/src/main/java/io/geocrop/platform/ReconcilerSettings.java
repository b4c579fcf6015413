package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.reconciler.*}: when a job counts as stuck and how often its work is re-emitted before it fails.
 *
 * @param timeout     a non-finished job untouched for longer than this is stuck ({@code GEOCROP_RECONCILER_TIMEOUT});
 *                    keep it well above the time one tile takes, or busy jobs get duplicate (harmless) work
 * @param maxAttempts re-emissions in a row without progress before the job fails with "gave up after N reconcile
 *                    attempts" ({@code GEOCROP_RECONCILER_MAX_ATTEMPTS})
 * @param queuedTimeout a job handed to the stream but still QUEUED this long gets its job-submitted event again on
 *                    every run, no attempt counted ({@code GEOCROP_RECONCILER_QUEUED_TIMEOUT}); covers the entries
 *                    a restarting RedisStreamSource skips. Equal to {@code timeout} turns the pass off
 * @param batch       stuck jobs looked at per run
 * @param tileAttempts times one tile's event may be dead-lettered before its job fails; each earlier failure is
 *                    re-emitted by the next run ({@code GEOCROP_RECONCILER_TILE_ATTEMPTS})
 * @param interval    embedded runtime only: how often the reconciler runs in-process; 0 turns it off (a cluster
 *                    runs it from the PingSource through {@code POST /internal/reconcile} instead)
 */
@ConfigurationProperties("geocrop.reconciler")
public record ReconcilerSettings(
        @Bindable(defaultValue = "10m") Duration timeout,
        @Bindable(defaultValue = "3") int maxAttempts,
        @Bindable(defaultValue = "30s") Duration queuedTimeout,
        @Bindable(defaultValue = "100") int batch,
        @Bindable(defaultValue = "1m") Duration interval,
        @Bindable(defaultValue = "3") int tileAttempts) {

    /** Checks the values are usable. */
    public ReconcilerSettings {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("geocrop.reconciler.timeout must be a positive duration, got " + timeout);
        }
        if (queuedTimeout == null || queuedTimeout.isNegative()) {
            throw new IllegalArgumentException("geocrop.reconciler.queued-timeout must be a positive duration, got " + queuedTimeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("geocrop.reconciler.max-attempts must be >= 1, got " + maxAttempts);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("geocrop.reconciler.batch must be >= 1, got " + batch);
        }
        if (tileAttempts < 1) {
            throw new IllegalArgumentException("geocrop.reconciler.tile-attempts must be >= 1, got " + tileAttempts);
        }
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("geocrop.reconciler.interval must be 0 (off) or positive, got " + interval);
        }
    }
}
