package io.geocrop.platform.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drift metrics of jobs (issue 19): a histogram of every job's drift score, which the alert on the share of recent
 * drifted jobs reads ({@code infra/monitoring/config/alerts.yml}), and a gauge per job tagged {@code job_id} for the
 * last {@value #RECENT_JOBS} jobs of this instance (older jobs' gauges are removed so the series stay bounded).
 * Kept apart from {@link GeoCropMetrics} so drift can change without touching the shared metric table.
 */
public final class DriftMetrics {
    /**
     * Histogram (Prometheus {@code geocrop_job_drift_permille_bucket}): each assembled job's drift score in thousandths
     * (a score of 0.25 is recorded as 250). Scaled because Micrometer's fixed-boundary histograms count a value in the
     * bucket of its ceiling as a whole number: unscaled, every score below 1 would land in the first bucket at or above 1.
     */
    public static final String JOB_DRIFT = "geocrop.job.drift.permille";
    /** Gauge (Prometheus {@code geocrop_job_drift}): one recent job's drift score, tag {@link #TAG_JOB}. */
    public static final String JOB_DRIFT_GAUGE = "geocrop.job.drift";
    /** Tag of {@link #JOB_DRIFT_GAUGE}. */
    public static final String TAG_JOB = "job_id";
    /** Jobs whose gauge is kept. */
    public static final int RECENT_JOBS = 50;
    /**
     * Bucket boundaries of {@link #JOB_DRIFT}, in thousandths: the PSI reading's 0.1 (moderate) and 0.25 (major) are
     * among them, so the alert can count jobs above 0.25 exactly.
     */
    static final double[] BUCKETS = {50, 100, 250, 500, 1000, 2000};

    private final MeterRegistry registry;
    private final DistributionSummary scores;
    private final Deque<Meter.Id> gauges = new ArrayDeque<>();

    public DriftMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        scores = DistributionSummary.builder(JOB_DRIFT)
                .description("Drift score of each assembled job in thousandths: mean population stability index of "
                        + "its features against the model's training distribution, x 1000")
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /**
     * A job's drift was computed; unavailable drift (NaN) is not recorded. A job assembled again (a redelivered
     * last tile) counts once in the histogram while its gauge is among the recent ones of this instance, so the
     * alert's share of drifted jobs is not inflated by redeliveries.
     */
    public synchronized void jobDrift(UUID jobId, double score) {
        if (Double.isNaN(score)) {
            return;
        }
        if (registry.find(JOB_DRIFT_GAUGE).tag(TAG_JOB, jobId.toString()).gauge() == null) {
            scores.record(Math.round(score * 1000));
        }
        AtomicReference<Double> value = new AtomicReference<>(score);
        Gauge gauge = Gauge.builder(JOB_DRIFT_GAUGE, value, AtomicReference::get).tag(TAG_JOB, jobId.toString())
                .description("Drift score of a recent job (the last " + RECENT_JOBS + " of this instance)")
                .strongReference(true).register(registry);
        gauges.remove(gauge.getId());
        gauges.addLast(gauge.getId());
        while (gauges.size() > RECENT_JOBS) {
            registry.remove(gauges.removeFirst());
        }
    }
}
