package io.geocrop.platform.metrics;

import io.geocrop.domain.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every GeoCrop metric, defined once: names, units, descriptions and tags. Functions and platform code call the
 * methods here; libraries stay free of Micrometer and get plain callbacks ({@code LongConsumer},
 * {@code Consumer<Duration>}, ...) wired to these methods by the function factories.
 *
 * <p>Micrometer names use dots; the Prometheus registry turns {@code geocrop.jobs.submitted} into
 * {@code geocrop_jobs_submitted_total} (counters) and {@code geocrop.model.load} into
 * {@code geocrop_model_load_seconds_count|_sum|_max} (timers, base unit seconds). The dashboards and alert rules
 * in {@code infra/monitoring} and the table in {@code docs/deploy.md} use those Prometheus names.
 *
 * <p>Counters are registered at zero when the bean is created (at start-up), so a scraper sees every series from
 * the first scrape and {@code increase()} counts the first event of a short-lived pod.
 */
@Context
public class GeoCropMetrics {
    /** Counter: new jobs accepted (not de-duplicated ones). */
    public static final String JOBS_SUBMITTED = "geocrop.jobs.submitted";
    /** Counter: jobs whose result COG was assembled. */
    public static final String JOBS_COMPLETED = "geocrop.jobs.completed";
    /** Counter: jobs failed, tagged with the {@code stage} (the state the job failed in). */
    public static final String JOBS_FAILED = "geocrop.jobs.failed";
    /** Gauge: jobs past their timeout at the last reconciler run. */
    public static final String JOBS_STUCK = "geocrop.jobs.stuck";
    /** Counter: feature tiles written. */
    public static final String TILES_EXTRACTED = "geocrop.tiles.extracted";
    /** Counter: result rasters written (job tiles and uploads). */
    public static final String TILES_SCORED = "geocrop.tiles.scored";
    /** Counter: pixels of the feature tiles written. */
    public static final String PIXELS_EXTRACTED = "geocrop.pixels.extracted";
    /** Counter: pixels of the rasters scored. */
    public static final String PIXELS_SCORED = "geocrop.pixels.scored";
    /** Timer: resolving and loading the scoring model, once per instance. */
    public static final String MODEL_LOAD = "geocrop.model.load";
    /** Timer with histogram buckets: rendering one PNG tile (cache misses), tagged with the {@code layer} style. */
    public static final String TILE_RENDER = "geocrop.tile.render";
    /** Timer: JVM start to the first request or event handled, recorded once per process. */
    public static final String COLD_START = "geocrop.cold.start";
    /** Counter: events received by the dead-letter sink. */
    public static final String EVENTS_DEAD_LETTERED = "geocrop.events.dead.lettered";

    /** Tag of {@link #JOBS_FAILED}: the lower-case state the job was in when it failed. */
    public static final String TAG_STAGE = "stage";
    /** Tag of {@link #TILE_RENDER}: the layer style ({@code crop-class}, {@code confidence}, ...). */
    public static final String TAG_LAYER = "layer";

