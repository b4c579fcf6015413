package io.geocrop.platform;

import io.geocrop.events.ClusterEventPublisher;
import io.geocrop.events.EmbeddedEventPublisher;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.events.KSinkPublisher;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.events.RedisStreamPublisher;
import io.geocrop.platform.redis.GeoCropRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import java.time.Duration;
import jakarta.inject.Singleton;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event transport. Embedded: an in-process router that delivers by the Trigger filters of the Knative
 * manifests on the classpath, with job submissions wrapped exactly as the RedisStreamSource would. Cluster:
 * job submissions appended to the Redis stream, every other event POSTed to {@code K_SINK}.
 */
@Factory
final class EventsFactory {
    private static final Logger LOG = LoggerFactory.getLogger(EventsFactory.class);
    /** Bound on the stream; entries are acknowledged within seconds, this only caps a stalled consumer. */
    private static final long STREAM_MAX_LENGTH = 100_000;

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
    InProcessEventRouter inProcessEventRouter(
            DeadLetterHandler deadLetters,
            @Value("${geocrop.events.embedded.extract-concurrency:2}") int extractConcurrency,
            @Value("${geocrop.events.embedded.score-concurrency:2}") int scoreConcurrency,
            @Value("${geocrop.events.embedded.shutdown-grace:10s}") Duration shutdownGrace) {
        // Each tile in extraction holds its season in memory: extract-features' slots bound the tiles in flight in
        // this process, shared round-robin between jobs (FairGate). Scoring is lighter but CPU-bound.
        InProcessEventRouter router = InProcessEventRouter.fromManifests(KnativeTriggers.fromClasspath())
                .deadLetters(deadLetters)
                .concurrency("extract-features", extractConcurrency)
                .concurrency("score-tile", scoreConcurrency)
                .shutdownGrace(shutdownGrace)
                .build();
        LOG.info("Embedded event router with triggers {}; extract-features runs {} tile(s) at once, score-tile {}",
                router.triggers().stream().map(t -> t.name()).toList(), extractConcurrency, scoreConcurrency);
        return router;
    }

    @Singleton
    @Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
    EventPublisher embeddedPublisher(InProcessEventRouter router) {
        return new EmbeddedEventPublisher(router);
    }

    @Singleton
    @Requires(property = "geocrop.events.transport", value = "cluster")
    EventPublisher clusterPublisher(@Named(GeoCropRedis.SERVER) StatefulRedisConnection<String, String> redis,
                                   EventSettings settings) {
        RedisStreamPublisher stream = new RedisStreamPublisher(redis, settings.stream(), STREAM_MAX_LENGTH);
        KSinkPublisher sink = settings.kSink() == null || settings.kSink().isBlank() ? null : new KSinkPublisher(URI.create(settings.kSink()));
        LOG.info("Cluster events: stream {} at {}, K_SINK {}", settings.stream(), withoutCredentials(settings.redisUri()),
                sink == null ? "(unset)" : sink.sink());
        return new ClusterEventPublisher(stream, sink);
    }

    /** The Redis URI as it may be logged: each function's URI carries its ACL user's password (infra/k8s). */
    static String withoutCredentials(String redisUri) {
        try {
            URI uri = URI.create(redisUri);
            if (uri.getRawUserInfo() == null) {
                return redisUri;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return "(an unparseable Redis URI)";
        }
    }
}
