package io.geocrop.tiles;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TileCache} in the heap, bounded by bytes, least recently used evicted first. A bound of 0 turns it
 * off (it holds nothing), which is how benchmarks measure rendering rather than lookups. Thread-safe; one lock,
 * held only for map operations, which take well under a microsecond next to a render.
 */
public final class InMemoryTileCache implements TileCache {
    private final long maxBytes;
    private final LinkedHashMap<TileKey, byte[]> tiles = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * @param maxBytes the most bytes held (PNG bytes plus {@value TileKey#OVERHEAD_BYTES} per entry); 0 disables
     */
    public InMemoryTileCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("tile cache size must be >= 0 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized Optional<byte[]> get(TileKey key) {
        byte[] png = tiles.get(key);
        if (png == null) {
            misses++;
            return Optional.empty();
        }
        hits++;
        return Optional.of(png);
    }

    @Override
    public synchronized void put(TileKey key, byte[] png) {
        long cost = cost(png);
        if (cost > maxBytes) {
            return;
        }
        byte[] previous = tiles.put(key, png);
        if (previous != null) {
            bytes -= cost(previous);
        }
        bytes += cost;
        Iterator<Map.Entry<TileKey, byte[]>> eldest = tiles.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<TileKey, byte[]> e = eldest.next();
            bytes -= cost(e.getValue());
            eldest.remove();
            evictions++;
        }
    }

    @Override
    public synchronized Stats stats() {
        return new Stats(hits, misses, evictions, tiles.size(), bytes);
    }

    /** The bound given at construction. */
    public long maxBytes() {
        return maxBytes;
    }

    private static long cost(byte[] png) {
        return png.length + (long) TileKey.OVERHEAD_BYTES;
    }
}
