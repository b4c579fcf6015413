package io.geocrop.extraction;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.jobs.JobCosts;
import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacItemJson;
import io.geocrop.jobs.ImageryItem;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.TileStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first half of extract-features: on a job submission, find the season's imagery for the AOI (the job's only
 * catalogue search), record it, each item's document included, as the job's imagery manifest, plan the job's 512 px tiles and emit one {@code io.geocrop.tile.requested.v1} per
 * tile. Idempotent: a redelivered submission keeps the first manifest and tiles, and re-emits the same tile
 * events (same ids), which the tile handler absorbs. A job without imagery, or whose catalogue fails after
 * retries, fails with a reason a person can read.
 */
public final class JobPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(JobPlanner.class);

    private final JobStore jobs;
    private final ImagerySource imagery;
    private final EventPublisher events;
    private final Clock clock;

    public JobPlanner(JobStore jobs, ImagerySource imagery, EventPublisher events, Clock clock) {
        this.jobs = jobs;
        this.imagery = imagery;
        this.events = events;
        this.clock = clock;
    }

    /** What planning did. */
    public record PlannedJob(Job job, List<String> tileIds, List<String> itemIds) {}

    /**
     * Plans the job of a submission event. Returns empty when there is nothing to do (unknown job, or one that
     * already finished).
     */
    public Optional<PlannedJob> plan(JobSubmittedV1 submitted) {
        // The planning's cost (the catalogue search, mostly) is recorded once per job, by the first planner.
        JobCosts.Measured<Optional<PlannedJob>> measured = JobCosts.measure(() -> planMeasured(submitted));
        measured.result().ifPresent(o -> JobCosts.record(jobs, o.job().id(), JobStore.JOB_UNIT, CostStage.PLANNING,
                measured.cost()));
        return measured.result();
    }

    private Optional<PlannedJob> planMeasured(JobSubmittedV1 submitted) {
        Optional<Job> found = jobs.find(submitted.jobId());
        if (found.isEmpty()) {
            LOG.warn("Job {} of a submission event is not in the job store; nothing to plan", submitted.jobId());
            return Optional.empty();
        }
        Job job = found.get();
        if (job.state().isTerminal()) {
            return Optional.empty();
        }
        Aoi aoi = job.aoi();
        Season season = new Season(job.year());
        List<String> manifest = jobs.imagery(job.id());
        if (manifest.isEmpty()) {
            // The one catalogue search of the job: its items, documents included, go into the manifest, which
            // every tile reads instead of searching again.
            List<StacItem> items;
            try {
                items = imagery.search(LonLatBox.of(aoi.bbox()), season);
            } catch (StacException e) {
                // The client has already retried timeouts, 429 and 5xx; what is left will not heal by itself.
                return Optional.of(failed(job, "The imagery catalogue could not be searched: " + e.getMessage()));
            }
            if (items.isEmpty()) {
                return Optional.of(failed(job, "No Sentinel-2 imagery covers this area between " + season.start()
                        + " and " + season.end() + " in " + imagery.describe() + "."));
            }
            manifest = jobs.recordImageryItems(job.id(), items.stream()
                    .map(i -> new ImageryItem(i.id(), StacItemJson.write(i))).toList())
                    .stream().map(ImageryItem::id).toList();
        }
        // The plan is made here once and stored; the tiles are emitted as stored (a redelivery reads them back).
        if (jobs.tiles(job.id()).isEmpty()) {
            job = jobs.planTiles(job.id(), ProcessingGrid.plan(aoi).tiles().stream().map(JobTile::id).toList());
        }
        List<String> tileIds = jobs.tiles(job.id()).stream().map(TileStatus::tileId).toList();
        if (job.state() == JobState.QUEUED) {
            job = jobs.transition(job.id(), JobState.EXTRACTING);
        }
        for (String tileId : tileIds) {
            TileRequestedV1 data = new TileRequestedV1(job.id(), tileId, job.year(), manifest, clock.instant());
            // Deterministic ids: a redelivered submission re-emits the very same tile events.
            CloudEvent event = GeoCropEvents.create(EventType.TILE_REQUESTED,
                    TileRequestedV1.eventId(job.id(), tileId), job.id().toString(), data);
            events.publish(event);
        }
        LOG.info("Job {}: {} tiles planned from {} acquisitions' items", job.id(), tileIds.size(), manifest.size());
        return Optional.of(new PlannedJob(job, tileIds, manifest));
    }

    private PlannedJob failed(Job job, String reason) {
        if (Thread.currentThread().isInterrupted()) {
            // Interrupted by a shutdown, not failed: the job stays as it is and resumes on the next start.
            throw new java.util.concurrent.CancellationException("interrupted, not failed: " + reason);
        }
        LOG.warn("Failing job {}: {}", job.id(), reason);
        return new PlannedJob(jobs.fail(job.id(), reason), List.of(), List.of());
    }
}