    /** Bucket boundaries of {@link #TILE_RENDER}: a cached-COG tile takes milliseconds, a cold remote read seconds. */
    static final Duration[] TILE_RENDER_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final long processStartMillis;
    private final Counter submitted;
    private final Counter completed;
    private final Map<JobState, Counter> failed = new EnumMap<>(JobState.class);
    private final AtomicInteger stuck = new AtomicInteger();
    private final Counter tilesExtracted;
    private final Counter tilesScored;
    private final Counter pixelsExtracted;
    private final Counter pixelsScored;
    private final Timer modelLoad;
    private final Timer coldStart;
    private final Counter deadLettered;
    private final Map<String, Timer> renderTimers = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * Metrics in Micronaut's registry; without one (metrics disabled) they are counted nowhere.
     */
    @Inject
    public GeoCropMetrics(@Nullable MeterRegistry registry) {
        this(registry, ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /**
     * @param processStartMillis when the process started (epoch millis): the start of {@link #COLD_START}
     */
    public GeoCropMetrics(@Nullable MeterRegistry registry, long processStartMillis) {
        // An empty composite registry is Micrometer's no-op registry.
        this.registry = registry != null ? registry : new CompositeMeterRegistry();
        this.processStartMillis = processStartMillis;
        MeterRegistry r = this.registry;
        submitted = Counter.builder(JOBS_SUBMITTED).description("New jobs accepted (not de-duplicated ones)").register(r);
        completed = Counter.builder(JOBS_COMPLETED).description("Jobs whose result COG was assembled").register(r);
        for (JobState state : JobState.values()) {
            if (!state.isTerminal()) {
                failed.put(state, Counter.builder(JOBS_FAILED).description("Jobs failed, by the state they failed in")
                        .tag(TAG_STAGE, state.name().toLowerCase(Locale.ROOT)).register(r));
            }
        }
        Gauge.builder(JOBS_STUCK, stuck, AtomicInteger::get)
                .description("Jobs past their timeout at the last reconciler run of this instance").register(r);
        tilesExtracted = Counter.builder(TILES_EXTRACTED).description("Feature tiles written").register(r);
        tilesScored = Counter.builder(TILES_SCORED).description("Result rasters written (job tiles and uploads)").register(r);
        pixelsExtracted = Counter.builder(PIXELS_EXTRACTED).description("Pixels of the feature tiles written").register(r);
        pixelsScored = Counter.builder(PIXELS_SCORED).description("Pixels of the rasters scored").register(r);
        modelLoad = Timer.builder(MODEL_LOAD).description("Resolving and loading the scoring model, once per instance")
                .register(r);
        coldStart = Timer.builder(COLD_START)
                .description("JVM start to the first request or event handled, once per process").register(r);
        deadLettered = Counter.builder(EVENTS_DEAD_LETTERED).description("Events received by the dead-letter sink")
                .register(r);
    }

    /** A new job was recorded. */
    public void jobSubmitted() {
        submitted.increment();
    }

    /** A job was completed. */
    public void jobCompleted() {
        completed.increment();
    }

    /** A job failed while in {@code stage} (a non-terminal state). */
    public void jobFailed(JobState stage) {
        Counter c = failed.get(Objects.requireNonNull(stage, "stage"));
        if (c == null) {
            throw new IllegalArgumentException("a job cannot fail from terminal state " + stage);
        }
        c.increment();
    }

    /** What the last reconciler run found: {@code count} jobs past their timeout. */
    public void jobsStuck(int count) {
        stuck.set(count);
    }

    /** A feature tile of {@code pixels} pixels was written. */
    public void tileExtracted(long pixels) {
        tilesExtracted.increment();
        pixelsExtracted.increment(pixels);
    }

    /** A raster of {@code pixels} pixels was scored and its result written. */
    public void tileScored(long pixels) {
        tilesScored.increment();
        pixelsScored.increment(pixels);
    }

    /** The model was resolved and loaded in {@code took}. */
    public void modelLoaded(Duration took) {
        modelLoad.record(took);
    }

    /** A tile of layer style {@code layer} was rendered (a cache miss) in {@code nanos}. */
    public void tileRendered(String layer, long nanos) {
        renderTimers.computeIfAbsent(layer, l -> Timer.builder(TILE_RENDER)
                        .description("Rendering one PNG tile (cache misses)")
                        .tag(TAG_LAYER, l)
                        .serviceLevelObjectives(TILE_RENDER_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An event was received by the dead-letter sink. */
    public void eventDeadLettered() {
        deadLettered.increment();
    }

    /**
     * A request or event was handled: the first call records {@link #COLD_START}, later ones do nothing.
     *
     * @return whether this call recorded it
     */
    public boolean firstWorkHandled() {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        coldStart.record(Math.max(0, System.currentTimeMillis() - processStartMillis), TimeUnit.MILLISECONDS);
        return true;
    }

    /** The registry the metrics are in. */
    public MeterRegistry registry() {
        return registry;
    }
}
