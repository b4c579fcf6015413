package io.geocrop.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table. Finders and CRUD are generated at compile time; the row lock and the reconciler's
 * work list are native SQL that H2 and PostgreSQL both run. One generated implementation per database
 * ({@link OnH2}, {@link OnPostgres}); {@link DatabaseCondition} activates the one the configuration names.
 */
interface JobRepository extends GenericRepository<JobRow, UUID> {

    /** Inserts a new job; a second job with the same id or dedup key violates a unique constraint. */
    JobRow save(JobRow row);

    /** Writes every column of the row with this id (the caller holds its lock). */
    JobRow update(JobRow row);

    Optional<JobRow> findById(UUID id);

    boolean existsById(UUID id);

    Optional<JobRow> findByDedupKey(String dedupKey);

    /** Jobs in the order and number the pageable says (the newest-first listing). */
    List<JobRow> list(Pageable pageable);

    /**
     * The job row, locked until the transaction ends: every change to a job goes through here, so the changes to one
     * job are serialised across processes.
     */
    @Query("SELECT * FROM jobs WHERE id = :id FOR UPDATE")
    Optional<JobRow> lock(UUID id);

    /** Unfinished jobs not updated since {@code cutoff}, the longest untouched first (ties by id). */
    @Query("SELECT * FROM jobs WHERE state IN ('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING') AND updated_at < :cutoff"
            + " ORDER BY updated_at ASC, id ASC LIMIT :limit")
    List<JobRow> notUpdatedSince(Instant cutoff, int limit);

    /** Jobs waiting for extraction (QUEUED or EXTRACTING) other than {@code id} created before {@code createdAt}. */
    @Query("SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'EXTRACTING') AND id <> :id"
            + " AND (created_at < :createdAt OR (created_at = :createdAt AND id < :id))")
    long countWaitingBefore(UUID id, Instant createdAt);

    /**
     * Tile extractions other jobs waiting for extraction get before a job with {@code mine} tiles left has its last
     * one, when slots go round-robin between jobs: each other job's tiles left, at most {@code mine}.
     */
    @Query("SELECT COALESCE(SUM(CASE WHEN tiles_total - tiles_extracted < :mine THEN tiles_total - tiles_extracted"
            + " ELSE :mine END), 0) FROM jobs WHERE state IN ('QUEUED', 'EXTRACTING') AND id <> :id")
    long fairTilesAhead(UUID id, int mine);

    /** The database these queries were generated for. */
    SqlDialect dialect();

    /** For the embedded H2 database. */
    @JdbcRepository(dialect = Dialect.H2)
    @Requires(condition = DatabaseCondition.OnH2.class)
    interface OnH2 extends JobRepository {
        @Override
        default SqlDialect dialect() {
            return SqlDialect.H2;
        }
    }

    /** For PostgreSQL + PostGIS. */
    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(condition = DatabaseCondition.OnPostgres.class)
    interface OnPostgres extends JobRepository {
        @Override
        default SqlDialect dialect() {
            return SqlDialect.POSTGRESQL;
        }
    }
}
