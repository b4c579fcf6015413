package io.geocrop.platform.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed-window counters in this JVM; for the embedded runtime, where one process serves everything. */
public final class InMemoryRateLimiter implements RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, AtomicInteger count) {}

    public InMemoryRateLimiter(int limit, Duration window, Clock clock) {
        if (limit < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    @Override
    public Decision acquire(String client) {
        long now = clock.millis();
        long start = now - Math.floorMod(now, windowMillis);
        Window w = windows.compute(client, (k, old) -> old != null && old.start == start ? old : new Window(start, new AtomicInteger()));
        int count = w.count.incrementAndGet();
        if (windows.size() > 10_000) {
            // Old windows are dead weight; drop them so a scan of many client addresses cannot grow memory forever.
            windows.values().removeIf(x -> x.start < start);
        }
        long retryAfter = Math.max(1, (start + windowMillis - now + 999) / 1000);
        return count <= limit
                ? new Decision(true, limit, limit - count, 0)
                : new Decision(false, limit, 0, retryAfter);
    }
}
