package io.geocrop.jobs;

import io.geocrop.domain.JobState;
import java.util.UUID;

/** The job state machine does not allow this move (for example from COMPLETED back to SCORING). */
public final class IllegalJobTransitionException extends RuntimeException {
    /** The refused move of job {@code id} from {@code from} to {@code to}. */
    public IllegalJobTransitionException(UUID id, JobState from, JobState to) {
        super("job " + id + " cannot move from " + from + " to " + to);
    }
}
