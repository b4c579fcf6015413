package io.geocrop.platform.metrics;

import io.geocrop.domain.JobState;
import io.geocrop.jobs.ImageryItem;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.jobs.Submission;
import io.geocrop.jobs.TileProgress;
import io.geocrop.jobs.TileStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The job store with the job counters: the store is where a job is submitted, fails and completes, whichever
 * function or library path got it there (planner, extraction, scoring, assembly, dead-letter sink, reconciler), so
 * counting here counts every path once. A job counts as failed or completed only when this call moved it there; a
 * repeat (a redelivered event, an already finished job) counts nothing. Two processes failing the same job at the
 * same instant with the same reason may both count it: rare, and harmless for rates.
 */
public final class MeteredJobStore implements JobStore {
    private final JobStore delegate;
    private final GeoCropMetrics metrics;
    private final CostMetrics costMetrics;

    public MeteredJobStore(JobStore delegate, GeoCropMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.costMetrics = new CostMetrics(metrics.registry());
    }

    /** The store this one counts for. */
    public JobStore delegate() {
        return delegate;
    }

    @Override
    public Submission submit(NewJob job) {
        Submission submission = delegate.submit(job);
        if (submission.created()) {
            metrics.jobSubmitted();
        }
        return submission;
    }

    @Override
    public Job fail(UUID id, String reason) {
        Optional<Job> before = delegate.find(id);
        Job after = delegate.fail(id, reason);
        if (before.isPresent() && !before.get().state().isTerminal() && after.state() == JobState.FAILED
                && after.version() > before.get().version() && sameReason(reason, after.failureReason())) {
            metrics.jobFailed(before.get().state());
        }
        return after;
    }

    @Override
    public Job complete(UUID id, Map<String, String> results) {
        Optional<Job> before = delegate.find(id);
        Job after = delegate.complete(id, results);
        if (before.isPresent() && before.get().state() != JobState.COMPLETED && after.state() == JobState.COMPLETED
                && after.version() > before.get().version()) {
            metrics.jobCompleted();
        }
        return after;
    }

    // The store keeps the reason stripped and, when very long, cut with an ellipsis.
    private static boolean sameReason(String given, String stored) {
        if (given == null || stored == null) {
            return false;
        }
        String mine = given.strip();
        return stored.equals(mine)
                || stored.endsWith("\u2026") && mine.startsWith(stored.substring(0, stored.length() - 1));
    }

    @Override
    public Optional<Job> find(UUID id) {
        return delegate.find(id);
    }

    @Override
    public Optional<Job> status(UUID id) {
        return delegate.status(id);
    }

    @Override
    public List<Job> recent(int limit) {
        return delegate.recent(limit);
    }

    @Override
    public Job markEnqueued(UUID id) {
        return delegate.markEnqueued(id);
    }

    @Override
    public Job transition(UUID id, JobState target) {
        return delegate.transition(id, target);
    }

    @Override
    public Job planTiles(UUID id, List<String> tileIds) {
        return delegate.planTiles(id, tileIds);
    }

    @Override
    public List<ImageryItem> recordImageryItems(UUID id, List<ImageryItem> items) {
        return delegate.recordImageryItems(id, items);
    }

    @Override
    public List<ImageryItem> imageryItems(UUID id) {
        return delegate.imageryItems(id);
    }

    @Override
    public TileProgress markTileExtracted(UUID id, String tileId) {
        return delegate.markTileExtracted(id, tileId);
    }

    @Override
    public Job recordProgress(UUID id) {
        return delegate.recordProgress(id);
    }

    @Override
    public TileProgress markTileScored(UUID id, String tileId) {
        return delegate.markTileScored(id, tileId);
    }

    @Override
    public List<Job> stuck(long olderThanSeconds, int limit) {
        return delegate.stuck(olderThanSeconds, limit);
    }

    @Override
    public List<TileStatus> tiles(UUID id) {
        return delegate.tiles(id);
    }

    /** Records the unit's cost and, when this call recorded it (not a repeat), adds it to the cost counters. */
    @Override
    public boolean recordCost(UUID id, String unit, io.geocrop.domain.cost.CostStage stage,
                              io.geocrop.domain.cost.WorkCost cost) {
        boolean recorded = delegate.recordCost(id, unit, stage, cost);
        if (recorded) {
            costMetrics.add(stage, cost);
        }
        return recorded;
    }

    @Override
    public io.geocrop.jobs.JobCost cost(UUID id) {
        return delegate.cost(id);
    }

    @Override
    public OptionalInt recordReconcileAttempt(UUID id, long seenVersion) {
        return delegate.recordReconcileAttempt(id, seenVersion);
    }

    @Override
    public io.geocrop.jobs.TileFailure markTileFailed(UUID id, String tileId, String reason) {
        return delegate.markTileFailed(id, tileId, reason);
    }

    @Override
    public List<io.geocrop.jobs.TileRetry> tilesAwaitingRetry(int limit) {
        return delegate.tilesAwaitingRetry(limit);
    }

    @Override
    public boolean markTileRetried(UUID id, String tileId, int failuresSeen) {
        return delegate.markTileRetried(id, tileId, failuresSeen);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
