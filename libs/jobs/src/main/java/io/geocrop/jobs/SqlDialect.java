package io.geocrop.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The databases the job store runs on. The store's own SQL is the same for both; what differs is the Flyway
 * migration folder (PostgreSQL adds PostGIS geography columns) and how each driver reports a transaction that
 * lost a race and may simply be tried again.
 */
public enum SqlDialect {
    /** Embedded H2 2.x, for the single-JVM mode and tests. */
    H2("H2", "classpath:db/migration/h2", Set.of("40001", "HYT00", "90131")),
    /** PostgreSQL 13+ with PostGIS 3, for the cluster. */
    POSTGRESQL("PostgreSQL", "classpath:db/migration/postgresql", Set.of("40001", "40P01", "55P03"));

    private final String productName;
    private final String migrationLocation;
    private final Set<String> retryableSqlStates;

    SqlDialect(String productName, String migrationLocation, Set<String> retryableSqlStates) {
        this.productName = productName;
        this.migrationLocation = migrationLocation;
        this.retryableSqlStates = retryableSqlStates;
    }

    /** Asks the database behind {@code dataSource} which product it is. */
    public static SqlDialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return fromProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new JobStoreException("cannot open a connection to detect the job store database: " + e.getMessage(), e);
        }
    }

    /** Maps a JDBC {@code DatabaseMetaData#getDatabaseProductName()} to a dialect. */
    public static SqlDialect fromProductName(String productName) {
        String name = productName == null ? "" : productName.trim().toLowerCase(Locale.ROOT);
        for (SqlDialect dialect : values()) {
            if (name.equals(dialect.productName.toLowerCase(Locale.ROOT))) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("the job store does not support the database '" + productName
                + "'; supported: " + Arrays.toString(Arrays.stream(values()).map(d -> d.productName).toArray()));
    }

    /** The Flyway location holding this database's migrations. */
    public String migrationLocation() {
        return migrationLocation;
    }

    /**
     * True if the failure means "lost a race, nothing was changed, try the transaction again": serialization
     * failures, deadlocks and lock timeouts. Walks the whole {@code getNextException()} chain, because drivers
     * sometimes put the telling state on a chained exception.
     */
    boolean isRetryable(SQLException failure) {
        for (SQLException e = failure; e != null; e = e.getNextException()) {
            if (e.getSQLState() != null && retryableSqlStates.contains(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
