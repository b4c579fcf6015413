package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code geocrop.events.*}: {@code transport} is {@code embedded} (in-process router with the Knative trigger
 * filters) or {@code cluster} (job submissions to the Redis stream, other events to {@code K_SINK}).
 *
 * @param stream    the Redis stream the RedisStreamSource reads
 * @param redisUri  Redis for the stream, the shared rate limit and tile cache ({@code GEOCROP_REDIS_URI}); micronaut-redis
 *                  connects to it as {@code redis.servers.geocrop}
 * @param kSink     where Knative's SinkBinding says to send events ({@code K_SINK})
 * @param redisTimeout bound on every Redis command (Lettuce's default is 60 s, longer than a request may wait)
 */
@ConfigurationProperties("geocrop.events")
public record EventSettings(
        @Bindable(defaultValue = "embedded") String transport,
        @Bindable(defaultValue = "geocrop:jobs") String stream,
        @Bindable(defaultValue = "redis://127.0.0.1:6379") String redisUri,
        @Nullable String kSink,
        @Bindable(defaultValue = "2s") java.time.Duration redisTimeout) {

    public boolean cluster() {
        return "cluster".equalsIgnoreCase(transport);
    }
}
