package io.geocrop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Data of {@code io.geocrop.job.failed.v1}. JSON fields are snake_case; readers ignore unknown fields.
 *
 * @param jobId    the job's id (also the event subject)
 * @param reason   why the job gave up, written for the person who submitted it
 * @param failedAt when it gave up
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFailedV1(UUID jobId, String reason, Instant failedAt) {

    /** Rejects missing fields here, so a malformed event is caught where it is built or read. */
    public JobFailedV1 {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failedAt, "failed_at");
    }
}
