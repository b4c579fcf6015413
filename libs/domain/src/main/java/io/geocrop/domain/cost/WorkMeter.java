package io.geocrop.domain.cost;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * Measures the {@link WorkCost} of one piece of a job's work (a tile's extraction, its scoring, the planning, the
 * assembly) across the threads that do it.
 *
 * <p>The work runs inside {@link #measure()} on the thread that handles it; the meter is then that thread's current
 * one. Pools that do part of the work on other threads hand it over with {@link #wrap(Runnable)} (and its
 * siblings), which charge the helper thread's CPU time for the task to the meter that was current where the task
 * was made. Readers of the catalogue and writers to object storage call the static {@code count...} methods, which
 * charge the current meter (no meter: nothing is counted, so code outside a job's work pays nothing but a
 * thread-local read).
 *
 * <p>CPU time is the JVM's per-thread CPU clock ({@link ThreadMXBean#getCurrentThreadCpuTime()}): user plus system
 * time of the threads that worked for the job, not wall time, so it does not grow when the machine is shared. A
 * measurement nested on the same thread (the embedded broker delivering an event synchronously) pauses the outer one,
 * so no time is counted twice. Threads whose CPU time the JVM cannot read (virtual threads on some JVMs) add only
 * their requests and bytes.
 */
public final class WorkMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ThreadLocal<Deque<Frame>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder catalogueRequests = new LongAdder();
    private final LongAdder catalogueBytes = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();

    /** A new meter with nothing counted. */
    public WorkMeter() {
    }

    /** What has been counted so far. */
    public WorkCost cost() {
        return new WorkCost(cpuNanos.sum(), catalogueRequests.sum(), catalogueBytes.sum(), bytesWritten.sum());
    }

    /**
     * Makes this meter the current thread's until the returned scope is closed, charging it the thread's CPU time
     * meanwhile. Use with try-with-resources on the thread that opened it.
     */
    public Scope measure() {
        Deque<Frame> stack = STACK.get();
        long now = cpuNow();
        Frame outer = stack.peek();
        if (outer != null) {
            outer.pause(now);
        }
        Frame frame = new Frame(this, now);
        stack.push(frame);
        return new Scope(stack, frame);
    }

    /** The meter charged on this thread now, or null outside measured work. */
    public static WorkMeter current() {
        Frame top = STACK.get().peek();
        return top == null ? null : top.meter;
    }

    /** Counts one request sent to the imagery catalogue (a search page or a COG range read). */
    public static void countCatalogueRequest() {
        WorkMeter m = current();
        if (m != null) {
            m.catalogueRequests.increment();
        }
    }

    /** Counts bytes the imagery catalogue returned. */
    public static void countCatalogueBytes(long bytes) {
        WorkMeter m = current();
        if (m != null && bytes > 0) {
            m.catalogueBytes.add(bytes);
        }
    }

    /** Counts bytes written to object storage. */
    public static void countWritten(long bytes) {
        WorkMeter m = current();
        if (m != null && bytes > 0) {
            m.bytesWritten.add(bytes);
        }
    }

    /** {@code task}, charged to the meter current here when it runs on another thread; {@code task} itself if none. */
    public static Runnable wrap(Runnable task) {
        WorkMeter m = current();
        if (m == null) {
            return task;
        }
        return () -> {
            if (current() == m) {
                task.run(); // run on a thread already measuring for this meter (caller-runs): counted already
                return;
            }
            try (Scope ignored = m.measure()) {
                task.run();
            }
        };
    }

    /** As {@link #wrap(Runnable)}, for a task with a result. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        WorkMeter m = current();
        if (m == null) {
            return task;
        }
        return () -> {
            if (current() == m) {
                return task.call();
            }
            try (Scope ignored = m.measure()) {
                return task.call();
            }
        };
    }

    /** As {@link #wrap(Runnable)}, for the body of a parallel stream ({@code IntStream.parallel().forEach}). */
    public static IntConsumer wrap(IntConsumer body) {
        WorkMeter m = current();
        if (m == null) {
            return body;
        }
        return i -> {
            if (current() == m) {
                body.accept(i);
                return;
            }
            try (Scope ignored = m.measure()) {
                body.accept(i);
            }
        };
    }

    private static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** One meter's measurement on one thread; paused while a nested one runs. */
    private static final class Frame {
        final WorkMeter meter;
        long started;

        Frame(WorkMeter meter, long started) {
            this.meter = meter;
            this.started = started;
        }

        void pause(long now) {
            charge(now);
            started = -1;
        }

        void resume(long now) {
            started = now;
        }

        void charge(long now) {
            if (started >= 0 && now >= started) {
                meter.cpuNanos.add(now - started);
            }
        }
    }

    /** The open measurement; {@link #close()} charges the CPU time and restores the thread's previous meter. */
    public static final class Scope implements AutoCloseable {
        private final Deque<Frame> stack;
        private final Frame frame;
        private boolean closed;

        private Scope(Deque<Frame> stack, Frame frame) {
            this.stack = stack;
            this.frame = frame;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            long now = cpuNow();
            frame.charge(now);
            stack.remove(frame);
            Frame outer = stack.peek();
            if (outer != null) {
                outer.resume(now);
            }
        }
    }
}
