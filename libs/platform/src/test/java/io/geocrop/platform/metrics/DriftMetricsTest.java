package io.geocrop.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The drift series as Prometheus scrapes them: the names and bucket the alert rule and its promtool test use. */
class DriftMetricsTest {

    @Test
    void exposesTheHistogramTheAlertReadsAndBoundedPerJobGauges() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DriftMetrics metrics = new DriftMetrics(prometheus);
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < DriftMetrics.RECENT_JOBS + 5; i++) {
            UUID job = UUID.randomUUID();
            jobs.add(job);
            metrics.jobDrift(job, i % 2 == 0 ? 0.05 : 0.6);
        }
        metrics.jobDrift(UUID.randomUUID(), Double.NaN); // unavailable: not recorded
        metrics.jobDrift(jobs.getLast(), 0.05); // the last job assembled again (redelivery): counted once
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("geocrop_job_drift_permille_count 55"), scrape);
        assertTrue(scrape.contains("geocrop_job_drift_permille_bucket{le=\"50.0\"} 28"), scrape);
        assertTrue(scrape.contains("geocrop_job_drift_permille_sum 17600"), scrape);
        // 28 jobs at 0.05 (even i of 0..54), the alert's "at or below 0.25" bucket.
        assertTrue(scrape.contains("geocrop_job_drift_permille_bucket{le=\"250.0\"} 28"), scrape);
        assertTrue(scrape.contains("geocrop_job_drift{job_id=\"" + jobs.getLast() + "\"} 0.05"), scrape);
        assertFalse(scrape.contains(jobs.getFirst().toString()), "older jobs' gauges are removed");
        assertEquals(DriftMetrics.RECENT_JOBS, prometheus.find(DriftMetrics.JOB_DRIFT_GAUGE).gauges().size());
    }
}
