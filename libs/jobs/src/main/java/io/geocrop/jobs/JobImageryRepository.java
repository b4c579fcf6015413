package io.geocrop.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** The {@code job_imagery} table: each job's imagery manifest. */
interface JobImageryRepository extends GenericRepository<JobImageryRow, JobImageryRow.Key> {

    List<JobImageryRow> saveAll(Iterable<JobImageryRow> rows);

    /** The manifest's items with their documents, in acquisition order. */
    @Query("SELECT item_id AS id, item_document AS document FROM job_imagery WHERE job_id = :jobId ORDER BY position")
    List<ImageryItem> items(UUID jobId);

    /** For the embedded H2 database. */
    @JdbcRepository(dialect = Dialect.H2)
    @Requires(condition = DatabaseCondition.OnH2.class)
    interface OnH2 extends JobImageryRepository {}

    /** For PostgreSQL + PostGIS. */
    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(condition = DatabaseCondition.OnPostgres.class)
    interface OnPostgres extends JobImageryRepository {}
}
