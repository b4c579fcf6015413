package io.geocrop.platform.ratelimit;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;

/**
 * Fixed-window counters in Redis, shared by every instance of a function. One Lua script increments the
 * counter and sets its expiry atomically, so concurrent instances never lose a count or leave a counter
 * without a TTL. Commands are bounded by the connection's timeout (1-2 s, {@code geocrop.events.redis-timeout});
 * a Redis that is down or slower than that is a {@link RateLimiterUnavailableException} (the caller answers 503:
 * fail closed, see docs/security.md). Call it off the event loop: the call blocks up to that timeout.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {n, ttl}
            """;

    private final StatefulRedisConnection<String, String> connection;
    private final String keyPrefix;
    private final int limit;
    private final long windowMillis;
    private volatile String scriptSha;

    public RedisRateLimiter(StatefulRedisConnection<String, String> connection, String keyPrefix, int limit, Duration window) {
        if (limit < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.connection = connection;
        this.keyPrefix = keyPrefix;
        this.limit = limit;
        this.windowMillis = window.toMillis();
    }

    @Override
    public Decision acquire(String client) {
        String[] keys = {keyPrefix + client};
        List<Long> reply;
        try {
            if (scriptSha == null) {
                scriptSha = connection.sync().scriptLoad(SCRIPT);
            }
            try {
                reply = connection.sync().evalsha(scriptSha, ScriptOutputType.MULTI, keys, Long.toString(windowMillis));
            } catch (RedisNoScriptException e) {
                // Redis restarted or its script cache was flushed: load the script again and retry once.
                scriptSha = connection.sync().scriptLoad(SCRIPT);
                reply = connection.sync().evalsha(scriptSha, ScriptOutputType.MULTI, keys, Long.toString(windowMillis));
            }
        } catch (RedisException e) { // includes RedisCommandTimeoutException and a lost connection
            throw new RateLimiterUnavailableException("the rate limiter's Redis is unavailable: " + e.getMessage(), e);
        }
        long count = reply.get(0);
        long ttlMillis = reply.get(1);
        return count <= limit
                ? new Decision(true, limit, (int) (limit - count), 0)
                : new Decision(false, limit, 0, Math.max(1, (ttlMillis + 999) / 1000));
    }
}
