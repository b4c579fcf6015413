package io.geocrop.platform.ratelimit;

import java.time.Clock;
import java.time.Duration;

class InMemoryRateLimiterTest extends RateLimiterContract {
    @Override
    RateLimiter newLimiter(int limit, Duration window) {
        return new InMemoryRateLimiter(limit, window, Clock.systemUTC());
    }
}
