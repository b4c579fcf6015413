package io.geocrop.tiles;

import java.util.Objects;
import java.util.Optional;

/**
 * A fast private cache in front of a shared one: lookups try the process's own memory first, then the shared
 * cache (whose hits are copied into memory); stores go to both. In the cluster: memory, then Redis.
 */
public final class TieredTileCache implements TileCache {
    private final TileCache near;
    private final TileCache far;

    public TieredTileCache(TileCache near, TileCache far) {
        this.near = Objects.requireNonNull(near, "near");
        this.far = Objects.requireNonNull(far, "far");
    }

    @Override
    public Optional<byte[]> get(TileKey key) {
        Optional<byte[]> local = near.get(key);
        if (local.isPresent()) {
            return local;
        }
        Optional<byte[]> shared = far.get(key);
        shared.ifPresent(png -> near.put(key, png));
        return shared;
    }

    @Override
    public void put(TileKey key, byte[] png) {
        near.put(key, png);
        far.put(key, png);
    }

    /** Hits in either level; entries, bytes and evictions of the private level. */
    @Override
    public Stats stats() {
        Stats n = near.stats();
        Stats f = far.stats();
        return new Stats(n.hits() + f.hits(), f.misses(), n.evictions(), n.entries(), n.bytes());
    }

    /** The private level. */
    public TileCache near() {
        return near;
    }

    /** The shared level. */
    public TileCache far() {
        return far;
    }
}
