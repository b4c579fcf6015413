package io.geocrop.jobs;

/**
 * A job's tile counters after a tile was counted.
 *
 * @param counted          false if this tile had been counted before (a redelivery)
 * @param completedJustNow true only for the call that counted the job's last tile
 */
public record TileProgress(Job job, boolean counted, boolean completedJustNow) {}
