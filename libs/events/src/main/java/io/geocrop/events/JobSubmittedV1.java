package io.geocrop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Data of {@code io.geocrop.job.submitted.v1}: everything extract-features needs to plan a job without
 * reading the job store first. JSON fields are snake_case ({@code job_id}, {@code radius_m}, ...); readers
 * ignore fields they do not know, so later writers may add optional fields without a new version.
 *
 * @param jobId       the job's id (also the event subject)
 * @param lon         AOI centre longitude, WGS84 degrees
 * @param lat         AOI centre latitude, WGS84 degrees
 * @param radiusM     AOI radius in metres
 * @param year        season year: {@code year}-09-01 to ({@code year}+1)-05-31
 * @param modelRef    the model to score with, e.g. a registry name and version or alias
 * @param submittedAt when the job was accepted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSubmittedV1(
        UUID jobId, double lon, double lat, double radiusM, int year, String modelRef, Instant submittedAt) {

    /** Rejects missing identifiers here, so a malformed event is caught where it is built or read. */
    public JobSubmittedV1 {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(modelRef, "model_ref");
        Objects.requireNonNull(submittedAt, "submitted_at");
    }

    /**
     * The event id of a job's submission: derived from the job id, so submit-job's event and the reconciler's
     * re-sends are one event to consumers that remember ids.
     */
    public static String eventId(UUID jobId) {
        return "job-submitted-" + jobId;
    }
}
