package io.geocrop.platform.security;

import io.geocrop.platform.EventSettings;
import io.geocrop.platform.ratelimit.InMemoryRateLimiter;
import io.geocrop.platform.ratelimit.RateLimiter;
import io.geocrop.platform.ratelimit.RedisRateLimiter;
import io.geocrop.platform.redis.GeoCropRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface, who may call internal routes, and the per-client limiter of public writes. */
@Factory
final class SecurityFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFactory.class);

    @Singleton
    HttpSurface httpSurface(@Value("${geocrop.http.surface:all}") String surface) {
        return HttpSurface.parse(surface);
    }

    @Singleton
    InternalAuth internalAuth(@Value("${geocrop.internal.token:}") @Nullable String token, OidcSettings oidc,
                              HttpSurface surface) {
        InternalAuth auth = new InternalAuth(token, oidc.enabled() ? new OidcTokenVerifier(oidc) : null, surface);
        if (!auth.configured() && surface == HttpSurface.INTERNAL) {
            LOG.warn("Internal surface without geocrop.internal.token or geocrop.internal.oidc.enabled: internal routes "
                    + "are fenced only by the cluster-local Service and the NetworkPolicies");
        }
        return auth;
    }

    /**
     * Shared counters in Redis (micronaut-redis's connection to {@code redis.servers.geocrop}) when the cluster
     * transport is configured, in memory when embedded (which never connects to Redis).
     */
    @Singleton
    RateLimiter rateLimiter(IngressSettings settings, EventSettings events,
                            @Named(GeoCropRedis.SERVER) BeanProvider<StatefulRedisConnection<String, String>> redis,
                            Clock clock) {
        if (events.cluster()) {
            return new RedisRateLimiter(redis.get(), "geocrop:ratelimit:", settings.rateLimit(), settings.rateWindow());
        }
        return new InMemoryRateLimiter(settings.rateLimit(), settings.rateWindow(), clock);
    }
}
