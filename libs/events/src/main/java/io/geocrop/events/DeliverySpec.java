package io.geocrop.events;

import java.time.Duration;
import java.util.Objects;

/**
 * A Knative {@code spec.delivery}: how often and how far apart a failed delivery is retried before the event
 * goes to the dead-letter sink.
 *
 * @param retry             retries after the first attempt (so {@code retry + 1} attempts in all)
 * @param backoffPolicy     how the delay grows
 * @param backoffDelay      the base delay
 * @param deadLetterService the Knative Service receiving dead letters, or null if none is configured
 * @param deadLetterPath    the path on that service, or null
 */
public record DeliverySpec(
        int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, String deadLetterService, String deadLetterPath) {

    /** The Broker manifest's settings: 5 retries, exponential from 1 s; used when no manifest says otherwise. */
    public static final DeliverySpec DEFAULT = new DeliverySpec(5, BackoffPolicy.EXPONENTIAL, Duration.ofSeconds(1), null, null);

    /** How the delay between attempts grows. */
    public enum BackoffPolicy {
        /** Retry {@code n} waits {@code backoffDelay * n}. */
        LINEAR,
        /** Retry {@code n} waits {@code backoffDelay * 2^(n-1)}: 1 s, 2 s, 4 s ... from PT1S. */
        EXPONENTIAL
    }

    /** Checks the values are usable. */
    public DeliverySpec {
        if (retry < 0) {
            throw new IllegalArgumentException("delivery retry must be >= 0, got " + retry);
        }
        Objects.requireNonNull(backoffPolicy, "backoffPolicy");
        Objects.requireNonNull(backoffDelay, "backoffDelay");
        if (backoffDelay.isNegative()) {
            throw new IllegalArgumentException("delivery backoffDelay must not be negative, got " + backoffDelay);
        }
    }

    /** The same spec with other retry settings (tests use short delays). */
    public DeliverySpec withRetry(int newRetry, Duration newBackoffDelay) {
        return new DeliverySpec(newRetry, backoffPolicy, newBackoffDelay, deadLetterService, deadLetterPath);
    }

    /** The wait before retry number {@code retryNumber} (1 for the first retry). */
    public Duration delayBeforeRetry(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, got " + retryNumber);
        }
        return switch (backoffPolicy) {
            case LINEAR -> backoffDelay.multipliedBy(retryNumber);
            // Capped exponent: beyond 2^30 the delay is absurd anyway and the multiplication would overflow.
            case EXPONENTIAL -> backoffDelay.multipliedBy(1L << Math.min(retryNumber - 1, 30));
        };
    }
}
