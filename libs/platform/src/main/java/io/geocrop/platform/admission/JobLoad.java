package io.geocrop.platform.admission;

import java.util.Optional;
import java.util.UUID;

/** What admission needs to know about the work the job store holds. */
public interface JobLoad {

    /** The current load: one reading. */
    Load read();

    /** The job that holds {@code dedupKey} (a live or completed identical job), if any. */
    Optional<UUID> jobWithKey(String dedupKey);

    /**
     * Work held now.
     *
     * @param queuedJobs       jobs accepted and not yet planned
     * @param outstandingTiles tiles of unfinished jobs not yet scored
     */
    record Load(long queuedJobs, long outstandingTiles) {}
}
