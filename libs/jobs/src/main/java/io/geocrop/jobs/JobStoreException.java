package io.geocrop.jobs;

/**
 * The job store could not reach or use its database (connection refused, missing tables, a migration that
 * failed). The message names the operation and the job; the cause is the driver's or Flyway's exception.
 */
public final class JobStoreException extends RuntimeException {
    /** A failure with the underlying driver or Flyway exception as cause. */
    public JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
