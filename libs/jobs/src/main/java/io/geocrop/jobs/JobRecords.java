package io.geocrop.jobs;

import io.geocrop.domain.JobState;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A job's own row through its life: recorded, listed, handed over, moved along the state machine, failed, completed.
 * Each method is one transaction of its own, also when the caller is in one (a store call commits or fails by itself,
 * and {@link JdbcJobStore} may run it again after a lost race; the parts of the store all work this way); every change first locks the job row ({@link JobRepository#lock}) and decides from
 * what it read, so the changes to one job are serialised. Calls that change nothing leave version and update time
 * alone. Arguments are checked by {@link JdbcJobStore}; {@code now} is its clock's reading.
 */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
class JobRecords {
    private static final Sort NEWEST_FIRST = Sort.of(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final JobRepository jobs;

    JobRecords(JobRepository jobs) {
        this.jobs = jobs;
    }

    /** Inserts the job; a unique violation (same id or dedup key) propagates and rolls back. */
    Job insert(NewJob job, Instant now) {
        return jobs.save(JobRow.queued(job, now)).toJob();
    }

    Optional<Job> findByDedupKey(String dedupKey) {
        return jobs.findByDedupKey(dedupKey).map(JobRow::toJob);
    }

    Optional<Job> find(UUID id) {
        return jobs.findById(id).map(JobRow::toJob);
    }

    List<Job> recent(int limit) {
        return jobs.list(Pageable.from(0, limit, NEWEST_FIRST)).stream().map(JobRow::toJob).toList();
    }

    List<Job> notUpdatedSince(Instant cutoff, int limit) {
        return jobs.notUpdatedSince(cutoff, limit).stream().map(JobRow::toJob).toList();
    }

    Job markEnqueued(UUID id, Instant now) {
        JobRow row = locked(jobs, id);
        if (row.enqueuedAt() != null || row.state().isTerminal()) {
            return row.toJob();
        }
        return jobs.update(row.enqueued(now)).toJob();
    }

    Job progressed(UUID id, Instant now) {
        JobRow row = locked(jobs, id);
        return row.state().isTerminal() ? row.toJob() : jobs.update(row.touched(now)).toJob();
    }

    Job transition(UUID id, JobState target, String reasonIfFailed, Instant now) {
        JobRow row = locked(jobs, id);
        if (row.state() == target) {
            return row.toJob();
        }
        if (!row.state().canMoveTo(target)) {
            throw new IllegalJobTransitionException(id, row.state(), target);
        }
        JobRow moved = target == JobState.FAILED ? row.failed(reasonIfFailed, now) : row.movedTo(target, now);
        return jobs.update(moved).toJob();
    }

    Job fail(UUID id, String reason, Instant now) {
        JobRow row = locked(jobs, id);
        if (row.state().isTerminal()) {
            return row.toJob();
        }
        return jobs.update(row.failed(reason, now)).toJob();
    }

    Job complete(UUID id, Map<String, String> results, Instant now) {
        JobRow row = locked(jobs, id);
        if (row.state() == JobState.COMPLETED) {
            return row.toJob();
        }
        if (!row.state().canMoveTo(JobState.COMPLETED)) {
            throw new IllegalJobTransitionException(id, row.state(), JobState.COMPLETED);
        }
        return jobs.update(row.completed(results, now)).toJob();
    }

    /** The job row locked for the rest of the caller's transaction; {@link JobNotFoundException} if there is none. */
    static JobRow locked(JobRepository jobs, UUID id) {
        return jobs.lock(id).orElseThrow(() -> new JobNotFoundException(id));
    }
}
