package io.geocrop.platform.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.events.EventPublisher;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.platform.ratelimit.InMemoryRateLimiter;
import io.geocrop.platform.ratelimit.RateLimiter;
import io.geocrop.platform.ratelimit.RedisRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.health.HealthStatus;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Redis comes from micronaut-redis's named server {@code redis.servers.geocrop}, fed by the geocrop settings, and only
 * in the cluster transport: the embedded runtime creates no Redis client at all and reports no Redis health.
 */
class GeoCropRedisTest {
    private static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");

    @Test
    void theEmbeddedTransportNeverTouchesRedis() {
        try (ApplicationContext context = ApplicationContext.run(props(Map.of()))) {
            assertInstanceOf(InMemoryRateLimiter.class, context.getBean(RateLimiter.class));
            context.getBean(EventPublisher.class);
            List<HealthResult> health = health(context);
            assertTrue(health.stream().noneMatch(r -> r.getName().startsWith("redis")), health.toString());
            assertTrue(context.getActiveBeanRegistrations(RedisClient.class).isEmpty(), "no Redis client was created");
        }
    }

    @Test
    void theClusterTransportConnectsWithTheGeoCropUriAndTimeoutAndReportsRedisHealth() {
        try (ApplicationContext context = ApplicationContext.run(props(Map.of(
                "geocrop.events.transport", "cluster",
                "geocrop.events.redis-uri", REDIS,
                "geocrop.events.redis-timeout", "1500ms")))) {
            assertInstanceOf(RedisRateLimiter.class, context.getBean(RateLimiter.class));
            context.getBean(EventPublisher.class);
            StatefulRedisConnection<String, String> connection = context.getBean(
                    Argument.of(StatefulRedisConnection.class, String.class, String.class), Qualifiers.byName(GeoCropRedis.SERVER));
            assertEquals(Duration.ofMillis(1500), connection.getTimeout(), "GEOCROP_REDIS_TIMEOUT bounds every command");
            assertEquals("PONG", connection.sync().ping());

            List<HealthResult> redis = health(context).stream().filter(r -> r.getName().startsWith("redis")).toList();
            assertEquals(1, redis.size(), redis.toString());
            assertEquals(HealthStatus.UP, redis.get(0).getStatus(), redis.toString());
        }
    }

    @Test
    void aClusterRedisThatIsDownIsReportedDown() {
        try (ApplicationContext context = ApplicationContext.run(props(Map.of(
                "geocrop.events.transport", "cluster",
                // Nothing listens on port 1: the connection is refused at once.
                "geocrop.events.redis-uri", "redis://127.0.0.1:1",
                "geocrop.events.redis-timeout", "500ms")))) {
            context.getBean(RedisClient.class, Qualifiers.byName(GeoCropRedis.SERVER));
            List<HealthResult> redis = health(context).stream().filter(r -> r.getName().startsWith("redis")).toList();
            assertEquals(HealthStatus.DOWN, redis.get(0).getStatus(), redis.toString());
        }
    }

    @Test
    void aFunctionThatServesWithoutRedisCanLeaveItOutOfReadiness() {
        try (ApplicationContext context = ApplicationContext.run(props(Map.of(
                "geocrop.events.transport", "cluster",
                "geocrop.events.redis-uri", "redis://127.0.0.1:1",
                "geocrop.events.redis-timeout", "500ms",
                // What GEOCROP_REDIS_HEALTH=false sets (tile-render's manifests).
                "redis.health.enabled", "false")))) {
            context.getBean(RedisClient.class, Qualifiers.byName(GeoCropRedis.SERVER));
            List<HealthResult> health = health(context);
            assertTrue(health.stream().noneMatch(r -> r.getName().startsWith("redis")), health.toString());
        }
    }

    private static Map<String, Object> props(Map<String, String> extra) {
        return new HashMap<>(EmbeddedTestProperties.with(extra));
    }

    private static List<HealthResult> health(ApplicationContext context) {
        List<HealthResult> results = new ArrayList<>();
        for (HealthIndicator indicator : context.getBeansOfType(HealthIndicator.class)) {
            results.addAll(Flux.from(indicator.getResult()).collectList().block(Duration.ofSeconds(30)));
        }
        return results;
    }
}
