package io.geocrop.jobs;

import java.time.Instant;

/**
 * One planned tile of a job as the job store records it.
 *
 * @param tileId      the tile id ({@code io.geocrop.domain.JobTile#id()})
 * @param extractedAt when its feature file was counted, null if not yet
 * @param scoredAt    when it was counted scored, null if not yet
 * @param failures    how many times an event of this tile was dead-lettered ({@link JobStore#markTileFailed})
 * @param lastFailure the reason of the last of them, null if none
 * @param failedAt    when the last failure was recorded, while its re-emission is pending; null once the reconciler
 *                    re-emitted the tile ({@link JobStore#markTileRetried}) or if it never failed
 */
public record TileStatus(String tileId, Instant extractedAt, Instant scoredAt, int failures, String lastFailure,
                         Instant failedAt) {

    /** A tile that never failed. */
    public TileStatus(String tileId, Instant extractedAt, Instant scoredAt) {
        this(tileId, extractedAt, scoredAt, 0, null, null);
    }

    /** Whether the feature file was counted. */
    public boolean extracted() {
        return extractedAt != null;
    }

    /** Whether the tile was counted scored. */
    public boolean scored() {
        return scoredAt != null;
    }

    /** Whether a failure of the tile waits for the reconciler to re-emit its work. */
    public boolean awaitingRetry() {
        return failedAt != null;
    }
}
