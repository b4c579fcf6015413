package io.geocrop.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a job. Transitions only move forward; {@link #COMPLETED} and {@link #FAILED} are final.
 */
public enum JobState {
    /** Recorded and handed to the event transport; no function has picked it up yet. */
    QUEUED,
    /** extract-features is planning tiles and writing feature tiles. */
    EXTRACTING,
    /** Feature tiles are being scored by score-tile. */
    SCORING,
    /** The last tile is scored; the job COG is being assembled. */
    ASSEMBLING,
    /** The result COG is written; result links are available. */
    COMPLETED,
    /** Gave up; the job carries a human-readable reason. */
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    /** States this one may move to. Staying in the same state is allowed (idempotent redelivery). */
    public Set<JobState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(QUEUED, EXTRACTING, SCORING, FAILED);
            case EXTRACTING -> EnumSet.of(EXTRACTING, SCORING, ASSEMBLING, FAILED);
            case SCORING -> EnumSet.of(SCORING, ASSEMBLING, COMPLETED, FAILED);
            case ASSEMBLING -> EnumSet.of(ASSEMBLING, COMPLETED, FAILED);
            case COMPLETED -> EnumSet.of(COMPLETED);
            case FAILED -> EnumSet.of(FAILED);
        };
    }

    public boolean canMoveTo(JobState target) {
        return next().contains(target);
    }
}
