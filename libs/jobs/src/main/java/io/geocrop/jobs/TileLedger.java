package io.geocrop.jobs;

import io.geocrop.domain.JobState;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A job's planned tiles and their counting. Planning and counting lock the job row first, so concurrent planners do
 * not insert a tile twice and, of all the callers scoring tiles at once, exactly one sees the last tile go in.
 */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
class TileLedger {
    private final JobRepository jobs;
    private final JobTileRepository tiles;

    TileLedger(JobRepository jobs, JobTileRepository tiles) {
        this.jobs = jobs;
        this.tiles = tiles;
    }

    /** Records the tiles not recorded yet and grows {@code tilesTotal} by their number; nothing on a finished job. */
    Job plan(UUID id, Set<String> wanted, Instant now) {
        JobRow row = JobRecords.locked(jobs, id);
        if (row.state().isTerminal()) {
            return row.toJob();
        }
        // Safe to diff here: the job row lock keeps other planners of this job out until we commit.
        Set<String> missing = new LinkedHashSet<>(wanted);
        missing.removeAll(new HashSet<>(tiles.tileIds(id)));
        if (missing.isEmpty()) {
            return row.toJob();
        }
        tiles.saveAll(missing.stream().map(tileId -> JobTileRow.planned(id, tileId)).toList());
        return jobs.update(row.withMoreTiles(missing.size(), now)).toJob();
    }

    /** See {@link JobStore#markTileExtracted} and {@link JobStore#markTileScored}. */
    TileProgress count(UUID id, String tileId, boolean scored, Instant now) {
        JobRow row = JobRecords.locked(jobs, id);
        JobTileRow tile = tiles.findById(new JobTileRow.Key(id, tileId)).orElseThrow(() -> new IllegalArgumentException(
                "tile '" + tileId + "' is not planned for job " + id + " (" + row.tilesTotal()
                        + " tiles planned); call planTiles first"));
        boolean alreadyCounted = scored ? tile.scoredAt() != null : tile.extractedAt() != null;
        if (alreadyCounted || row.state() == JobState.FAILED) {
            // A redelivery, or a straggler of a job that already failed: nothing to count.
            return new TileProgress(row.toJob(), false, false);
        }
        if (row.state() == JobState.COMPLETED) {
            throw new IllegalStateException("job " + id + " is already COMPLETED, yet its tile '" + tileId
                    + "' was never counted " + (scored ? "scored" : "extracted") + "; it can no longer be counted");
        }
        int newlyExtracted = tile.extractedAt() == null ? 1 : 0;
        tiles.update(scored ? tile.scored(now) : tile.extracted(now));
        Job after = jobs.update(row.counted(newlyExtracted, scored ? 1 : 0, now)).toJob();
        // Under the row lock only one caller can take tilesScored from total - 1 to total.
        return new TileProgress(after, true, scored && after.tilesScored() == after.tilesTotal());
    }

    /** See {@link JobStore#markTileFailed}. */
    TileFailure fail(UUID id, String tileId, String reason, Instant now) {
        JobRow row = JobRecords.locked(jobs, id);
        JobTileRow tile = tiles.findById(new JobTileRow.Key(id, tileId)).orElseThrow(() -> new IllegalArgumentException(
                "tile '" + tileId + "' is not planned for job " + id + "; only planned tiles can fail"));
        if (row.state().isTerminal()) {
            return new TileFailure(row.toJob(), tile.toStatus(), false);
        }
        JobTileRow failed = tiles.update(tile.failed(reason, now));
        // The job changed (its tile did): a new version, so progress streams show it and the reconciler's attempt
        // count starts again.
        Job after = jobs.update(row.touched(now)).toJob();
        return new TileFailure(after, failed.toStatus(), true);
    }

    /** See {@link JobStore#markTileRetried}. */
    boolean retried(UUID id, String tileId, int failuresSeen) {
        JobRecords.locked(jobs, id);
        var tile = tiles.findById(new JobTileRow.Key(id, tileId));
        if (tile.isEmpty() || tile.get().failedAt() == null || tile.get().failures() != failuresSeen) {
            return false;
        }
        tiles.update(tile.get().retried());
        return true;
    }

    List<TileRetry> awaitingRetry(int limit) {
        return tiles.awaitingRetry(limit).stream().map(r -> new TileRetry(r.key().jobId(), r.toStatus())).toList();
    }

    List<TileStatus> statuses(UUID id) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        return tiles.findByJob(id).stream().map(JobTileRow::toStatus).toList();
    }
}
