package io.geocrop.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkMeterTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Burns CPU on this thread and returns how much this thread's CPU clock advanced. */
    private static long burn() {
        long start = THREADS.getCurrentThreadCpuTime();
        double x = 0;
        for (int i = 0; i < 3_000_000; i++) {
            x += Math.sqrt(i) * Math.sin(i);
        }
        if (x == 42) {
            throw new AssertionError("unreachable, keeps the loop alive");
        }
        return THREADS.getCurrentThreadCpuTime() - start;
    }

    @Test
    void countsOnlyInsideAMeasurementAndRestoresTheThread() {
        WorkMeter.countCatalogueRequest();
        WorkMeter.countWritten(100); // no meter: nothing happens
        WorkMeter meter = new WorkMeter();
        try (WorkMeter.Scope ignored = meter.measure()) {
            assertSame(meter, WorkMeter.current());
            WorkMeter.countCatalogueRequest();
            WorkMeter.countCatalogueRequest();
            WorkMeter.countCatalogueBytes(4096);
            WorkMeter.countWritten(512);
            WorkMeter.countWritten(-1); // ignored, never negative
        }
        assertNull(WorkMeter.current());
        WorkMeter.countCatalogueRequest();
        WorkCost cost = meter.cost();
        assertEquals(new WorkCost(cost.cpuNanos(), 2, 4096, 512), cost);
    }

    @Test
    void helperThreadsCountWhenTheirTasksAreWrapped() throws Exception {
        WorkMeter meter = new WorkMeter();
        long helperCpu;
        long unwrappedCpu;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            try (WorkMeter.Scope ignored = meter.measure()) {
                helperCpu = pool.submit(WorkMeter.wrap(() -> {
                    WorkMeter.countCatalogueRequest();
                    return burn();
                })).get();
                unwrappedCpu = pool.submit(() -> {
                    WorkMeter.countCatalogueRequest(); // not charged: the helper has no meter
                    return burn();
                }).get();
            }
        } finally {
            pool.shutdownNow();
        }
        WorkCost cost = meter.cost();
        assertEquals(1, cost.catalogueRequests());
        assertTrue(cost.cpuNanos() >= helperCpu, cost + " should include the wrapped task's " + helperCpu + " ns");
        assertTrue(cost.cpuNanos() < helperCpu + unwrappedCpu, cost + " should not include the unwrapped task's "
                + unwrappedCpu + " ns");
    }

    @Test
    void aParallelStreamBodyIsChargedOnce() {
        WorkMeter meter = new WorkMeter();
        long[] perElement = new long[8];
        try (WorkMeter.Scope ignored = meter.measure()) {
            IntStream.range(0, perElement.length).parallel().forEach(WorkMeter.wrap((int i) -> perElement[i] = burn()));
        }
        long sum = java.util.Arrays.stream(perElement).sum();
        assertTrue(meter.cost().cpuNanos() >= sum, meter.cost() + " should include every element's " + sum + " ns");
        // Elements run by the measuring thread itself are counted by its own frame, not again by their wrapper.
        assertTrue(meter.cost().cpuNanos() < 2 * sum, meter.cost() + " counted some elements twice (" + sum + " ns)");
    }

    @Test
    void aNestedMeasurementPausesTheOuterOne() {
        WorkMeter outer = new WorkMeter();
        WorkMeter inner = new WorkMeter();
        long innerWork;
        try (WorkMeter.Scope o = outer.measure()) {
            try (WorkMeter.Scope i = inner.measure()) {
                innerWork = burn();
                WorkMeter.countWritten(7);
            }
            assertSame(outer, WorkMeter.current());
            WorkMeter.countWritten(3);
        }
        assertTrue(inner.cost().cpuNanos() >= innerWork);
        assertTrue(outer.cost().cpuNanos() < innerWork, outer.cost() + " also counted the nested " + innerWork + " ns");
        assertEquals(7, inner.cost().bytesWritten());
        assertEquals(3, outer.cost().bytesWritten());
    }
}
