package io.geocrop.raster.io;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Retry waits shared by GeoCrop's HTTP clients (COG ranges, STAC searches). */
public final class Backoff {
    private Backoff() {}

    /**
     * Exponential backoff with jitter (half to all of the step), raised to a server's Retry-After capped at
     * {@code maxRetryAfter}.
     *
     * @param attempt    1 for the wait after the first failure
     * @param retryAfter the server's Retry-After, or null
     */
    public static long millis(int attempt, Duration initial, Duration max, Duration retryAfter, Duration maxRetryAfter) {
        long maxMillis = max.toMillis();
        long step = attempt >= 62 ? maxMillis : Math.min(maxMillis, initial.toMillis() << Math.min(attempt - 1, 30));
        long delay = step <= 1 ? step : step / 2 + ThreadLocalRandom.current().nextLong(step - step / 2 + 1);
        if (retryAfter != null) {
            delay = Math.max(delay, Math.min(retryAfter.toMillis(), maxRetryAfter.toMillis()));
        }
        return delay;
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Duration.ofSeconds(999_999_999) : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
