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
 * @param queue          where the job stands in the extraction queue, when {@link JobStore#find} read it for a job
 *                       still waiting for or in extraction; null otherwise
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
        long version,
        QueueStanding queue) {

    /** The job as recorded, without its queue standing. */
    public Job(UUID id, Aoi aoi, int year, String modelRef, JobState state, int tilesTotal, int tilesExtracted,
               int tilesScored, String failureReason, Map<String, String> results, Instant createdAt, Instant updatedAt,
               Instant enqueuedAt, long version) {
        this(id, aoi, year, modelRef, state, tilesTotal, tilesExtracted, tilesScored, failureReason, results, createdAt,
                updatedAt, enqueuedAt, version, null);
    }

    /**
     * Equal when the recorded job is: the {@link #queue} standing is a reading of the other jobs at one moment, not
     * part of this job's record (a job read with it equals the same version read without).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Job j && version == j.version && year == j.year && tilesTotal == j.tilesTotal
                && tilesExtracted == j.tilesExtracted && tilesScored == j.tilesScored
                && java.util.Objects.equals(id, j.id) && java.util.Objects.equals(aoi, j.aoi)
                && java.util.Objects.equals(modelRef, j.modelRef) && state == j.state
                && java.util.Objects.equals(failureReason, j.failureReason) && java.util.Objects.equals(results, j.results)
                && java.util.Objects.equals(createdAt, j.createdAt) && java.util.Objects.equals(updatedAt, j.updatedAt)
                && java.util.Objects.equals(enqueuedAt, j.enqueuedAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, version, state, tilesTotal, tilesExtracted, tilesScored, updatedAt);
    }

    /** This job with its queue standing. */
    public Job withQueue(QueueStanding standing) {
        return new Job(id, aoi, year, modelRef, state, tilesTotal, tilesExtracted, tilesScored, failureReason, results,
                createdAt, updatedAt, enqueuedAt, version, standing);
    }

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
