package io.geocrop.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics as Prometheus sees them, through a real Prometheus registry: exactly the names the dashboards and alert
 * rules in infra/monitoring use, and the job counters of {@link MeteredJobStore} over a real H2 job store (a job counts
 * once, whatever repeats).
 */
class GeoCropMetricsTest {
    private PrometheusMeterRegistry prometheus;
    private GeoCropMetrics metrics;
    private JdbcConnectionPool pool;
    private JobStore jobs;

    @BeforeEach
    void setUp() {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new GeoCropMetrics(prometheus, System.currentTimeMillis() - 1500);
        pool = JdbcConnectionPool.create("jdbc:h2:mem:metrics-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jobs = new MeteredJobStore(JobStores.forDataSource(pool, Clock.systemUTC()), metrics);
    }

    @AfterEach
    void tearDown() {
        pool.dispose();
    }

    /** The value of one series in the scrape, e.g. {@code geocrop_jobs_submitted_total}; fails if it is absent. */
    private double value(String series) {
        String scrape = prometheus.scrape();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertTrue(m.find(), series + " is not in the scrape:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void everySeriesTheDashboardsUseIsThereFromTheStart() {
        for (String series : List.of("geocrop_jobs_submitted_total", "geocrop_jobs_completed_total",
                "geocrop_jobs_failed_total{stage=\"queued\"}", "geocrop_jobs_failed_total{stage=\"extracting\"}",
                "geocrop_jobs_failed_total{stage=\"scoring\"}", "geocrop_jobs_failed_total{stage=\"assembling\"}",
                "geocrop_jobs_stuck", "geocrop_tiles_extracted_total", "geocrop_tiles_scored_total",
                "geocrop_pixels_extracted_total", "geocrop_pixels_scored_total", "geocrop_model_load_seconds_count",
                "geocrop_model_load_seconds_sum", "geocrop_model_load_seconds_max", "geocrop_cold_start_seconds_count",
                "geocrop_cold_start_seconds_sum", "geocrop_events_dead_lettered_total")) {
            assertEquals(0.0, value(series), series);
        }
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("# HELP geocrop_jobs_submitted_total New jobs accepted"), scrape);
    }

    @Test
    void countersTimersAndTheGaugeRecordWhatTheyAreTold() {
        metrics.tileExtracted(512 * 512);
        metrics.tileExtracted(512 * 512);
        metrics.tileScored(300 * 200);
        metrics.modelLoaded(Duration.ofMillis(1250));
        metrics.jobsStuck(3);
        metrics.eventDeadLettered();
        assertEquals(2.0, value("geocrop_tiles_extracted_total"));
        assertEquals(2.0 * 512 * 512, value("geocrop_pixels_extracted_total"));
        assertEquals(1.0, value("geocrop_tiles_scored_total"));
        assertEquals(60000.0, value("geocrop_pixels_scored_total"));
        assertEquals(1.0, value("geocrop_model_load_seconds_count"));
        assertEquals(1.25, value("geocrop_model_load_seconds_sum"), 1e-9, "seconds, the Prometheus base unit");
        assertEquals(3.0, value("geocrop_jobs_stuck"));
        metrics.jobsStuck(0);
        assertEquals(0.0, value("geocrop_jobs_stuck"), "a gauge: the last run's count");
        assertEquals(1.0, value("geocrop_events_dead_lettered_total"));
    }

    @Test
    void tileRenderIsAHistogramWithBucketsPerLayer() {
        metrics.tileRendered("crop-class", Duration.ofMillis(3).toNanos());
        metrics.tileRendered("crop-class", Duration.ofMillis(40).toNanos());
        metrics.tileRendered("confidence", Duration.ofMillis(7).toNanos());
        assertEquals(0.0, value("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"0.002\"}"));
        assertEquals(1.0, value("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"0.005\"}"));
        assertEquals(2.0, value("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"0.05\"}"));
        assertEquals(2.0, value("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"+Inf\"}"));
        assertEquals(2.0, value("geocrop_tile_render_seconds_count{layer=\"crop-class\"}"));
        assertEquals(1.0, value("geocrop_tile_render_seconds_bucket{layer=\"confidence\",le=\"0.01\"}"));
    }

    @Test
    void coldStartIsRecordedOncePerProcess() {
        assertTrue(metrics.firstWorkHandled());
        assertFalse(metrics.firstWorkHandled());
        assertEquals(1.0, value("geocrop_cold_start_seconds_count"));
        assertTrue(value("geocrop_cold_start_seconds_sum") >= 1.5, "measured from the process start given");
    }

    @Test
    void theJobStoreCountsEachJobOnceWhateverRepeats() {
        NewJob request = new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.05, -17.83, 300), new Season(2023)),
                "m@champion", "dedup-1");
        Job job = jobs.submit(request).job();
        jobs.submit(new NewJob(UUID.randomUUID(), request.request(), "m@champion", "dedup-1"));
        assertEquals(1.0, value("geocrop_jobs_submitted_total"), "a de-duplicated request is not a new job");

        jobs.transition(job.id(), JobState.EXTRACTING);
        jobs.fail(job.id(), "No imagery");
        jobs.fail(job.id(), "No imagery");
        jobs.fail(job.id(), "another reason, later");
        assertEquals(1.0, value("geocrop_jobs_failed_total{stage=\"extracting\"}"), "failed once, in EXTRACTING");
        assertEquals(0.0, value("geocrop_jobs_failed_total{stage=\"queued\"}"));

        Job other = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.1, -17.8, 300), new Season(2023)),
                "m@champion", "dedup-2")).job();
        jobs.fail(other.id(), "x".repeat(5000));
        assertEquals(1.0, value("geocrop_jobs_failed_total{stage=\"queued\"}"), "a reason the store cuts still counts");

        Job done = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.2, -17.8, 300), new Season(2023)),
                "m@champion", "dedup-3")).job();
        for (JobState s : List.of(JobState.EXTRACTING, JobState.SCORING, JobState.ASSEMBLING)) {
            jobs.transition(done.id(), s);
        }
        jobs.complete(done.id(), Map.of("cog", "results/x/crop-map.tif"));
        jobs.complete(done.id(), Map.of("cog", "results/x/crop-map.tif"));
        jobs.fail(done.id(), "too late");
        assertEquals(1.0, value("geocrop_jobs_completed_total"));
        assertEquals(3.0, value("geocrop_jobs_submitted_total"));
    }

    @Test
    void aJobCannotFailFromATerminalState() {
        assertThrows(IllegalArgumentException.class, () -> metrics.jobFailed(JobState.COMPLETED));
    }

    @Test
    void probesAndScrapesAreNotColdStartWork() {
        assertTrue(ColdStartFilter.isProbeOrScrape("/health"));
        assertTrue(ColdStartFilter.isProbeOrScrape("/health/readiness"));
        assertTrue(ColdStartFilter.isProbeOrScrape("/prometheus"));
        assertFalse(ColdStartFilter.isProbeOrScrape("/jobs"));
        assertFalse(ColdStartFilter.isProbeOrScrape("/"));
        assertFalse(ColdStartFilter.isProbeOrScrape("/healthy-crops"));
    }
}
