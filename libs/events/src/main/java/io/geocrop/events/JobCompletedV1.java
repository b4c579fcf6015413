package io.geocrop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Data of {@code io.geocrop.job.completed.v1}. JSON fields are snake_case; readers ignore unknown fields.
 *
 * @param jobId       the job's id (also the event subject)
 * @param resultKey   object key of the job's COG in {@code geocrop-results}
 * @param results     further named outputs (name to object key), e.g. a preview or metadata document
 * @param completedAt when the last tile was assembled
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobCompletedV1(UUID jobId, String resultKey, Map<String, String> results, Instant completedAt) {

    /** Copies {@code results} into a sorted, unmodifiable map so the same outputs always serialise to the same bytes. */
    public JobCompletedV1 {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(resultKey, "result_key");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(completedAt, "completed_at");
        results = Collections.unmodifiableMap(new TreeMap<>(results));
    }
}
