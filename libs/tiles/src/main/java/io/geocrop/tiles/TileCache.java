package io.geocrop.tiles;

import java.util.Optional;

/**
 * A cache of encoded tiles. {@link InMemoryTileCache} serves one process; a shared implementation (Redis in the
 * cluster, keyed by {@link TileKey#asString()}) only has to provide these methods. Implementations must be
 * thread-safe, and may drop entries at any time.
 */
public interface TileCache {
    /** The PNG stored under {@code key}, if still held. */
    Optional<byte[]> get(TileKey key);

    /** Stores {@code png} under {@code key} (the array must not be changed afterwards). */
    void put(TileKey key, byte[] png);

    /** Counters since start. */
    Stats stats();

    /**
     * Cache counters.
     *
     * @param hits      lookups that found a tile
     * @param misses    lookups that did not
     * @param evictions tiles dropped to stay within bounds
     * @param entries   tiles held now
     * @param bytes     bytes held now (PNG bytes plus a fixed per-entry overhead)
     */
    record Stats(long hits, long misses, long evictions, long entries, long bytes) {}
}
