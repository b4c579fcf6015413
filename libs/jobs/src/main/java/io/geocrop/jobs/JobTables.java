package io.geocrop.jobs;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * The job store's tables, ready: the database checked against the repositories chosen from configuration
 * ({@link DatabaseCondition}), the schema migrated ({@link JobStoreMigrations}), and the transactional parts that
 * work on the tables, one per concern.
 */
@Singleton
final class JobTables {
    final SqlDialect dialect;
    final JobRecords jobs;
    final TileLedger tiles;
    final ImageryManifest imagery;
    final ReconcileAttempts reconcileAttempts;
    final QueueLedger queue;
    final CostLedger costs;

    JobTables(DataSource dataSource, JobRepository repository, JobRecords jobs, TileLedger tiles, ImageryManifest imagery,
              ReconcileAttempts reconcileAttempts, QueueLedger queue, CostLedger costs) {
        // In an application Micronaut Data hands out the data source wrapped so that getConnection() means "the
        // current transaction's connection"; the check and Flyway open connections of their own.
        DataSource plain = DelegatingDataSource.unwrapDataSource(dataSource);
        SqlDialect actual = SqlDialect.detect(plain);
        if (actual != repository.dialect()) {
            throw new JobStoreException("the job store's database is " + actual + " but the configuration names "
                    + repository.dialect() + " (from " + DatabaseCondition.DIALECT_PROPERTY + ", or else "
                    + DatabaseCondition.URL_PROPERTY + "); set " + DatabaseCondition.DIALECT_PROPERTY + " to "
                    + actual.name().toLowerCase(java.util.Locale.ROOT), null);
        }
        JobStoreMigrations.migrate(plain);
        this.dialect = actual;
        this.jobs = jobs;
        this.tiles = tiles;
        this.imagery = imagery;
        this.reconcileAttempts = reconcileAttempts;
        this.queue = queue;
        this.costs = costs;
    }
}
