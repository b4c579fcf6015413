package io.geocrop.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/** The cost counters as Prometheus sees them: registered at zero per stage, counted once per recorded unit. */
class CostMetricsTest {

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertTrue(m.find(), series + " missing from\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aRecordedUnitIsCountedOnceUnderItsStage() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:cost-metrics-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        try {
            JobStore jobs = new MeteredJobStore(JobStores.forDataSource(pool, Clock.systemUTC()),
                    new GeoCropMetrics(prometheus));
            String before = prometheus.scrape();
            assertEquals(0.0, value(before, "geocrop_job_cpu_seconds_total{stage=\"assembly\"}"));
            assertEquals(0.0, value(before, "geocrop_catalogue_bytes_total{stage=\"planning\"}"));

            UUID id = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.05, -17.83, 2000),
                    new Season(2024)), "m@champion", null)).job().id();
            jobs.recordCost(id, "t1", CostStage.EXTRACTION, new WorkCost(2_500_000_000L, 120, 8_000_000, 4_000_000));
            jobs.recordCost(id, "t1", CostStage.EXTRACTION, new WorkCost(9_000_000_000L, 9, 9, 9)); // a repeat
            jobs.recordCost(id, "t2", CostStage.EXTRACTION, new WorkCost(500_000_000L, 80, 2_000_000, 1_000_000));

            String after = prometheus.scrape();
            assertEquals(3.0, value(after, "geocrop_job_cpu_seconds_total{stage=\"extraction\"}"), 1e-9);
            assertEquals(200.0, value(after, "geocrop_catalogue_requests_total{stage=\"extraction\"}"));
            assertEquals(1.0e7, value(after, "geocrop_catalogue_bytes_total{stage=\"extraction\"}"));
            assertEquals(5.0e6, value(after, "geocrop_storage_written_bytes_total{stage=\"extraction\"}"));
            assertEquals(0.0, value(after, "geocrop_job_cpu_seconds_total{stage=\"scoring\"}"));
        } finally {
            pool.dispose();
        }
    }
}
