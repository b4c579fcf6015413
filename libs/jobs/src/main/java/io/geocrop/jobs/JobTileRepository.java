package io.geocrop.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code job_tiles} table: each job's planned tiles and what was counted for them. */
interface JobTileRepository extends GenericRepository<JobTileRow, JobTileRow.Key> {

    List<JobTileRow> saveAll(Iterable<JobTileRow> rows);

    JobTileRow update(JobTileRow row);

    Optional<JobTileRow> findById(JobTileRow.Key key);

    @Query("SELECT * FROM job_tiles WHERE job_id = :jobId ORDER BY tile_id")
    List<JobTileRow> findByJob(UUID jobId);

    @Query("SELECT tile_id FROM job_tiles WHERE job_id = :jobId")
    List<String> tileIds(UUID jobId);

    /** Tiles with a failure awaiting re-emission, of jobs not finished, the oldest failure first. */
    @Query("SELECT t.* FROM job_tiles t JOIN jobs j ON j.id = t.job_id WHERE t.failed_at IS NOT NULL"
            + " AND j.state IN ('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING')"
            + " ORDER BY t.failed_at ASC, t.job_id ASC, t.tile_id ASC LIMIT :limit")
    List<JobTileRow> awaitingRetry(int limit);

    /** When tiles were counted extracted since {@code since} (any job), the earliest first, at most {@code limit}. */
    @Query("SELECT extracted_at FROM job_tiles WHERE extracted_at > :since ORDER BY extracted_at ASC LIMIT :limit")
    List<Instant> extractedSince(Instant since, int limit);

    /** For the embedded H2 database. */
    @JdbcRepository(dialect = Dialect.H2)
    @Requires(condition = DatabaseCondition.OnH2.class)
    interface OnH2 extends JobTileRepository {}

    /** For PostgreSQL + PostGIS. */
    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(condition = DatabaseCondition.OnPostgres.class)
    interface OnPostgres extends JobTileRepository {}
}
