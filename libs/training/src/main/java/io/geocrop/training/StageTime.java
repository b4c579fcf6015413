package io.geocrop.training;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * How long a stage took: wall time, and the CPU time of the whole process meanwhile. On a busy machine the wall
 * time says little; CPU time divided by the cores gives what the stage would take on an idle one.
 *
 * @param wall elapsed time
 * @param cpu  CPU time of every thread of this process during the stage (zero if the JVM cannot tell)
 */
public record StageTime(Duration wall, Duration cpu) {

    /** Starts timing; {@link Start#stop()} ends it. */
    public static Start start() {
        return new Start(System.nanoTime(), processCpuNanos());
    }

    /** A started stage. */
    public record Start(long wallNanos, long cpuNanos) {
        public StageTime stop() {
            return new StageTime(Duration.ofNanos(System.nanoTime() - wallNanos),
                    Duration.ofNanos(Math.max(0, processCpuNanos() - cpuNanos)));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f s (CPU %.1f s)", wall.toMillis() / 1000.0, cpu.toMillis() / 1000.0);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
