package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on embedded H2 (in memory, one database per test class), plus H2-specific set-up checks. */
class H2JobStoreTest extends JobStoreContract {
    private static JdbcConnectionPool dataSource;
    private static JdbcJobStore tables;

    @BeforeAll
    static void createDatabase() {
        // DB_CLOSE_DELAY=-1 keeps the in-memory database alive between pooled connections.
        dataSource = JdbcConnectionPool.create(
                "jdbc:h2:mem:geocrop_jobs_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
        dataSource.setMaxConnections(THREADS + 4);
        assertEquals(MigrationScripts.count("h2"), JobStoreMigrations.migrate(dataSource), "migrations applied to a new database");
        tables = JobStores.forDataSource(dataSource);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        dataSource.dispose();
    }

    @Override
    protected JobStore newStore() {
        return newStore(Clock.systemUTC());
    }

    @Override
    protected JobStore newStore(Clock clock) {
        emptyTables();
        return tables.withClock(clock);
    }

    private static void emptyTables() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM job_tiles");
            s.executeUpdate("DELETE FROM jobs");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the H2 job tables", e);
        }
    }

    @Test
    void theDialectIsDetectedFromTheConnection() {
        assertEquals(SqlDialect.H2, SqlDialect.detect(dataSource));
        assertEquals(SqlDialect.H2, new JdbcJobStore(dataSource).dialect());
    }

    @Test
    void migratingAgainIsANoOp() throws SQLException {
        store.submit(newJob(null));

        assertEquals(0, JobStoreMigrations.migrate(dataSource));

        assertEquals(1, store.recent(10).size(), "data survives");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + JobStoreMigrations.HISTORY_TABLE + "\" ORDER BY \"installed_rank\"")) {
            // Flyway's first row may be its own marker (version null); the job store's migrations follow it.
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                assertTrue(rs.getBoolean(2));
                versions.add(rs.getString(1));
            }
            versions.removeIf(Objects::isNull);
            assertEquals(MigrationScripts.versions("h2"), versions, "every migration applied once, in the job store's own history table");
        }
    }

    @Test
    void jobStoresMigratesAFreshDatabaseInOneLine() {
        JdbcConnectionPool fresh = JdbcConnectionPool.create(
                "jdbc:h2:mem:geocrop_jobs_fresh_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
        try {
            JobStore oneLiner = JobStores.forDataSource(fresh);
            Submission submission = oneLiner.submit(newJob("k"));
            assertTrue(submission.created());
            assertEquals(submission.job(), oneLiner.find(submission.job().id()).orElseThrow());
        } finally {
            try (Connection c = fresh.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // Only frees memory; the database is private to this test.
            }
            fresh.dispose();
        }
    }

    @Test
    void aStoreWithoutItsTablesFailsWithTheOperationInTheMessage() throws SQLException {
        JdbcConnectionPool emptied = JdbcConnectionPool.create(
                "jdbc:h2:mem:geocrop_jobs_empty_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
        try {
            JobStore onEmptied = new JdbcJobStore(emptied);
            try (Connection c = emptied.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE job_costs, job_imagery, job_tiles, jobs");
            }
            UUID id = UUID.randomUUID();
            JobStoreException e = assertThrows(JobStoreException.class, () -> onEmptied.find(id));
            assertTrue(e.getMessage().contains("reading job " + id) && e.getMessage().toUpperCase().contains("JOBS"),
                    e.getMessage());
        } finally {
            emptied.dispose();
        }
    }

    @Test
    void eachCallIsItsOwnTransactionEvenInsideTheCallersOne() {
        ApplicationContext context = JobStores.context(dataSource, Clock.systemUTC(), SqlDialect.H2);
        try {
            JdbcJobStore inContext = context.getBean(JdbcJobStore.class);
            @SuppressWarnings("unchecked")
            TransactionOperations<Connection> transactions = context.getBean(TransactionOperations.class);
            Job job = transactions.executeWrite(status -> {
                Job submitted = inContext.submit(newJob(null)).job();
                status.setRollbackOnly(); // the caller's work fails...
                return submitted;
            });
            // ...but the store's call committed by itself, as it does when it is retried after a lost race.
            assertEquals(job, store.find(job.id()).orElseThrow());
        } finally {
            context.close();
        }
    }

    @Test
    void aConfigurationNamingAnotherDatabaseFailsAtStartUpNamingBoth() {
        Exception e = assertThrows(Exception.class, () -> JobStores.open(dataSource, Clock.systemUTC(), SqlDialect.POSTGRESQL));
        Throwable cause = e;
        while (!(cause instanceof JobStoreException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof JobStoreException, "caused by the store's own check: " + e);
        assertTrue(cause.getMessage().contains("database is H2") && cause.getMessage().contains("names POSTGRESQL")
                && cause.getMessage().contains(DatabaseCondition.DIALECT_PROPERTY), cause.getMessage());
    }
}
