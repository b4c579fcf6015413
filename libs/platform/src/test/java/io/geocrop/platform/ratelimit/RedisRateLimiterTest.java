package io.geocrop.platform.ratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Against the real Redis on loopback ({@code GEOCROP_TEST_REDIS_URI}, default redis://127.0.0.1:6379). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisRateLimiterTest extends RateLimiterContract {
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private final String prefix = "geocrop:test:ratelimit:" + UUID.randomUUID() + ":";

    @BeforeAll
    void connect() {
        client = RedisClient.create(System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379"));
        connection = client.connect();
    }

    @AfterAll
    void disconnect() {
        var keys = connection.sync().keys(prefix + "*");
        if (!keys.isEmpty()) {
            connection.sync().del(keys.toArray(String[]::new));
        }
        connection.close();
        client.shutdown();
    }

    @Override
    RateLimiter newLimiter(int limit, Duration window) {
        return new RedisRateLimiter(connection, prefix, limit, window);
    }

    @Test
    void survivesAFlushedScriptCache() {
        RateLimiter limiter = newLimiter(5, Duration.ofMinutes(1));
        assertTrue(limiter.acquire("flush").allowed());
        connection.sync().scriptFlush();
        assertTrue(limiter.acquire("flush").allowed());
    }

    @Test
    void countersExpire() {
        RateLimiter limiter = newLimiter(5, Duration.ofSeconds(30));
        limiter.acquire("ttl");
        long ttl = connection.sync().pttl(prefix + "ttl");
        assertTrue(ttl > 0 && ttl <= 30_000, "ttl " + ttl);
    }
}
