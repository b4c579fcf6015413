package io.geocrop.jobs;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** The {@code job_costs} table: what each unit of a job's work cost. */
interface JobCostRepository extends GenericRepository<JobCostRow, JobCostRow.Key> {

    JobCostRow save(JobCostRow row);

    boolean existsById(JobCostRow.Key key);

    /** Per stage: the units recorded and their summed figures (CAST: both databases sum BIGINT into NUMERIC). */
    @Query("SELECT stage, COUNT(*) AS units, CAST(SUM(cpu_nanos) AS BIGINT) AS cpu_nanos,"
            + " CAST(SUM(catalogue_requests) AS BIGINT) AS catalogue_requests,"
            + " CAST(SUM(catalogue_bytes) AS BIGINT) AS catalogue_bytes,"
            + " CAST(SUM(bytes_written) AS BIGINT) AS bytes_written"
            + " FROM job_costs WHERE job_id = :jobId GROUP BY stage")
    List<StageSum> sums(UUID jobId);

    /** One stage's sums, as {@link #sums} reads them. */
    @Introspected
    record StageSum(String stage, long units, long cpuNanos, long catalogueRequests, long catalogueBytes,
                    long bytesWritten) {}

    /** For the embedded H2 database. */
    @JdbcRepository(dialect = Dialect.H2)
    @Requires(condition = DatabaseCondition.OnH2.class)
    interface OnH2 extends JobCostRepository {}

    /** For PostgreSQL + PostGIS. */
    @JdbcRepository(dialect = Dialect.POSTGRES)
    @Requires(condition = DatabaseCondition.OnPostgres.class)
    interface OnPostgres extends JobCostRepository {}
}
