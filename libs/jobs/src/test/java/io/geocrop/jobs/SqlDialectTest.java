package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlDialectTest {
    @Test
    void mapsTheDriversProductNames() {
        assertEquals(SqlDialect.POSTGRESQL, SqlDialect.fromProductName("PostgreSQL"));
        assertEquals(SqlDialect.H2, SqlDialect.fromProductName("H2"));
    }

    @Test
    void refusesOtherDatabasesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlDialect.fromProductName("MySQL"));
        assertTrue(e.getMessage().contains("MySQL") && e.getMessage().contains("PostgreSQL"), e.getMessage());
    }

    @Test
    void eachDatabaseHasItsOwnMigrations() {
        assertEquals("classpath:db/migration/postgresql", SqlDialect.POSTGRESQL.migrationLocation());
        assertEquals("classpath:db/migration/h2", SqlDialect.H2.migrationLocation());
    }

    @Test
    void retriesOnlyLostRaces() {
        assertTrue(SqlDialect.POSTGRESQL.isRetryable(new SQLException("deadlock detected", "40P01")));
        assertTrue(SqlDialect.H2.isRetryable(new SQLException("Timeout trying to lock table", "HYT00")));
        SQLException chained = new SQLException("batch failed", "XX000");
        chained.setNextException(new SQLException("could not serialize access", "40001"));
        assertTrue(SqlDialect.POSTGRESQL.isRetryable(chained));
        assertFalse(SqlDialect.POSTGRESQL.isRetryable(new SQLException("duplicate key", "23505")));
        assertFalse(SqlDialect.H2.isRetryable(new SQLException("no state")));
    }
}
