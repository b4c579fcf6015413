package io.geocrop.jobs;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.domain.cost.WorkMeter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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

    /**
     * Platform threads for work measured on behalf of a virtual thread: the JVM cannot read a virtual thread's CPU
     * clock, so work handed in on one (Micronaut's blocking executor, the embedded broker's deliveries) runs on one
     * of these while the virtual thread waits, which costs it nothing. Bounded by the callers (tiles in flight).
     */
    private static final ExecutorService METERED = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("geocrop-metered-", 0).factory());

    /**
     * Runs {@code work} inside a new {@link WorkMeter} (helper threads wrapped by the pools count): on this thread,
     * or, when this is a virtual thread, on a platform thread while this one waits (with the logging context), so
     * its CPU time can be read. An interruption of the waiting thread interrupts the work and ends in a
     * {@link CancellationException}.
     */
    public static <T, E extends Exception> Measured<T> measure(Work<T, E> work) throws E {
        return Thread.currentThread().isVirtual() ? measureOnPlatformThread(work) : measureHere(work);
    }

    private static <T, E extends Exception> Measured<T> measureOnPlatformThread(Work<T, E> work) throws E {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Future<Measured<T>> future = METERED.submit(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return measureHere(work);
            } finally {
                MDC.clear();
            }
        });
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while measured work ran on a platform thread");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw JobCosts.<E>sneaky(cause);
        }
    }

    /** The work's own checked exception, re-thrown as it is: it can only be an {@code E} (or unchecked, above). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Throwable cause) throws E {
        throw (E) cause;
    }

    private static <T, E extends Exception> Measured<T> measureHere(Work<T, E> work) throws E {
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
