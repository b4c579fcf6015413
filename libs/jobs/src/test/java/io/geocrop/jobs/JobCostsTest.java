package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.cost.WorkMeter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Work measured on a virtual thread (Micronaut's blocking executor, the embedded broker) is charged its CPU time:
 * the JVM cannot read a virtual thread's CPU clock, so {@link JobCosts#measure} runs it on a platform thread.
 */
class JobCostsTest {

    /** Burns CPU; returns how far the running thread's own CPU clock advanced (or -1 where it cannot be read). */
    private static long burn() {
        long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        double x = 0;
        for (int i = 0; i < 5_000_000; i++) {
            x += Math.sqrt(i) * Math.sin(i);
        }
        if (x == 42) {
            throw new AssertionError("unreachable, keeps the loop alive");
        }
        long end = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        return start < 0 || end < 0 ? -1 : end - start;
    }

    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> task) throws Exception {
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<T> f = virtual.submit(task);
            try {
                return f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    @Test
    void workHandedInOnAVirtualThreadIsChargedItsCpuWithTheLoggingContext() throws Exception {
        AtomicReference<String> jobInMdc = new AtomicReference<>();
        AtomicReference<Boolean> ranVirtual = new AtomicReference<>();
        JobCosts.Measured<Long> measured = onVirtualThread(() -> {
            MDC.put("job", "job-1");
            try {
                return JobCosts.measure(() -> {
                    ranVirtual.set(Thread.currentThread().isVirtual());
                    jobInMdc.set(MDC.get("job"));
                    WorkMeter.countWritten(10);
                    return burn();
                });
            } finally {
                MDC.clear();
            }
        });
        assertFalse(ranVirtual.get(), "the measured work runs on a platform thread");
        assertEquals("job-1", jobInMdc.get(), "with the caller's logging context");
        long burnt = measured.result();
        assertTrue(burnt > 0, "the platform thread's CPU clock is readable");
        assertTrue(measured.cost().cpuNanos() >= burnt, measured.cost() + " should include the work's " + burnt + " ns");
        assertEquals(10, measured.cost().bytesWritten());
    }

    @Test
    void onAPlatformThreadTheWorkRunsInPlaceAndItsExceptionsPassAsTheyAre() throws Exception {
        Thread caller = Thread.currentThread();
        JobCosts.Measured<Thread> here = JobCosts.measure(Thread::currentThread);
        assertSame(caller, here.result());

        IOException io = new IOException("storage down");
        IOException thrown = assertThrows(IOException.class, () -> onVirtualThread(() -> JobCosts.measure(() -> {
            throw io;
        })));
        assertSame(io, thrown, "the work's checked exception, not a wrapper");
        IllegalStateException state = new IllegalStateException("bad tile");
        assertSame(state, assertThrows(IllegalStateException.class, () -> onVirtualThread(() -> JobCosts.measure(() -> {
            throw state;
        }))));
    }
}
