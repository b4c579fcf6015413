package io.geocrop.scoring;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.jobs.JobCosts;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.jobs.IllegalJobTransitionException;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.TileProgress;
import io.geocrop.models.PixelClassifier;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.FeatureGeoTiffKey;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.UnsafeKeyException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * score-tile without the transport: what to do when an object appears in {@code geocrop-features}.
 *
 * <ul>
 *   <li>{@code jobs/<job>/<tile>.tif}: checked, scored with the model ({@link ModelSource}, loaded once), written to
 *       {@code geocrop-results/results/<job>/tiles/<tile>.tif}, counted scored; the job moves to SCORING with its
 *       first scored tile, and the call that counts the last tile assembles the job ({@link JobAssembler}). A tile that
 *       cannot be scored (bad file, no model) fails the job with the reason.</li>
 *   <li>{@code uploads/...}: scored on upload ({@link UploadScoring}).</li>
 *   <li>anything else: ignored.</li>
 * </ul>
 *
 * <p>Idempotent: a tile whose result exists is only counted (the job store ignores a second count); a redelivered
 * event of a job whose tiles are all counted but which never completed (the process died after counting the last
 * tile, or during the assembly) assembles it again, writing the same bytes. Storage failures are thrown so the broker
 * retries. Thread-safe.
 */
