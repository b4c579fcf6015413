package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import io.geocrop.raster.ByteSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, thread-safe LRU cache of aligned blocks in front of another source: repeated reads of a COG's
 * header, IFDs and hot tiles cost no request. Blocks are {@code blockSize} bytes at multiples of
 * {@code blockSize} (the last one may be shorter).
 *
 * <ul>
 *   <li>The cached bytes never exceed {@code maxBytes}: a newly fetched block evicts the least recently used
 *       ones first.</li>
 *   <li>All blocks a read is missing are fetched with one {@link ByteSource#read(List)} call on the delegate,
 *       which merges adjacent blocks into one request.</li>
 *   <li>Concurrent readers of the same missing block share one fetch: the second waits for the first.</li>
 * </ul>
 * {@link #stats()} counts block hits and misses, and delegate calls and bytes as requests and bytes fetched.
 */
public final class CachingByteSource implements InstrumentedByteSource {
    private final ByteSource delegate;
    private final long maxBytes;
    private final int blockSize;
    private final RequestStats stats = new RequestStats();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; access order = LRU order, eldest first. */
    private final LinkedHashMap<Long, byte[]> blocks = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by {@link #lock}: blocks being fetched right now, by block index. */
    private final Map<Long, CompletableFuture<byte[]>> inFlight = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private long cachedBytes;
    private volatile long length = -1;

    /**
     * @param delegate  the source to cache; closed by {@link #close()}
     * @param maxBytes  most bytes held, at least one block
     * @param blockSize bytes per block (e.g. 64 KiB for HTTP, where a round trip costs more than bytes)
     */
    public CachingByteSource(ByteSource delegate, long maxBytes, int blockSize) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
        }
        if (maxBytes < blockSize) {
            throw new IllegalArgumentException("maxBytes (" + maxBytes + ") must hold at least one block of "
                    + blockSize + " bytes");
        }
        this.maxBytes = maxBytes;
        this.blockSize = blockSize;
    }

    @Override
    public long length() throws IOException {
        long n = length;
        if (n < 0) {
            n = delegate.length();
            length = n;
        }
        return n;
    }

    @Override
    public byte[] read(long offset, int len) throws IOException {
        return read(List.of(new ByteRange(offset, len))).getFirst();
    }

    @Override
    public List<byte[]> read(List<ByteRange> ranges) throws IOException {
        long size = length();
        TreeSet<Long> wanted = new TreeSet<>();
        for (ByteRange r : ranges) {
            if (r.offset() > size || r.offset() == size && r.length() > 0) {
                throw new EOFException(describe() + ": read at byte " + r.offset() + " is past the end (" + size
                        + " bytes)");
            }
            long end = Math.min(r.end(), size);
            for (long b = r.offset() / blockSize; b * blockSize < end; b++) {
                wanted.add(b);
            }
        }
        Map<Long, byte[]> got = blocks(wanted, size);
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (ByteRange r : ranges) {
            long end = Math.min(r.end(), size);
            byte[] bytes = new byte[(int) (end - r.offset())];
            long at = r.offset();
            while (at < end) {
                long index = at / blockSize;
                byte[] block = got.get(index);
                int from = (int) (at - index * blockSize);
                int n = (int) Math.min(block.length - from, end - at);
                System.arraycopy(block, from, bytes, (int) (at - r.offset()), n);
                at += n;
            }
            out.add(bytes);
        }
        return out;
    }

    /** Returns the wanted blocks: cached ones, ones another thread is fetching, and the rest fetched now. */
    private Map<Long, byte[]> blocks(TreeSet<Long> wanted, long size) throws IOException {
        Map<Long, byte[]> got = new HashMap<>();
        Map<Long, CompletableFuture<byte[]>> awaited = new HashMap<>();
        Map<Long, CompletableFuture<byte[]>> mine = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Long index : wanted) {
                byte[] cached = blocks.get(index);
                if (cached != null) {
                    got.put(index, cached);
                    continue;
                }
                CompletableFuture<byte[]> pending = inFlight.get(index);
                if (pending != null) {
                    awaited.put(index, pending);
                } else {
                    CompletableFuture<byte[]> future = new CompletableFuture<>();
                    inFlight.put(index, future);
                    mine.put(index, future);
                }
            }
        } finally {
            lock.unlock();
        }
        stats.recordCacheHits(got.size() + awaited.size());
        if (!mine.isEmpty()) {
            fetch(mine, size, got);
        }
        for (Map.Entry<Long, CompletableFuture<byte[]>> e : awaited.entrySet()) {
            got.put(e.getKey(), await(e.getValue()));
        }
        return got;
    }

    private void fetch(Map<Long, CompletableFuture<byte[]>> mine, long size, Map<Long, byte[]> got) throws IOException {
        List<Long> indexes = new ArrayList<>(mine.keySet());
        List<ByteRange> ranges = new ArrayList<>(indexes.size());
        for (long index : indexes) {
            long start = index * blockSize;
            ranges.add(new ByteRange(start, (int) Math.min(blockSize, size - start)));
        }
        stats.recordCacheMisses(indexes.size());
        stats.recordRequest();
        List<byte[]> fetched;
        try {
            fetched = delegate.read(ranges);
            for (int i = 0; i < ranges.size(); i++) {
                if (fetched.get(i).length != ranges.get(i).length()) {
                    throw new IOException(describe() + ": got " + fetched.get(i).length + " bytes for the block at "
                            + ranges.get(i).offset() + ", expected " + ranges.get(i).length()
                            + " (did the file change?)");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            lock.lock();
            try {
                for (Map.Entry<Long, CompletableFuture<byte[]>> entry : mine.entrySet()) {
                    inFlight.remove(entry.getKey());
                    entry.getValue().completeExceptionally(e);
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            for (int i = 0; i < indexes.size(); i++) {
                long index = indexes.get(i);
                byte[] block = fetched.get(i);
                stats.recordBytes(block.length);
                got.put(index, block);
                inFlight.remove(index);
                byte[] previous = blocks.put(index, block);
                cachedBytes += block.length - (previous == null ? 0 : previous.length);
                evict();
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < indexes.size(); i++) {
            mine.get(indexes.get(i)).complete(fetched.get(i));
        }
    }

    /** Drops least recently used blocks until the cache fits. Caller holds the lock. */
    private void evict() {
        Iterator<Map.Entry<Long, byte[]>> eldest = blocks.entrySet().iterator();
        while (cachedBytes > maxBytes && eldest.hasNext()) {
            cachedBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    private byte[] await(CompletableFuture<byte[]> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(describe() + ": interrupted while waiting for a block");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EOFException eof) {
                throw eof;
            }
            throw new IOException(describe() + ": fetching a block failed in another reader: " + cause.getMessage(),
                    cause);
        }
    }

    /** Bytes held right now (never more than the maximum). */
    public long cachedBytes() {
        lock.lock();
        try {
            return cachedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks held right now. */
    public int cachedBlocks() {
        lock.lock();
        try {
            return blocks.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes this cache holds. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes per block. */
    public int blockSize() {
        return blockSize;
    }

    /** The cached source. */
    public ByteSource delegate() {
        return delegate;
    }

    /** The delegate's description: the cache is invisible in messages. */
    @Override
    public String describe() {
        return delegate.describe();
    }

    /**
     * Cache counters: block hits and misses; {@code requests} and {@code bytesFetched} count the batched delegate
     * calls (the delegate's own stats, if it has them, count its network requests).
     */
    @Override
    public RequestStats stats() {
        return stats;
    }

    /** Empties the cache and closes the delegate. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            blocks.clear();
            cachedBytes = 0;
        } finally {
            lock.unlock();
        }
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachingByteSource[" + delegate.describe() + ", " + maxBytes + " bytes in " + blockSize + "-byte blocks]";
    }
}
