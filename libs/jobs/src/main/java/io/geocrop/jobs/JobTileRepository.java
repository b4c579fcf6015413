package io.geocrop.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
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

    /** For the embedded H2 database. */
    @JdbcRepository(dialect = Dialect.H2)
    @Requires(condition = DatabaseCondition.OnH2.class)
    interface OnH2 extends JobTileRepository {}

    /** For PostgreSQL + PostGIS. */
    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(condition = DatabaseCondition.OnPostgres.class)
    interface OnPostgres extends JobTileRepository {}
}
