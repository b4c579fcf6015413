package io.geocrop.jobs;

/**
 * What {@link JobStore#markTileFailed} did.
 *
 * @param job      the job after the call
 * @param tile     the tile after the call (its failure count and last reason)
 * @param recorded false when nothing was recorded because the job had already finished
 */
public record TileFailure(Job job, TileStatus tile, boolean recorded) {}
