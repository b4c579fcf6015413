package io.geocrop.jobs;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of {@code jobs}. PostgreSQL's generated {@code centre} and {@code aoi} geography columns are computed by the
 * database from {@code lon}, {@code lat} and {@code radius_m}, so they are not mapped. Unquoted names ({@code escape =
 * false}): H2 folds the migrations' unquoted identifiers to upper case, PostgreSQL to lower case, and only unquoted
 * SQL finds both.
 *
 * <p>{@code version} is not Micronaut Data's optimistic {@code @Version}: the store bumps it under the row lock on
 * every change, and callers read it for change detection ({@link Job#version()}).
 */
@MappedEntity(value = "jobs", escape = false)
record JobRow(
        @Id UUID id,
        double lon,
        double lat,
        double radiusM,
        int seasonYear,
        String modelRef,
        JobState state,
        int tilesTotal,
        int tilesExtracted,
        int tilesScored,
        @Nullable String failureReason,
        @Nullable @MappedProperty(converter = ResultLinksConverter.class) Map<String, String> results,
        @Nullable String dedupKey,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant enqueuedAt,
        long version,
        int reconcileAttempts,
        @Nullable Long reconcileVersion) {

    /** A new QUEUED job at version 1. */
    static JobRow queued(NewJob job, Instant now) {
        Aoi aoi = job.request().aoi();
        return new JobRow(job.id(), aoi.lon(), aoi.lat(), aoi.radiusM(), job.request().season().year(), job.modelRef(),
                JobState.QUEUED, 0, 0, 0, null, null, job.dedupKey(), now, now, null, 1, 0, null);
    }

    /** The job as the store's callers see it. */
    Job toJob() {
        return new Job(id, new Aoi(lon, lat, radiusM), seasonYear, modelRef, state, tilesTotal, tilesExtracted, tilesScored,
                failureReason, results == null ? Map.of() : results, createdAt, updatedAt, enqueuedAt, version);
    }

    /** This row one version later, updated at {@code now}: every change goes through here. */
    private JobRow changed(JobState newState, int newTotal, int newExtracted, int newScored, String newReason,
                           Map<String, String> newResults, String newDedupKey, Instant newEnqueuedAt, int newAttempts,
                           Long newReconcileVersion, Instant now) {
        return new JobRow(id, lon, lat, radiusM, seasonYear, modelRef, newState, newTotal, newExtracted, newScored, newReason,
                newResults, newDedupKey, createdAt, now, newEnqueuedAt, version + 1, newAttempts, newReconcileVersion);
    }

    JobRow enqueued(Instant now) {
        return changed(state, tilesTotal, tilesExtracted, tilesScored, failureReason, results, dedupKey, now,
                reconcileAttempts, reconcileVersion, now);
    }

    /** Unchanged but for a new version and update time (one of its tiles changed). */
    JobRow touched(Instant now) {
        return changed(state, tilesTotal, tilesExtracted, tilesScored, failureReason, results, dedupKey, enqueuedAt,
                reconcileAttempts, reconcileVersion, now);
    }

    JobRow movedTo(JobState target, Instant now) {
        return changed(target, tilesTotal, tilesExtracted, tilesScored, failureReason, results, dedupKey, enqueuedAt,
                reconcileAttempts, reconcileVersion, now);
    }

    /** FAILED with {@code reason}, the dedup key released so the same request can run again. */
    JobRow failed(String reason, Instant now) {
        return changed(JobState.FAILED, tilesTotal, tilesExtracted, tilesScored, reason, results, null, enqueuedAt,
                reconcileAttempts, reconcileVersion, now);
    }

    JobRow completed(Map<String, String> links, Instant now) {
        return changed(JobState.COMPLETED, tilesTotal, tilesExtracted, tilesScored, failureReason, links, dedupKey,
                enqueuedAt, reconcileAttempts, reconcileVersion, now);
    }

    JobRow withMoreTiles(int added, Instant now) {
        return changed(state, tilesTotal + added, tilesExtracted, tilesScored, failureReason, results, dedupKey,
                enqueuedAt, reconcileAttempts, reconcileVersion, now);
    }

    JobRow counted(int extracted, int scored, Instant now) {
        return changed(state, tilesTotal, tilesExtracted + extracted, tilesScored + scored, failureReason, results,
                dedupKey, enqueuedAt, reconcileAttempts, reconcileVersion, now);
    }

    /** Attempt number {@code attempt} recorded; the version this change leaves behind marks "no progress since". */
    JobRow reconcileAttempted(int attempt, Instant now) {
        return changed(state, tilesTotal, tilesExtracted, tilesScored, failureReason, results, dedupKey, enqueuedAt,
                attempt, version + 1, now);
    }
}
