package io.geocrop.platform.metrics;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counters of what jobs' work cost, by stage: CPU seconds, catalogue requests and bytes, bytes written. Counted
 * where the cost is recorded in the job store ({@link MeteredJobStore#recordCost}), once per recorded unit, by the
 * process that did the work; Prometheus sums the processes. Registered at zero for every stage at start-up.
 */
public final class CostMetrics {
    /** Counter: CPU seconds of jobs' work, tagged {@code stage}. Prometheus: {@code geocrop_job_cpu_seconds_total}. */
    public static final String CPU_SECONDS = "geocrop.job.cpu.seconds";
    /** Counter: requests sent to the imagery catalogue for jobs, tagged {@code stage}. */
    public static final String CATALOGUE_REQUESTS = "geocrop.catalogue.requests";
    /** Counter: bytes read from the imagery catalogue for jobs, tagged {@code stage}. */
    public static final String CATALOGUE_BYTES = "geocrop.catalogue.bytes";
    /** Counter: bytes written to object storage for jobs, tagged {@code stage}. */
    public static final String STORAGE_WRITTEN_BYTES = "geocrop.storage.written.bytes";

    private final Map<CostStage, Counter[]> counters = new EnumMap<>(CostStage.class);

    /** The counters in {@code registry} (a private simple registry when null, as {@link GeoCropMetrics} does). */
    public CostMetrics(MeterRegistry registry) {
        MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
        for (CostStage stage : CostStage.values()) {
            String s = stage.label();
            counters.put(stage, new Counter[] {
                Counter.builder(CPU_SECONDS).baseUnit("seconds").tag(GeoCropMetrics.TAG_STAGE, s)
                        .description("CPU seconds of jobs' work (all threads), by stage").register(r),
                Counter.builder(CATALOGUE_REQUESTS).tag(GeoCropMetrics.TAG_STAGE, s)
                        .description("Requests sent to the imagery catalogue for jobs, by stage").register(r),
                Counter.builder(CATALOGUE_BYTES).baseUnit("bytes").tag(GeoCropMetrics.TAG_STAGE, s)
                        .description("Bytes read from the imagery catalogue for jobs, by stage").register(r),
                Counter.builder(STORAGE_WRITTEN_BYTES).baseUnit("bytes").tag(GeoCropMetrics.TAG_STAGE, s)
                        .description("Bytes written to object storage for jobs, by stage").register(r),
            });
        }
    }

    /** Adds one unit's recorded cost. */
    public void add(CostStage stage, WorkCost cost) {
        Counter[] c = counters.get(stage);
        c[0].increment(cost.cpuSeconds());
        c[1].increment(cost.catalogueRequests());
        c[2].increment(cost.catalogueBytes());
        c[3].increment(cost.bytesWritten());
    }
}
