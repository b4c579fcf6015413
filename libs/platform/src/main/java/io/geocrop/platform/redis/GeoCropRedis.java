package io.geocrop.platform.redis;

import io.geocrop.platform.EventSettings;
import io.micronaut.configuration.lettuce.NamedRedisServersConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * GeoCrop's Redis server as micronaut-redis knows it: the named server {@code redis.servers.geocrop}
 * (application.yml maps {@code geocrop.events.redis-uri} and {@code geocrop.events.redis-timeout}, i.e.
 * {@code GEOCROP_REDIS_URI} and {@code GEOCROP_REDIS_TIMEOUT}, onto it). micronaut-redis creates its
 * {@code RedisClient} and connections, closes them with the application and reports the server in the health
 * endpoint; inject them with {@code @Named(GeoCropRedis.SERVER)}.
 *
 * <p>A named server, not the default {@code redis.uri}: micronaut-redis builds its default client from any
 * {@code redis.*} key, while the named one is built only when a bean asks for it, which only the cluster transport
 * does (and tile-render's shared cache). The embedded runtime never connects to Redis.
 */
@Singleton
public final class GeoCropRedis implements BeanCreatedEventListener<NamedRedisServersConfiguration> {
    /** The name of GeoCrop's server under {@code redis.servers}, and the qualifier of its beans. */
    public static final String SERVER = "geocrop";

    private final EventSettings settings;

    GeoCropRedis(EventSettings settings) {
        this.settings = settings;
    }

    /**
     * micronaut-redis keeps a server's {@code timeout} on its configuration but connects with the URI parsed from
     * {@code uri}, whose command timeout is Lettuce's 60 s: bound every command by {@code geocrop.events.redis-timeout}
     * (a rate limit or an XADD must fail within it, see docs/security.md).
     */
    @Override
    public NamedRedisServersConfiguration onCreated(BeanCreatedEvent<NamedRedisServersConfiguration> event) {
        NamedRedisServersConfiguration config = event.getBean();
        if (SERVER.equals(config.getName())) {
            config.setTimeout(settings.redisTimeout());
            config.getUri().ifPresent(uri -> uri.setTimeout(settings.redisTimeout()));
        }
        return config;
    }
}
