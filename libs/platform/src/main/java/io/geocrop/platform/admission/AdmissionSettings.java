package io.geocrop.platform.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.admission.*}: how much work the job store may hold before new submissions are refused with 503.
 * The counts are read from the job store (the whole deployment's, not one process's), so every instance of
 * submit-job enforces the same budget.
 *
 * @param enabled             false admits everything (tests, or a deployment that bounds work elsewhere)
 * @param maxQueuedJobs       jobs in state QUEUED (accepted, not yet planned) at most; a new job counts at once
 *                            ({@code GEOCROP_ADMISSION_MAX_QUEUED_JOBS})
 * @param maxOutstandingTiles tiles of unfinished jobs not yet scored, at most
 *                            ({@code GEOCROP_ADMISSION_MAX_OUTSTANDING_TILES})
 * @param countTtl            how long one reading of the counts is reused, so a burst costs the database one
 *                            query per this interval, not one per request ({@code GEOCROP_ADMISSION_COUNT_TTL})
 * @param retryAfter          the {@code Retry-After} a refused client is given ({@code GEOCROP_ADMISSION_RETRY_AFTER})
 * @param maxInFlight         submissions this instance works on at once (each needs the database); beyond them a
 *                            request waits at most {@code inFlightWait}, then gets 503 with a short
 *                            {@code Retry-After}, so a burst is answered at once instead of queueing on the connection
 *                            pool until clients time out ({@code GEOCROP_ADMISSION_MAX_IN_FLIGHT})
 * @param inFlightWait        how long a submission may wait for one of those places
 *                            ({@code GEOCROP_ADMISSION_IN_FLIGHT_WAIT})
 */
@ConfigurationProperties("geocrop.admission")
public record AdmissionSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "100") int maxQueuedJobs,
        @Bindable(defaultValue = "400") int maxOutstandingTiles,
        @Bindable(defaultValue = "1s") Duration countTtl,
        @Bindable(defaultValue = "30s") Duration retryAfter,
        @Bindable(defaultValue = "8") int maxInFlight,
        @Bindable(defaultValue = "250ms") Duration inFlightWait) {

    /** Checks the values are usable. */
    public AdmissionSettings {
        if (maxQueuedJobs < 1) {
            throw new IllegalArgumentException("geocrop.admission.max-queued-jobs must be >= 1, got " + maxQueuedJobs);
        }
        if (maxOutstandingTiles < 1) {
            throw new IllegalArgumentException("geocrop.admission.max-outstanding-tiles must be >= 1, got " + maxOutstandingTiles);
        }
        if (countTtl == null || countTtl.isNegative()) {
            throw new IllegalArgumentException("geocrop.admission.count-ttl must be a duration >= 0, got " + countTtl);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("geocrop.admission.max-in-flight must be >= 1, got " + maxInFlight);
        }
        if (inFlightWait == null || inFlightWait.isNegative()) {
            throw new IllegalArgumentException("geocrop.admission.in-flight-wait must be a duration >= 0, got " + inFlightWait);
        }
        if (retryAfter == null || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("geocrop.admission.retry-after must be at least 1s, got " + retryAfter);
        }
    }
}
