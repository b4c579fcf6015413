package io.geocrop.jobs;

import java.time.Clock;
import javax.sql.DataSource;

/** One-line set-up of a job store: migrate the schema, then hand back the store. */
public final class JobStores {
    private JobStores() {}

    /**
     * Migrates the connection's current schema ({@link JobStoreMigrations#migrate(DataSource)}) and returns a
     * {@link JdbcJobStore} over it, for H2 or PostgreSQL alike.
     */
    public static JobStore forDataSource(DataSource dataSource) {
        return forDataSource(dataSource, Clock.systemUTC());
    }

    /** As {@link #forDataSource(DataSource)}, with the clock that stamps {@code created_at}/{@code updated_at}. */
    public static JobStore forDataSource(DataSource dataSource, Clock clock) {
        JobStoreMigrations.migrate(dataSource);
        return new JdbcJobStore(dataSource, SqlDialect.detect(dataSource), clock);
    }
}