public final class ScoringService {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);
    private static final int LOCK_STRIPES = 64;

    private final JobStore jobs;
    private final ObjectStore store;
    private final ModelSource models;
    private final FeatureGeoTiffCheck check;
    private final TileScorer scorer;
    private final JobAssembler assembler;
    private final UploadScoring uploads;
    private final Object[] assemblyLocks = new Object[LOCK_STRIPES];
    private final JobDrift drift;

    public ScoringService(JobStore jobs, ObjectStore store, ModelSource models, FeatureGeoTiffCheck check,
                          TileScorer scorer, JobAssembler assembler) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = Objects.requireNonNull(store, "store");
        this.models = Objects.requireNonNull(models, "models");
        this.check = Objects.requireNonNull(check, "check");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.uploads = new UploadScoring(store, check, scorer);
        this.drift = new JobDrift(store, models::card, (job, report) -> { }); // tile histograms only; no listener
        for (int i = 0; i < LOCK_STRIPES; i++) {
            assemblyLocks[i] = new Object();
        }
    }

    /** What one object-created event led to. */
    public enum EventOutcome {
        /** A job tile or an upload was scored (and, for a job's last tile, the job assembled). */
        SCORED,
        /** Already done before: nothing new was written (or the same bytes were written again). */
        DUPLICATE,
        /** Not something score-tile scores (another bucket, an unknown key, a tile of a finished job). */
        IGNORED,
        /** An upload could not be scored; its error object says why. */
        FAILED_UPLOAD,
        /** A job tile could not be scored; the job failed with the reason. */
        FAILED_JOB;

        /** The lower-case, hyphenated name used in HTTP answers ({@code failed-upload}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param outcome what happened
     * @param detail  a sentence for logs and the HTTP answer
     * @param result  the object written in {@code geocrop-results} (result tile, upload result or error object), or null
     */
    public record EventReport(EventOutcome outcome, String detail, String result) {}

    /**
     * Handles "object {@code key} was created in bucket {@code bucketName}".
     *
     * @throws IOException when storage fails (the event should be redelivered)
     */
    public EventReport handle(String bucketName, String key) throws IOException {
        if (!Bucket.FEATURES.bucketName().equals(bucketName)) {
            return new EventReport(EventOutcome.IGNORED, "not the " + Bucket.FEATURES.bucketName() + " bucket: " + bucketName, null);
        }
        try {
            ObjectKeys.requireSafe(key);
        } catch (UnsafeKeyException e) {
            return new EventReport(EventOutcome.IGNORED, "unsafe key: " + e.getMessage(), null);
        }
        if (UploadScoring.isUpload(key)) {
            UploadScoring.UploadResult o = uploads.score(key, models::classifier);
            return switch (o.status()) {
                case SCORED -> new EventReport(EventOutcome.SCORED, "upload scored", o.resultKey());
                case DUPLICATE -> new EventReport(EventOutcome.DUPLICATE, "upload already scored (or gone)", o.resultKey());
                case FAILED -> new EventReport(EventOutcome.FAILED_UPLOAD, o.error(), o.resultKey());
            };
        }
        Optional<FeatureGeoTiffKey> tileKey = ObjectKeys.parseFeatureTile(key);
        if (tileKey.isEmpty()) {
            return new EventReport(EventOutcome.IGNORED, "neither a job feature tile (jobs/<job>/<tile>.tif) nor an upload (uploads/...): "
                    + key, null);
        }
        return scoreJobTile(key, tileKey.get());
    }

    private EventReport scoreJobTile(String key, FeatureGeoTiffKey ref) throws IOException {
        UUID jobId = ref.jobId();
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty()) {
            return new EventReport(EventOutcome.IGNORED, "no job " + jobId, null);
        }
        Job job = found.get();
        if (job.state() == JobState.FAILED) {
            return new EventReport(EventOutcome.IGNORED, "job " + jobId + " has failed", null);
        }
        if (job.state() == JobState.COMPLETED) {
            return new EventReport(EventOutcome.DUPLICATE, "job " + jobId + " is already completed", null);
        }
        JobTile tile;
        try {
            tile = JobTile.parse(ref.tileId());
        } catch (IllegalArgumentException e) {
            return new EventReport(EventOutcome.IGNORED, e.getMessage(), null);
        }
        String tileId = tile.id();
        if (jobs.tiles(jobId).stream().noneMatch(t -> t.tileId().equals(tileId))) { // the stored plan, not recomputed
            return new EventReport(EventOutcome.IGNORED, "tile " + tile.id() + " is not one of job " + jobId + "'s tiles", null);
        }
        String resultKey = ObjectKeys.resultTile(jobId, tile.id());
        boolean written = false;
        if (store.head(Bucket.RESULTS, resultKey).isEmpty()) {
            PixelClassifier model;
            try {
                model = models.classifier();
            } catch (NoModelException e) {
                return failJob(jobId, "Tile " + tile.id() + " cannot be scored: " + e.getMessage());
            }
            try (CheckedFeatureGeoTiff features = check.open(Bucket.FEATURES, key, model.card().featureOrderHash())) {
                io.geocrop.models.FeatureHistogram histogram = JobDrift.histogramFor(model.card());
                JobCosts.Measured<TileScorer.Scored> measured = JobCosts.measure(
                        () -> scorer.score(features, model, Bucket.RESULTS, resultKey, Map.of(), histogram,
                                () -> { // the histogram before the result: a result that exists has its histogram
                                    if (histogram != null) {
                                        drift.writeTile(jobId, tileId, model.card(), histogram);
                                    }
                                }));
                JobCosts.record(jobs, jobId, tile.id(), CostStage.SCORING, measured.cost());
                TileScorer.Scored scored = measured.result();
                LOG.debug("Job {} tile {}: {} of {} pixels classified", jobId, tile.id(), scored.scoredPixels(),
                        scored.pixels());
                written = true;
            } catch (ScoringException e) {
                return failJob(jobId, "Tile " + tile.id() + " cannot be scored: " + e.getMessage());
            } catch (RasterFormatException e) {
                return failJob(jobId, "Tile " + tile.id() + " cannot be scored: its feature data is unreadable: "
                        + e.getMessage());
            }
        }
        moveToScoring(job);
        TileProgress progress = jobs.markTileScored(jobId, tile.id());
        if (progress.completedJustNow()) {
            Job done = assemble(jobId);
            return new EventReport(done.state() == JobState.COMPLETED ? EventOutcome.SCORED : EventOutcome.FAILED_JOB,
                    "last tile of job " + jobId + " scored; job " + done.state().name().toLowerCase()
                            + (done.failureReason() == null ? "" : ": " + done.failureReason()), resultKey);
        }
        if (!progress.counted()) {
            Job now = progress.job();
            if (!now.state().isTerminal() && now.tilesTotal() > 0 && now.tilesScored() == now.tilesTotal()) {
                // Every tile is counted yet the job never completed: the process died after counting the last tile
                // (job still SCORING) or during the assembly (ASSEMBLING). Do it again.
                Job done = assemble(jobId);
                return new EventReport(EventOutcome.DUPLICATE, "tile already counted; job " + jobId + " re-assembled: "
                        + done.state().name().toLowerCase(), resultKey);
            }
            return new EventReport(EventOutcome.DUPLICATE, "tile " + tile.id() + " of job " + jobId + " already scored", resultKey);
        }
        return new EventReport(written ? EventOutcome.SCORED : EventOutcome.DUPLICATE,
                (written ? "scored" : "result existed; counted") + " tile " + tile.id() + " of job " + jobId + " ("
                        + progress.job().tilesScored() + "/" + progress.job().tilesTotal() + ")", resultKey);
    }

    private Job assemble(UUID jobId) throws IOException {
        synchronized (assemblyLocks[Math.floorMod(jobId.hashCode(), LOCK_STRIPES)]) {
            return assembler.assemble(jobId);
        }
    }

    private void moveToScoring(Job job) {
        if (job.state() == JobState.QUEUED || job.state() == JobState.EXTRACTING) {
            try {
                jobs.transition(job.id(), JobState.SCORING);
            } catch (IllegalJobTransitionException e) {
                // Another tile moved it on (ASSEMBLING) or it finished meanwhile: nothing to do.
                LOG.debug("Job {} not moved to SCORING: {}", job.id(), e.getMessage());
            }
        }
    }

    private EventReport failJob(UUID jobId, String reason) {
        if (Thread.currentThread().isInterrupted()) {
            // Interrupted by a shutdown, not failed: the job stays as it is and resumes on the next start.
            throw new java.util.concurrent.CancellationException("interrupted, not failed: " + reason);
        }
        LOG.warn("Failing job {}: {}", jobId, reason);
        jobs.fail(jobId, reason);
        return new EventReport(EventOutcome.FAILED_JOB, reason, null);
    }
}
