package io.geocrop.platform.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} must do; run against the in-memory and the Redis implementation. */
abstract class RateLimiterContract {

    /** A fresh limiter with its own key space. */
    abstract RateLimiter newLimiter(int limit, Duration window);

    @Test
    void allowsTheLimitThenRefusesWithRetryAfter() {
        RateLimiter limiter = newLimiter(3, Duration.ofMinutes(10));
        String client = "10.0.0." + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            RateLimiter.Decision d = limiter.acquire(client);
            assertTrue(d.allowed(), "request " + i);
            assertEquals(2 - i, d.remaining());
            assertEquals(3, d.limit());
        }
        RateLimiter.Decision refused = limiter.acquire(client);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 600, "retry after " + refused.retryAfterSeconds());
    }

    @Test
    void clientsHaveSeparateBudgets() {
        RateLimiter limiter = newLimiter(1, Duration.ofMinutes(10));
        assertTrue(limiter.acquire("a-" + UUID.randomUUID()).allowed());
        String b = "b-" + UUID.randomUUID();
        assertTrue(limiter.acquire(b).allowed());
        assertFalse(limiter.acquire(b).allowed());
    }

    @Test
    void theBudgetComesBackAfterTheWindow() throws InterruptedException {
        RateLimiter limiter = newLimiter(1, Duration.ofMillis(300));
        String client = "c-" + UUID.randomUUID();
        assertTrue(limiter.acquire(client).allowed());
        // Up to two windows may pass before a fixed window resets at its boundary.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean allowedAgain = false;
        while (!allowedAgain && System.nanoTime() < deadline) {
            Thread.sleep(50);
            allowedAgain = limiter.acquire(client).allowed();
        }
        assertTrue(allowedAgain);
    }

    @Test
    void concurrentRequestsNeverExceedTheLimit() throws Exception {
        RateLimiter limiter = newLimiter(25, Duration.ofMinutes(10));
        String client = "d-" + UUID.randomUUID();
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(pool.submit(() -> {
                    if (limiter.acquire(client).allowed()) {
                        allowed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(25, allowed.get());
    }
}
