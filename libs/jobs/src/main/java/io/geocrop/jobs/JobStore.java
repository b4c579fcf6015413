package io.geocrop.jobs;

import io.geocrop.domain.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The job record, the source of truth for a job's state. Implementations: embedded SQL (H2) and
 * PostgreSQL + PostGIS; both pass {@code JobStoreContract}. Every method is safe to call concurrently from
 * several processes, and every mutating method is idempotent, so a redelivered event changes nothing.
 */
public interface JobStore {

    /**
     * Records a new job, or returns the existing one when a job with the same
     * {@link NewJob#dedupKey()} is already recorded and has not failed (failed jobs release their key so
     * the same request can be tried again).
     */
    Submission submit(NewJob job);

    /** The job with this id as recorded (no {@link Job#queue() queue standing}), or empty if none is recorded. */
    Optional<Job> find(UUID id);

    /**
     * The job with this id for those who serve its status (the API and its progress stream): a job waiting for or in
     * extraction comes with its {@link Job#queue() queue standing}, which costs a few aggregate reads over the other
     * jobs and the tile ledger. The functions that only do a job's work use {@link #find}, which needs neither.
     */
    Optional<Job> status(UUID id);

    /** The most recently created jobs, newest first; at most {@code limit} (0 gives an empty list). */
    List<Job> recent(int limit);

    /**
     * Notes that the job was handed to the event transport (stream entry or event sent). Only the first call sets
     * {@link Job#enqueuedAt()}; repeats, and calls on a finished job, return the job unchanged.
     */
    Job markEnqueued(UUID id);

    /**
     * Moves the job to {@code target}. Moving to the state it is in is a no-op. Throws
     * {@link IllegalJobTransitionException} if the state machine forbids the move, {@link JobNotFoundException}
     * if there is no such job.
     */
    Job transition(UUID id, JobState target);

    /**
     * Marks the job failed with a reason a person can read (trimmed, and cut if very long) and releases its dedup
     * key. A completed job stays completed and a failed one keeps its first reason: both are returned unchanged.
     */
    Job fail(UUID id, String reason);

    /**
     * Records the job's tiles (ids from {@code JobTile#id()}) and sets {@link Job#tilesTotal()}; calling again
     * with the same ids is a no-op. Tiles are only added, never removed. A finished job is returned unchanged.
     */
    Job planTiles(UUID id, List<String> tileIds);

    /**
     * Records the job's imagery manifest: the STAC items of the season its features are computed from, in
     * acquisition order, each with its document (what the tiles read instead of searching the catalogue again).
     * The first manifest recorded wins; later calls return it unchanged, so a redelivered job event keeps the
     * acquisitions the job started with. An empty list is allowed (no imagery: the caller then fails the job with
     * that reason).
     *
     * @return the job's manifest after the call
     * @throws JobNotFoundException     if there is no such job
     * @throws IllegalArgumentException for a blank, duplicate or over-long item id, or a blank or over-long
     *                                  document
     */
    List<ImageryItem> recordImageryItems(UUID id, List<ImageryItem> items);

    /** The job's imagery manifest with each item's document, empty if none was recorded yet. */
    List<ImageryItem> imageryItems(UUID id);

    /**
     * Records a manifest of item ids only (no documents: enough for provenance, not for a tile to read). See
     * {@link #recordImageryItems}.
     *
     * @return the ids of the job's manifest after the call
     */
    default List<String> recordImagery(UUID id, List<String> itemIds) {
        java.util.Objects.requireNonNull(itemIds, "itemIds");
        return recordImageryItems(id, itemIds.stream().map(i -> new ImageryItem(i, null)).toList()).stream()
                .map(ImageryItem::id).toList();
    }

    /** The ids of the job's imagery manifest, empty if none was recorded yet. */
    default List<String> imagery(UUID id) {
        return imageryItems(id).stream().map(ImageryItem::id).toList();
    }

    /**
     * Counts a tile's feature file written; idempotent per tile (a repeat gives {@code counted=false}). Throws
     * {@link IllegalArgumentException} for a tile that was never planned; a FAILED job's tiles are not counted
     * ({@code counted=false}).
     */
    TileProgress markTileExtracted(UUID id, String tileId);

