package io.geocrop.jobs;

import io.geocrop.domain.JobState;
import io.geocrop.domain.ProcessingGrid;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A job's {@link QueueStanding}, read from the jobs table and the recent tile extractions. */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW, readOnly = true)
class QueueLedger {
    /** The window the extraction rate is measured over. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(10);
    private static final int RATE_SAMPLES = 2000;

    private final JobRepository jobs;
    private final JobTileRepository tiles;

    QueueLedger(JobRepository jobs, JobTileRepository tiles) {
        this.jobs = jobs;
        this.tiles = tiles;
    }

    /** The standing of {@code job}, or null when it no longer waits for extraction. */
    QueueStanding standing(Job job, Instant now) {
        int tilesLeft;
        if (job.state() == JobState.QUEUED || (job.state() == JobState.EXTRACTING && job.tilesTotal() == 0)) {
            tilesLeft = ProcessingGrid.plan(job.aoi()).tiles().size();
        } else if (job.state() == JobState.EXTRACTING) {
            tilesLeft = job.tilesTotal() - job.tilesExtracted();
        } else {
            return null;
        }
        if (tilesLeft <= 0) {
            return null;
        }
        int position = (int) Math.min(Integer.MAX_VALUE, 1 + jobs.countWaitingBefore(job.id(), job.createdAt()));
        int tilesAhead = (int) Math.min(Integer.MAX_VALUE, jobs.fairTilesAhead(job.id(), tilesLeft));
        return new QueueStanding(position, tilesLeft, tilesAhead, estimate(tilesAhead + (long) tilesLeft, now));
    }

    /**
     * The time {@code tiles} extractions take at the rate of the last {@link #RATE_WINDOW}: the tiles counted after the
     * first one in the window over the time since it (so an idle stretch before the window's first tile does not count).
     */
    private Duration estimate(long tilesToGo, Instant now) {
        List<Instant> recent = tiles.extractedSince(now.minus(RATE_WINDOW), RATE_SAMPLES);
        if (recent.size() < 2) {
            return null;
        }
        long spanMillis = Duration.between(recent.getFirst(), recent.getLast()).toMillis();
        if (spanMillis <= 0) {
            return null;
        }
        double perTileMillis = spanMillis / (double) (recent.size() - 1);
        return Duration.ofSeconds(Math.round(tilesToGo * perTileMillis / 1000.0));
    }
}
