package io.geocrop.raster.io;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one byte source, for benchmarks and tests: requests sent to the backend, bytes they returned,
 * reads served from memory (cache hits) or not (cache misses), and retried attempts. Thread-safe; counting never
 * blocks readers.
 */
public final class RequestStats {
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesFetched = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder retries = new LongAdder();

    /** Requests sent to the backend (HTTP exchanges, object-store calls, file reads, delegate batches). */
    public long requests() {
        return requests.sum();
    }

    /** Bytes the backend returned. */
    public long bytesFetched() {
        return bytesFetched.sum();
    }

    /** Reads (or cache blocks) served from memory without a request. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** Cache blocks that had to be fetched; always 0 for sources without a cache. */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** Attempts repeated after a transient failure (timeouts, connection errors, 429, 5xx). */
    public long retries() {
        return retries.sum();
    }

    /** Counts one request to the backend. */
    public void recordRequest() {
        requests.increment();
    }

    /** Counts bytes the backend returned. */
    public void recordBytes(long bytes) {
        bytesFetched.add(bytes);
    }

    /** Counts {@code count} reads or blocks served from memory. */
    public void recordCacheHits(long count) {
        cacheHits.add(count);
    }

    /** Counts {@code count} blocks that had to be fetched. */
    public void recordCacheMisses(long count) {
        cacheMisses.add(count);
    }

    /** Counts one retried attempt. */
    public void recordRetry() {
        retries.increment();
    }

    /** The current values, as an immutable value that can be subtracted from a later one. */
    public Snapshot snapshot() {
        return new Snapshot(requests(), bytesFetched(), cacheHits(), cacheMisses(), retries());
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }

    /** The counters at one moment. */
    public record Snapshot(long requests, long bytesFetched, long cacheHits, long cacheMisses, long retries) {
        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(requests - earlier.requests, bytesFetched - earlier.bytesFetched,
                    cacheHits - earlier.cacheHits, cacheMisses - earlier.cacheMisses, retries - earlier.retries);
        }
    }
}
