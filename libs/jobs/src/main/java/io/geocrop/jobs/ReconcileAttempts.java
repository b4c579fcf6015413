package io.geocrop.jobs;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The reconciler's claims on stuck jobs ({@link JobStore#recordReconcileAttempt}), kept in the job row's
 * {@code reconcile_attempts} and {@code reconcile_version} columns.
 */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
class ReconcileAttempts {
    private final JobRepository jobs;

    ReconcileAttempts(JobRepository jobs) {
        this.jobs = jobs;
    }

    /**
     * Under the job row lock: refuses (empty) if the job is finished or no longer at {@code seenVersion}; otherwise
     * counts the attempt, continuing the count only if the job is exactly as the previous attempt left it.
     */
    OptionalInt record(UUID id, long seenVersion, Instant now) {
        JobRow row = JobRecords.locked(jobs, id);
        if (row.state().isTerminal() || row.version() != seenVersion) {
            return OptionalInt.empty();
        }
        Long lastLeftAt = row.reconcileVersion();
        int attempt = lastLeftAt != null && lastLeftAt == seenVersion ? row.reconcileAttempts() + 1 : 1;
        jobs.update(row.reconcileAttempted(attempt, now));
        return OptionalInt.of(attempt);
    }
}
