package io.geocrop.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The cluster services for application tests: the machine's PostgreSQL + PostGIS and Redis (overridable with
 * {@code GEOCROP_TEST_PG_URL}, {@code GEOCROP_TEST_PG_USER}, {@code GEOCROP_TEST_REDIS_URI}); the S3 server is
 * {@link io.geocrop.storage.InProcessS3}.
 */
final class ClusterServices {
    static final String PG_URL = System.getenv().getOrDefault("GEOCROP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("GEOCROP_TEST_PG_USER", "postgres");
    static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");

    private ClusterServices() {}

    /** A new empty schema (PostGIS stays in public), so runs on a shared server never collide. */
    static String createSchema(String prefix) throws SQLException {
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The JDBC URL the application gets: its schema first, public (PostGIS) after it. */
    static String jdbcUrl(String schema) {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
    }
}
