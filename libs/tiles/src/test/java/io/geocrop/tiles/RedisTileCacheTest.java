package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract on the machine's real Redis, alone and behind the in-memory level; then Redis's own rules. */
class RedisTileCacheTest {
    static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    static RedisClient client;
    static StatefulRedisConnection<byte[], byte[]> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(REDIS);
        connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    static RedisTileCache redis() {
        return new RedisTileCache(connection, "geocrop:test:tiles:", Duration.ofMinutes(5), 1 << 20);
    }

    @Nested
    class Alone extends TileCacheContract {
        @Override
        TileCache newCache() {
            return redis();
        }
    }

    @Nested
    class BehindMemory extends TileCacheContract {
        @Override
        TileCache newCache() {
            return new TieredTileCache(new InMemoryTileCache(16L << 20), redis());
        }
    }

    @Test
    void tilesExpireAndOversizedOnesAreNotStored() {
        RedisTileCache cache = new RedisTileCache(connection, "geocrop:test:tiles:", Duration.ofSeconds(30), 100);
        TileKey key = new TileKey("dw-2024-" + System.nanoTime(), "e/s", 10, 1, 2, 1);
        cache.put(key, new byte[50]);
        long ttl = connection.sync().ttl(cache.redisKey(key));
        assertTrue(ttl > 0 && ttl <= 30, "TTL " + ttl);
        TileKey big = new TileKey(key.layer(), "e/s", 10, 1, 3, 1);
        cache.put(big, new byte[101]);
        assertTrue(cache.get(big).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new RedisTileCache(connection, "p", Duration.ZERO, 1));
    }

    @Test
    void aRedisThatIsGoneIsAMissNotAFailure() {
        RedisClient other = RedisClient.create(REDIS);
        StatefulRedisConnection<byte[], byte[]> closing = other.connect(ByteArrayCodec.INSTANCE);
        RedisTileCache cache = new RedisTileCache(closing, "geocrop:test:tiles:", Duration.ofMinutes(1), 1 << 20);
        closing.close(); // the connection is lost
        TileKey key = new TileKey("dw-2024", "e/s", 3, 1, 1, 1);
        assertTrue(cache.get(key).isEmpty());
        cache.put(key, new byte[10]); // skipped, not thrown
        assertEquals(2, cache.errors());
        assertEquals(1, cache.stats().misses());
        other.shutdown();
    }

    @Test
    void aSharedHitIsCopiedIntoTheNearLevel() {
        InMemoryTileCache near = new InMemoryTileCache(1 << 20);
        RedisTileCache far = redis();
        TileKey key = new TileKey("dw-2024-" + System.nanoTime(), "e/s", 12, 5, 6, 1);
        far.put(key, new byte[] {1, 2, 3});
        TieredTileCache tiered = new TieredTileCache(near, far);
        assertTrue(tiered.get(key).isPresent());
        assertTrue(near.get(key).isPresent(), "another instance's tile is now local too");
    }
}
