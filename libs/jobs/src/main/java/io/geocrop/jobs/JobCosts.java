package io.geocrop.jobs;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.domain.cost.WorkMeter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helpers of the places that measure a job's work and record its cost ({@link JobStore#recordCost}): recording that
 * never fails the work it measures, and the AOI area costs are divided by.
 */
public final class JobCosts {
    private static final Logger LOG = LoggerFactory.getLogger(JobCosts.class);

    private JobCosts() {}

    /** A piece of work to measure. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** What {@link #measure} returns: the work's result and what it cost. */
    public record Measured<T>(T result, WorkCost cost) {}

    /** Runs {@code work} on this thread inside a new {@link WorkMeter} (helper threads wrapped by the pools count). */
    public static <T, E extends Exception> Measured<T> measure(Work<T, E> work) throws E {
        WorkMeter meter = new WorkMeter();
        T result;
        try (WorkMeter.Scope ignored = meter.measure()) {
            result = work.run();
        }
        return new Measured<>(result, meter.cost());
    }

    /**
     * Records the unit's cost; a store failure is logged, not thrown: the work it measures is done, and failing it now
     * would only repeat it.
     */
    public static void record(JobStore jobs, UUID id, String unit, CostStage stage, WorkCost cost) {
        try {
            jobs.recordCost(id, unit, stage, cost);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: the {} cost of '{}' was not recorded: {}", id, stage.label(), unit, e.getMessage());
        }
    }

    /** The AOI circle's area in km², what costs per km² are divided by. */
    public static double aoiKm2(Aoi aoi) {
        return Math.PI * aoi.radiusM() * aoi.radiusM() / 1e6;
    }
}