    /**
     * Records that work on the job moved on without finishing anything (a tile read another acquisition day): a new
     * version and update time, state and counts unchanged, so the reconciler does not count a slow but progressing
     * job as stuck ({@link #stuck}). A finished job is returned unchanged. Callers throttle it (about once a minute).
     */
    Job recordProgress(UUID id);

    /**
     * Counts a tile scored (and extracted, if that was not counted yet); idempotent per tile.
     * {@link TileProgress#completedJustNow()} is true for exactly one caller: the one that scored the last
     * planned tile, which then assembles the job's COG. Unplanned tiles and FAILED jobs as in
     * {@link #markTileExtracted}.
     */
    TileProgress markTileScored(UUID id, String tileId);

    /**
     * Marks the job completed with its result links (name to object key or URL). Completing a completed job
     * returns it unchanged; the state machine decides which other states may complete
     * ({@link IllegalJobTransitionException} otherwise).
     */
    Job complete(UUID id, Map<String, String> results);

    /**
     * Jobs in a non-terminal state whose last update is older than {@code olderThanSeconds}, the longest
     * untouched first, at most {@code limit}: the reconciler's work list.
     */
    List<Job> stuck(long olderThanSeconds, int limit);

    /**
     * The job's planned tiles with what has been counted for each, ordered by tile id; empty before planning.
     *
     * @throws JobNotFoundException if there is no such job
     */
    List<TileStatus> tiles(UUID id);

    /**
     * The reconciler's claim on a stuck job: records one more attempt to re-emit its work, provided the job is
     * still at {@code seenVersion} (what the reconciler read from {@link #stuck}). Attempts count consecutive
     * tries without progress: if the job changed since the previous attempt, the count starts again at 1. The
     * change bumps the job's version and update time, so the job is only found stuck again after another timeout.
     *
     * @return the attempt number (1, 2, ...), or empty if the job moved on from {@code seenVersion} or is finished
     *     (someone else is working on it: nothing was recorded)
     * @throws JobNotFoundException if there is no such job
     */
    java.util.OptionalInt recordReconcileAttempt(UUID id, long seenVersion);

    /**
     * Records that an event of the job's tile could not be delivered (dead-lettered) for {@code reason}: the tile's
     * failure count grows by one and the failure waits for the reconciler to re-emit the tile's work
     * ({@link #tilesAwaitingRetry}). The job is not failed here: the caller fails it once the count reaches its bound.
     * On a finished job nothing is recorded.
     *
     * @throws IllegalArgumentException for a tile that was never planned
     * @throws JobNotFoundException     if there is no such job
     */
    TileFailure markTileFailed(UUID id, String tileId, String reason);

    /** Tiles of unfinished jobs whose failure awaits re-emission, the oldest failure first, at most {@code limit}. */
    List<TileRetry> tilesAwaitingRetry(int limit);

    /**
     * Notes that the failed tile's work was re-emitted, provided it still has {@code failuresSeen} failures (a new
     * failure recorded meanwhile stays pending). Returns whether it was noted.
     */
    boolean markTileRetried(UUID id, String tileId, int failuresSeen);

    /**
     * Records what one unit of the job's work cost: a tile's {@code EXTRACTION} or {@code SCORING} (unit = the tile
     * id), or the job's {@code PLANNING} or {@code ASSEMBLY} (unit {@link #JOB_UNIT}). The first record of a unit and
     * stage wins; a repeat (a redelivered event that did the work again) records nothing and returns false. Recorded
     * for finished jobs too (the assembly's cost is recorded after the job completes).
     *
     * @throws JobNotFoundException     if there is no such job
     * @throws IllegalArgumentException for a blank or over-long unit
     */
    boolean recordCost(UUID id, String unit, io.geocrop.domain.cost.CostStage stage, io.geocrop.domain.cost.WorkCost cost);

    /**
     * The job's cost so far, summed per stage over the recorded units ({@link JobCost#NONE}-like when nothing was
     * recorded yet).
     *
     * @throws JobNotFoundException if there is no such job
     */
    JobCost cost(UUID id);

    /** The unit of the work done once per job (planning, assembly) in {@link #recordCost}. */
    String JOB_UNIT = "-";
}
