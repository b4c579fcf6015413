package io.geocrop.jobs;

import java.util.UUID;

/** A tile whose failure awaits re-emission ({@link JobStore#tilesAwaitingRetry}): its job and its status. */
public record TileRetry(UUID jobId, TileStatus tile) {}
