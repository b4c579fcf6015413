package io.geocrop.jobs;

import java.util.UUID;

/** No job has this id (every {@link JobStore} method but {@code submit}, {@code find}, {@code recent} and {@code stuck} throws it). */
public final class JobNotFoundException extends RuntimeException {
    /** The failure for a look-up of {@code id}. */
    public JobNotFoundException(UUID id) {
        super("no job with id " + id);
    }
}
