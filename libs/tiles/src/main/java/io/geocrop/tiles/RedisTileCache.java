package io.geocrop.tiles;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tile cache every tile-render instance of a cluster shares: PNGs in Redis under
 * {@code <prefix><TileKey#asString()>}, each with a time to live. Keys carry the source object's ETag and the style
 * version, so a changed COG or style is simply a different key; old ones expire. Redis bounds its memory itself
 * ({@code maxmemory} with an LRU policy is the operator's setting). A Redis that is down or slow never fails a
 * tile: the lookup is a miss and the store is skipped, and the failure is logged at most once a minute.
 */
public final class RedisTileCache implements TileCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTileCache.class);
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String prefix;
    private final long ttlSeconds;
    private final int maxTileBytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /**
     * @param connection   a connection with a byte-array codec ({@code client.connect(ByteArrayCodec.INSTANCE)})
     * @param prefix       namespace of the keys, e.g. {@code geocrop:tiles:}
     * @param ttl          how long a tile is kept (at least a second)
     * @param maxTileBytes larger PNGs are not stored (a Redis value is read whole on every hit)
     */
    public RedisTileCache(StatefulRedisConnection<byte[], byte[]> connection, String prefix, Duration ttl,
                          int maxTileBytes) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("tile TTL must be at least one second, got " + ttl);
        }
        if (maxTileBytes < 1) {
            throw new IllegalArgumentException("maxTileBytes must be positive, got " + maxTileBytes);
        }
        this.ttlSeconds = ttl.toSeconds();
        this.maxTileBytes = maxTileBytes;
    }

    @Override
    public Optional<byte[]> get(TileKey key) {
        try {
            byte[] png = connection.sync().get(redisKey(key));
            (png == null ? misses : hits).incrementAndGet();
            return Optional.ofNullable(png);
        } catch (RuntimeException e) { // RedisException, or a closed connection: never fail the tile
            failed("read", key, e);
            misses.incrementAndGet();
            return Optional.empty();
        }
    }

    @Override
    public void put(TileKey key, byte[] png) {
        if (png.length > maxTileBytes) {
            return;
        }
        try {
            connection.sync().set(redisKey(key), png, SetArgs.Builder.ex(ttlSeconds));
        } catch (RuntimeException e) {
            failed("store", key, e);
        }
    }

    /** Hits and misses of this instance; evictions, entries and bytes are Redis's business and reported as -1. */
    @Override
    public Stats stats() {
        return new Stats(hits.get(), misses.get(), -1, -1, -1);
    }

    /** Redis calls that failed (each counted as a miss or a skipped store). */
    public long errors() {
        return errors.get();
    }

    byte[] redisKey(TileKey key) {
        return (prefix + key.asString()).getBytes(StandardCharsets.UTF_8);
    }

    private void failed(String what, TileKey key, RuntimeException e) {
        errors.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn("Tile cache in Redis unavailable ({} of {}): {}; rendering without it", what, key.asString(),
                    e.getMessage());
        }
    }
}
