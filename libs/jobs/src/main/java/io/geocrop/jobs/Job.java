package io.geocrop.jobs;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job as recorded.
 *
 * @param tilesTotal     0 until the tiles are planned
 * @param tilesExtracted feature tiles written
 * @param tilesScored    result tiles written
 * @param failureReason  set when {@code state} is FAILED
 * @param results        result links (name to object key), set when COMPLETED
 * @param enqueuedAt     when it was handed to the event transport, null if not yet
 * @param version        grows by one on every change, for cheap change detection
 */
public record Job(
        UUID id,
        Aoi aoi,
        int year,
        String modelRef,
        JobState state,
        int tilesTotal,
        int tilesExtracted,
        int tilesScored,
        String failureReason,
        Map<String, String> results,
        Instant createdAt,
        Instant updatedAt,
        Instant enqueuedAt,
        long version) {

    /** Overall progress from 0 to 1: half for features, half for scoring. */
    public double progress() {
        if (state == JobState.COMPLETED) {
            return 1.0;
        }
        if (tilesTotal == 0) {
            return 0.0;
        }
        return (tilesExtracted + tilesScored) / (2.0 * tilesTotal);
    }
}
