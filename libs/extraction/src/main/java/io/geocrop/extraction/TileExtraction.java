package io.geocrop.extraction;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.jobs.JobCosts;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of extract-features: one tile's season read, its 51 features computed and written as a feature
 * GeoTIFF to {@code geocrop-features/jobs/<job>/<tile>.tif}, and the tile counted extracted. Idempotent: a tile
 * whose file already exists is only counted (again, which the job store ignores).
 *
 * <p>The tile's items come from the job's imagery manifest (the planner's one search, documents included), never
 * from the catalogue. Faults: a manifest that cannot be read as planned fails the job with the reason; a corrupt
 * COG leaves that acquisition out of the tile (its pixels get the other acquisitions); a network failure is thrown
 * so the event is redelivered (and dead-lettered, which marks the tile for the reconciler, if it keeps failing).
 * Running out of memory is thrown as a
 * {@link TileExtractionException} with the reason. At most {@link ExtractionBudget#tilesInFlight()} tiles are
 * computed at once (a fair semaphore), each in a heap bounded by {@link TileMemory}.
 */
public final class TileExtraction {
    private static final Logger LOG = LoggerFactory.getLogger(TileExtraction.class);
    /** The content type feature tiles are stored with. */
    public static final String CONTENT_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized";

    /**
     * How often a tile being read tells the job store that its job moves ({@link JobStore#recordProgress}): far
     * inside the reconciler's timeout (minutes), rare enough to cost nothing next to a tile.
     */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(60);

    private final JobStore jobs;
    private final ObjectStore store;
    private final FeaturePipeline tiles;
    private final Path workDir;
    private final ExtractionBudget budget;

    /**
     * @param workDir where feature files and season spill files are written (one of each per tile in flight)
     * @param budget  how many tiles are extracted at once; callers beyond it wait their turn, first come first
     *                served
     */
    public TileExtraction(JobStore jobs, ObjectStore store, FeaturePipeline tiles, Path workDir,
                          ExtractionBudget budget) {
        this.jobs = jobs;
        this.store = store;
        this.tiles = tiles;
        this.workDir = workDir;
        this.budget = budget;
    }

    /** The budget tiles are extracted within. */
    public ExtractionBudget budget() {
        return budget;
    }

    /** What one tile event did. */
    public enum ExtractionOutcome { WRITTEN, ALREADY_DONE, JOB_FINISHED, JOB_FAILED }

    /**
     * Handles one tile event, within the budget of tiles in flight.
     *
     * @throws TileExtractionException if the tile cannot be computed for a reason worth telling (out of memory)
     * @throws IOException             if imagery or storage fail (a retry may succeed)
     */
    public ExtractionOutcome extract(TileRequestedV1 request) throws IOException {
        Optional<Job> job = jobs.find(request.jobId());
        if (job.isEmpty() || job.get().state().isTerminal()) {
            return ExtractionOutcome.JOB_FINISHED;
        }
        JobTile tile = JobTile.parse(request.tileId());
        String key = ObjectKeys.featureTile(request.jobId(), tile.id());
        if (store.head(Bucket.FEATURES, key).isPresent()) {
            jobs.markTileExtracted(request.jobId(), tile.id());
            return ExtractionOutcome.ALREADY_DONE;
        }
        Season season = new Season(request.year());
        List<StacItem> items;
        try {
            items = ManifestImagery.items(jobs, request); // the planner's search, recorded: no catalogue request here
        } catch (StacException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupted by a shutdown, not failed: the job stays as it is and resumes on the next start.
                throw new java.util.concurrent.CancellationException("interrupted, not failed: " + e.getMessage());
            }
            jobs.fail(request.jobId(), "The imagery of tile " + tile.id() + " cannot be read from the job's manifest: "
                    + e.getMessage());
            return ExtractionOutcome.JOB_FAILED;
        }
        try {
            budget.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a tile slot (" + budget.describe() + ")");
        }
        JobCosts.Measured<FeaturePipeline.Computed> measured;
        try {
            // The tile's cost: season read (COG range reads), features, feature GeoTIFF written.
            measured = JobCosts.measure(() -> computeAndStore(request, tile, season, items, key));
        } finally {
            budget.release();
        }
        FeaturePipeline.Computed computed = measured.result();
        JobCosts.record(jobs, request.jobId(), tile.id(), CostStage.EXTRACTION, measured.cost());
        jobs.markTileExtracted(request.jobId(), tile.id());
        LOG.info("Job {} tile {}: features from {} acquisitions ({} items skipped)", request.jobId(), tile.id(),
                computed.acquisitions().size(), computed.skipped().size());
        return ExtractionOutcome.WRITTEN;
    }

    private FeaturePipeline.Computed computeAndStore(TileRequestedV1 request, JobTile tile, Season season,
                                                  List<StacItem> items, String key) throws IOException {
        Files.createDirectories(workDir);
        Path file = Files.createTempFile(workDir, "features-" + tile.id() + "-", ".tif");
        try {
            FeaturePipeline.Computed computed = tiles.computeAndWrite(tile, season, items, request.jobId().toString(),
                    file, new ProgressBeat(jobs, request.jobId(), PROGRESS_INTERVAL)::dayRead);
            store.put(Bucket.FEATURES, key, file, CONTENT_TYPE);
            return computed;
        } catch (OutOfMemoryError e) {
            // An Error would pass every catch (Exception) up the delivery path and vanish; as an exception it is
            // retried and, failing again, dead-lettered with this reason. The tile's arrays are unreachable by now.
            throw new TileExtractionException(request.jobId(), tile.id(), "the extraction ran out of memory ("
                    + e.getMessage() + "); " + budget.describe() + ", heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB; fewer tiles in flight (" + ExtractionBudget.PROPERTY + ") or a larger heap will help", e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A tile's heartbeat: the first acquisition day read after each {@code interval} records the job's progress, so
     * a first run whose imagery is slow to arrive (a slow catalogue, or the simulator generating it) is not taken
     * for a stuck job. A failure to record is logged, never the tile's failure.
     */
    static final class ProgressBeat {
        private final JobStore jobs;
        private final UUID jobId;
        private final long intervalNanos;
        private final AtomicLong next;

        ProgressBeat(JobStore jobs, UUID jobId, Duration interval) {
            this.jobs = jobs;
            this.jobId = jobId;
            this.intervalNanos = interval.toNanos();
            this.next = new AtomicLong(System.nanoTime() + intervalNanos);
        }

        void dayRead() {
            long now = System.nanoTime();
            long due = next.get();
            if (now - due < 0 || !next.compareAndSet(due, now + intervalNanos)) {
                return;
            }
            try {
                jobs.recordProgress(jobId);
            } catch (RuntimeException e) {
                LOG.warn("Job {}: could not record the tile's progress ({}); the reconciler may re-send it", jobId,
                        e.toString());
            }
        }
    }
}
