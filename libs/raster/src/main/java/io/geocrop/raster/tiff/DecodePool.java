package io.geocrop.raster.tiff;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small shared pool of daemon threads that decodes the tiles of large reads in parallel. Bounded to at most
 * four threads (and the machine's cores) so that raster decoding never starves the rest of a function.
 */
final class DecodePool {
    private DecodePool() {}

    private static final class Holder {
        static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "geotiff-decode-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
    }

    /** Number of decode threads. */
    static int threads() {
        return Holder.THREADS;
    }

    /** The pool (created on first use). */
    static ExecutorService pool() {
        return Holder.POOL;
    }
}
