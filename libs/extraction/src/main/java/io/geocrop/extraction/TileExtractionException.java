package io.geocrop.extraction;

import java.util.Objects;
import java.util.UUID;

/**
 * One tile could not be extracted, for a reason worth telling the user (the JVM ran out of memory while computing
 * it, ...). Thrown by {@link TileExtraction} instead of the raw cause, so that the event's delivery fails like any
 * other handler failure (retried, then dead-lettered with this message) rather than as a JVM {@link Error} that a
 * broker would not catch. A tile failure, not a job failure: whoever handles the dead letter decides about the job.
 */
public final class TileExtractionException extends RuntimeException {
    private final UUID jobId;
    private final String tileId;
    private final String reason;

    /**
     * @param reason the readable reason, without the job and tile (they are added to the message)
     */
    public TileExtractionException(UUID jobId, String tileId, String reason, Throwable cause) {
        super("Tile " + tileId + " of job " + jobId + " failed: " + reason, cause);
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        this.tileId = Objects.requireNonNull(tileId, "tileId");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The job the tile belongs to. */
    public UUID jobId() {
        return jobId;
    }

    /** The job tile's id. */
    public String tileId() {
        return tileId;
    }

    /** Why the tile failed, in words. */
    public String reason() {
        return reason;
    }
}
