package io.geocrop.platform.redis;

import io.micronaut.configuration.lettuce.health.RedisHealthIndicator;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The embedded runtime uses no Redis, so it reports none: micronaut-redis's {@link RedisHealthIndicator} would
 * create and ping every Redis client it can find, {@code redis.servers.geocrop} included. In the cluster
 * transport this bean is absent and micronaut-redis's indicator reports {@code redis(geocrop)}.
 */
@Singleton
@Replaces(RedisHealthIndicator.class)
@Requires(classes = HealthIndicator.class)
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class NoRedisHealthWhenEmbedded implements HealthIndicator {
    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.empty();
    }
}
