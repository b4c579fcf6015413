package io.geocrop.jobs;

import java.time.Duration;

/**
 * Where a job waiting for (or in) extraction stands, read from the job store, so the embedded broker and a
 * cluster's Broker are described alike. Slots go round-robin between jobs (the embedded {@code FairGate}; on a cluster
 * the Broker's extract-features pods take events in arrival order, so this is the fair share, not a promise).
 *
 * @param position      1 + the unfinished jobs (QUEUED or EXTRACTING) created before this one
 * @param tilesLeft     this job's tiles not extracted yet (for a QUEUED job: the tiles its AOI will be planned into)
 * @param tilesAhead    tile extractions other jobs get before this job's last one, slots shared round-robin: the
 *                      sum over the other waiting jobs of their tiles left, each at most {@code tilesLeft}
 * @param estimatedWait ({@code tilesAhead} + {@code tilesLeft}) at the extraction rate of the last 10 minutes (all
 *                      jobs); null when too few tiles were extracted lately to measure it
 */
public record QueueStanding(int position, int tilesLeft, int tilesAhead, Duration estimatedWait) {}
