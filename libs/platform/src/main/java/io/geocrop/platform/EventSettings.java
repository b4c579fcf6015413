package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code geocrop.events.*}: {@code transport} is {@code embedded} (in-process router with the Knative trigger
 * filters) or {@code cluster} (job submissions to the Redis stream, other events to {@code K_SINK}).
 *
 * @param stream    the Redis stream the RedisStreamSource reads
 * @param redisUri  Redis for the stream and the shared rate limit ({@code GEOCROP_REDIS_URI})
 * @param kSink     where Knative's SinkBinding says to send events ({@code K_SINK})
 */
@ConfigurationProperties("geocrop.events")
public record EventSettings(
        @Bindable(defaultValue = "embedded") String transport,
        @Bindable(defaultValue = "geocrop:jobs") String stream,
        @Bindable(defaultValue = "redis://127.0.0.1:6379") String redisUri,
        @Nullable String kSink) {

    public boolean cluster() {
        return "cluster".equalsIgnoreCase(transport);
    }
}
