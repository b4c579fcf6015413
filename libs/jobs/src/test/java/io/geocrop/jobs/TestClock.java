package io.geocrop.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock that stands still until a test moves it, so timestamps and "stuck" ages are exact. */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock showing {@code start} until advanced. */
    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Always UTC: the job store only deals in instants. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
