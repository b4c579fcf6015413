package io.geocrop.platform;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.JobState;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.events.TraceScope;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.TileRetry;
import io.geocrop.jobs.TileStatus;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.StoredObjectEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-emits the work of jobs that are stuck (not finished, untouched for longer than the timeout), so that an event
 * lost anywhere (a Redis restart without persistence, a broker that died with events in memory, a notification
 * MinIO could not send) never leaves a job hanging. The job store is the source of truth; what is re-emitted is
 * derived from it:
 *
 * <ul>
 *   <li>QUEUED, or no tiles planned yet: the job-submitted event again (same event id);</li>
 *   <li>each tile not scored yet: if its feature file exists, the object-created notification MinIO would send
 *       for it (score-tile then scores and counts it); otherwise the tile-requested event again (same id);</li>
 *   <li>every tile scored but the job not completed (the assembler died): the object-created notification of the
 *       last tile again, which makes score-tile assemble the job's COG (it assembles whenever it sees a job whose
 *       tiles are all scored and that is not completed).</li>
 * </ul>
 *
 * Every handler is idempotent, so re-emitting work that was merely slow costs time, never correctness. Attempts
 * are counted in the job store ({@link JobStore#recordReconcileAttempt}): after {@code maxAttempts} in a row
 * without progress, the job fails with "gave up after N reconcile attempts: &lt;stage&gt;". Several reconcilers
 * (submit-job instances) may run at once: the attempt is recorded against the job version read, so only one of
 * them acts on a job per round.
 *
 * <p>Failures stay local: a tile whose event was dead-lettered is marked failed in the job store
 * ({@link io.geocrop.platform.DeadLetterHandler}), and every run first re-emits the work of such tiles (no attempt
 * counted on the job; the tile's own failure count is bounded by the dead-letter sink, which fails the job once a tile
 * failed {@code geocrop.reconciler.tile-attempts} times).
 *
 * <p>On start the embedded runtime calls {@link #resume}: a stop cuts running work short without failing it, so the
 * unfinished jobs it left get their work re-emitted at once rather than after {@code timeout}.
 *
 * <p>A job that is QUEUED, handed to the stream, and still not planned after the short {@code queuedTimeout} gets
 * its job-submitted event again on every run, without counting an attempt: Knative's RedisStreamSource skips the
 * entries added while it restarts (it destroys its consumer group on SIGTERM and re-creates it at {@code $}), and
 * a minute-by-minute pass bounds that delay instead of the full {@code timeout}. The same event id is sent, so a
 * submission that was merely waiting in a busy queue is de-duplicated downstream; after {@code timeout} the job
 * is an ordinary stuck job with counted attempts.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final JobStore jobs;
    private final ObjectStore store;
    private final EventPublisher events;
    private final Duration timeout;
    private final Duration queuedTimeout;
    private final int maxAttempts;
    private final int batch;
    private final Clock clock;
    private final IntConsumer stuckObserver;

    /**
     * @param timeout     how long a job may go untouched before it counts as stuck
     * @param maxAttempts re-emissions without progress before the job fails
     * @param batch       stuck jobs handled per {@link #reconcile()} call
     */
    public Reconciler(JobStore jobs, ObjectStore store, EventPublisher events, Duration timeout, int maxAttempts,
                      int batch, Clock clock) {
        this(jobs, store, events, timeout, maxAttempts, batch, clock, count -> {});
    }

    /** As below, without the QUEUED pass ({@code queuedTimeout} = {@code timeout}). */
    public Reconciler(JobStore jobs, ObjectStore store, EventPublisher events, Duration timeout, int maxAttempts,
                      int batch, Clock clock, IntConsumer stuckObserver) {
        this(jobs, store, events, timeout, timeout, maxAttempts, batch, clock, stuckObserver);
    }

    /**
     * As above, with {@code queuedTimeout}: how long a job handed to the stream may stay QUEUED before its
     * job-submitted event is sent again (no attempt counted), telling {@code stuckObserver} how many stuck jobs each run found (the {@code geocrop_jobs_stuck}
     * gauge).
     */
    public Reconciler(JobStore jobs, ObjectStore store, EventPublisher events, Duration timeout, Duration queuedTimeout,
                      int maxAttempts, int batch, Clock clock, IntConsumer stuckObserver) {
        this.queuedTimeout = Objects.requireNonNull(queuedTimeout, "queuedTimeout");
        this.stuckObserver = Objects.requireNonNull(stuckObserver, "stuckObserver");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxAttempts < 1 || batch < 1) {
            throw new IllegalArgumentException("maxAttempts and batch must be >= 1, got " + maxAttempts + " and " + batch);
        }
        this.maxAttempts = maxAttempts;
        this.batch = batch;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What one run did to one stuck job. */
    public record Action(UUID jobId, JobState state, int attempt, Kind kind, int eventsEmitted, String detail) {}

    /** The kinds of {@link Action}. */
    public enum Kind {
        /** Work was re-emitted. */
        REEMITTED,
        /** The job failed: too many attempts without progress. */
        GAVE_UP,
        /** Another reconciler (or the job's own progress) got there first; nothing done. */
        SKIPPED,
        /** Re-emitting failed (the transport refused); the attempt still counts. */
        FAILED,
        /** A failed tile's work was re-emitted (no attempt counted on the job). */
        RETRIED_TILE,
        /** On start: the work of a job a stop left unfinished was re-emitted (no attempt counted). */
        RESUMED
    }

    /**
     * One pass: the failed tiles' work re-emitted, then the stuck jobs, longest untouched first, at most
     * {@code batch} of each.
     */
    public List<Action> reconcile() {
        List<Action> retried = retryFailedTiles();
        List<Job> stuck = jobs.stuck(Math.max(0, timeout.toSeconds()), batch);
        resendQueued(stuck);
        stuckObserver.accept(stuck.size());
        List<Action> actions = new ArrayList<>(stuck.size());
        for (Job job : stuck) {
            // Each job's log lines carry its id; re-emitted events start a trace of their own.
            try (TraceScope scope = TraceScope.forJob(job.id())) {
                actions.add(reconcile(job));
            }
        }
        if (!stuck.isEmpty()) {
            LOG.info("Reconciler: {} stuck job(s): {}", stuck.size(), actions);
        }
        if (retried.isEmpty()) {
            return actions;
        }
        List<Action> all = new ArrayList<>(retried);
        all.addAll(actions);
        return all;
    }

    /** Re-emits the work of tiles whose event was dead-lettered, and notes each as re-emitted. */
    private List<Action> retryFailedTiles() {
        List<Action> actions = new ArrayList<>();
        for (TileRetry retry : jobs.tilesAwaitingRetry(batch)) {
            try (TraceScope scope = TraceScope.forJob(retry.jobId())) {
                Optional<Job> job = jobs.find(retry.jobId());
                if (job.isEmpty() || job.get().state().isTerminal()) {
                    continue;
                }
                TileStatus tile = retry.tile();
                String detail = "tile " + tile.tileId() + " after failure " + tile.failures() + ": " + tile.lastFailure();
                try {
                    reemitTile(job.get(), tile.tileId(), null);
                    jobs.markTileRetried(retry.jobId(), tile.tileId(), tile.failures());
                    LOG.info("Reconciler: job {} {}: re-emitted", retry.jobId(), detail);
                    actions.add(new Action(retry.jobId(), job.get().state(), tile.failures(), Kind.RETRIED_TILE, 1, detail));
                } catch (RuntimeException e) {
                    // Left pending: the next run tries again.
                    LOG.warn("Reconciler: could not re-emit job {} {}: {}", retry.jobId(), detail, e.getMessage());
                    actions.add(new Action(retry.jobId(), job.get().state(), tile.failures(), Kind.FAILED, 0,
                            detail + "; " + e.getMessage()));
                }
            }
        }
        return actions;
    }

    /**
     * On start: re-emits the work of every unfinished job last changed before {@code startedAt} (at most
     * {@code batch}), without counting reconcile attempts: a stop of the process that ran them cut that work short,
     * which is not the jobs' fault. Every handler is idempotent, so a job another live instance is working on (a
     * shared database) only costs duplicate work.
     */
    public List<Action> resume(Instant startedAt) {
        long olderThan = Math.max(0, Duration.between(startedAt, clock.instant()).toSeconds());
        List<Action> actions = new ArrayList<>();
        for (Job job : jobs.stuck(olderThan, batch)) {
            try (TraceScope scope = TraceScope.forJob(job.id())) {
                List<TileStatus> tiles = job.tilesTotal() == 0 ? List.of() : jobs.tiles(job.id());
                String stage = stage(job, tiles);
                try {
                    int emitted = reemit(job, tiles);
                    actions.add(new Action(job.id(), job.state(), 0, Kind.RESUMED, emitted, stage));
                } catch (RuntimeException e) {
                    LOG.warn("Reconciler: could not resume job {} ({}): {}", job.id(), stage, e.getMessage());
                    actions.add(new Action(job.id(), job.state(), 0, Kind.FAILED, 0, stage + "; " + e.getMessage()));
                }
            }
        }
        if (!actions.isEmpty()) {
            LOG.info("Reconciler: resumed {} unfinished job(s) left by the last stop: {}", actions.size(), actions);
        }
        return actions;
    }

    /** The QUEUED pass: submissions a restarting stream source skipped, sent again (same event id). */
    private void resendQueued(List<Job> stuck) {
        if (queuedTimeout.compareTo(timeout) >= 0) {
            return;
        }
        java.util.Set<UUID> counted = new java.util.HashSet<>();
        stuck.forEach(job -> counted.add(job.id()));
        for (Job job : jobs.stuck(Math.max(0, queuedTimeout.toSeconds()), batch)) {
            if (job.state() != JobState.QUEUED || job.enqueuedAt() == null || counted.contains(job.id())) {
                continue;
            }
            try (TraceScope scope = TraceScope.forJob(job.id())) {
                events.publish(submittedEvent(job));
                LOG.info("Reconciler: job {} still QUEUED {} after it was handed to the stream: job-submitted sent again",
                        job.id(), Duration.between(job.enqueuedAt(), clock.instant()).withNanos(0));
            } catch (RuntimeException e) {
                LOG.warn("Reconciler: could not send job {} again: {}", job.id(), e.getMessage());
            }
        }
    }

    private Action reconcile(Job job) {
        OptionalInt claimed = jobs.recordReconcileAttempt(job.id(), job.version());
        if (claimed.isEmpty()) {
            return new Action(job.id(), job.state(), 0, Kind.SKIPPED, 0, "changed since it was found stuck");
        }
        int attempt = claimed.getAsInt();
        List<TileStatus> tiles = job.tilesTotal() == 0 ? List.of() : jobs.tiles(job.id());
        String stage = stage(job, tiles);
        if (attempt > maxAttempts) {
            String reason = "gave up after " + maxAttempts + " reconcile attempts: " + stage;
            LOG.warn("Reconciler: failing job {}: {}", job.id(), reason);
            jobs.fail(job.id(), reason);
            return new Action(job.id(), job.state(), attempt, Kind.GAVE_UP, 0, reason);
        }
        try {
            int emitted = reemit(job, tiles);
            LOG.info("Reconciler: job {} {} for {} (attempt {}/{}): re-emitted {} event(s)", job.id(), stage,
                    timeout, attempt, maxAttempts, emitted);
            return new Action(job.id(), job.state(), attempt, Kind.REEMITTED, emitted, stage);
        } catch (RuntimeException e) {
            LOG.warn("Reconciler: could not re-emit the work of job {} ({}): {}", job.id(), stage, e.getMessage());
            return new Action(job.id(), job.state(), attempt, Kind.FAILED, 0, stage + "; " + e.getMessage());
        }
    }

    private int reemit(Job job, List<TileStatus> tiles) {
        if (job.state() == JobState.QUEUED || tiles.isEmpty()) {
            events.publish(submittedEvent(job));
            jobs.markEnqueued(job.id());
            return 1;
        }
        List<TileStatus> unscored = tiles.stream().filter(t -> !t.scored()).toList();
        if (unscored.isEmpty()) {
            // Every tile scored, no COG: the one that should have assembled it died. Any redelivery re-assembles.
            TileStatus last = tiles.getLast();
            Optional<ObjectInfo> feature = store.head(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), last.tileId()));
            if (feature.isPresent()) {
                events.publish(objectCreated(feature.get()));
            } else {
                events.publish(tileRequested(job, last.tileId(), jobs.imagery(job.id())));
            }
            return 1;
        }
        List<String> manifest = null;
        int emitted = 0;
        for (TileStatus tile : unscored) {
            manifest = reemitTile(job, tile.tileId(), manifest);
            emitted++;
        }
        return emitted;
    }

    /**
     * One tile's work: its feature file's object-created notification if the file exists (score-tile scores it, or
     * assembles the job if every tile is scored), else its tile request. Returns the manifest read (or given).
     */
    private List<String> reemitTile(Job job, String tileId, List<String> manifest) {
        Optional<ObjectInfo> feature = store.head(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), tileId));
        if (feature.isPresent()) {
            events.publish(objectCreated(feature.get()));
            return manifest;
        }
        List<String> items = manifest != null ? manifest : jobs.imagery(job.id());
        events.publish(tileRequested(job, tileId, items));
        return items;
    }

    /** Where the job is, for logs and the failure reason. */
    static String stage(Job job, List<TileStatus> tiles) {
        if (job.state() == JobState.QUEUED) {
            return job.enqueuedAt() == null ? "still QUEUED, never handed to the event transport"
                    : "still QUEUED, extract-features never planned it";
        }
        if (tiles.isEmpty()) {
            return "still " + job.state() + " with no tiles planned";
        }
        long extracted = tiles.stream().filter(TileStatus::extracted).count();
        long scored = tiles.stream().filter(TileStatus::scored).count();
        if (scored == tiles.size()) {
            return "still " + job.state() + " with all " + tiles.size() + " tiles scored but no result COG";
        }
        return "still " + job.state() + " with " + extracted + " of " + tiles.size() + " tiles extracted and "
                + scored + " scored";
    }

    private CloudEvent submittedEvent(Job job) {
        // The same id as submit-job's original event, so consumers that remember ids can drop the duplicate.
        JobSubmittedV1 data = new JobSubmittedV1(job.id(), job.aoi().lon(), job.aoi().lat(), job.aoi().radiusM(),
                job.year(), job.modelRef(), job.createdAt() != null ? job.createdAt() : clock.instant());
        return GeoCropEvents.create(EventType.JOB_SUBMITTED, "job-submitted-" + job.id(), "jobs/" + job.id(), data);
    }

    private CloudEvent tileRequested(Job job, String tileId, List<String> manifest) {
        TileRequestedV1 data = new TileRequestedV1(job.id(), tileId, job.year(), manifest, clock.instant());
        // The planner's id for this tile: a duplicate of an event still in flight is recognisable as such.
        return GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-requested-" + job.id() + "-" + tileId,
                job.id().toString(), data);
    }

    private static CloudEvent objectCreated(ObjectInfo feature) {
        // Exactly what MinIO's webhook would have said about the stored object, through the same mapping.
        byte[] notification = S3Notifications.minioNotification(new StoredObjectEvent(Bucket.FEATURES.bucketName(),
                feature.key(), feature.size(), feature.eTag(), feature.contentType(), feature.lastModified()),
                "s3:ObjectCreated:Put");
        return S3Notifications.toCloudEvents(notification).getFirst();
    }
}
