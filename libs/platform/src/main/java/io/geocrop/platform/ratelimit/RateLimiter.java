package io.geocrop.platform.ratelimit;

/**
 * A per-client request budget: at most {@code limit} requests per fixed window. Implementations: in memory
 * (embedded, one process) and Redis (cluster, shared by every submit-job instance); both pass
 * {@code RateLimiterContract}.
 */
public interface RateLimiter {

    /** Counts one request of {@code client} and says whether it may proceed. */
    Decision acquire(String client);

    /**
     * @param allowed           whether the request is within budget
     * @param limit             requests allowed per window
     * @param remaining         requests left in this window after this one
     * @param retryAfterSeconds when refused, whole seconds until the window resets (at least 1)
     */
    record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {}
}
