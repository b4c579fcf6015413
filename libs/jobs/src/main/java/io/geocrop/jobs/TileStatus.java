package io.geocrop.jobs;

import java.time.Instant;

/**
 * One planned tile of a job as the job store records it.
 *
 * @param tileId      the tile id ({@code io.geocrop.domain.JobTile#id()})
 * @param extractedAt when its feature file was counted, null if not yet
 * @param scoredAt    when it was counted scored, null if not yet
 */
public record TileStatus(String tileId, Instant extractedAt, Instant scoredAt) {

    /** Whether the feature file was counted. */
    public boolean extracted() {
        return extractedAt != null;
    }

    /** Whether the tile was counted scored. */
    public boolean scored() {
        return scoredAt != null;
    }
}
