package io.geocrop.platform.ratelimit;

/** The shared counters cannot be reached (Redis down or slower than its command timeout). */
public final class RateLimiterUnavailableException extends RuntimeException {
    public RateLimiterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
