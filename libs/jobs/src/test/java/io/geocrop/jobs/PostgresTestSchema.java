package io.geocrop.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away schema on the real PostgreSQL server, so parallel test runs on the shared server never meet.
 * PostGIS is made available once per database (in {@code public} unless it is already installed elsewhere) and
 * its schema is put on the pool's search path after the test schema; the schema is dropped on {@link #close()}.
 *
 * <p>Server and user come from {@code GEOCROP_TEST_PG_URL} (default {@value #DEFAULT_URL}),
 * {@code GEOCROP_TEST_PG_USER} (default {@code postgres}) and, if set, {@code GEOCROP_TEST_PG_PASSWORD}.
 */
public final class PostgresTestSchema implements AutoCloseable {
    /** The machine's PostgreSQL, trust authentication. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final String postgisSchema;
    private final HikariDataSource dataSource;

    private PostgresTestSchema(String url, String user, String password, String schema, String postgisSchema, int poolSize) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.postgisSchema = postgisSchema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(schema);
        config.setConnectionInitSql("SET search_path TO " + quote(schema) + ", " + quote(postgisSchema));
        this.dataSource = new HikariDataSource(config);
    }

    /** Creates a fresh schema named {@code <prefix>_<random>} with a pool of {@code poolSize} connections into it. */
    public static PostgresTestSchema create(String prefix, int poolSize) {
        String url = env("GEOCROP_TEST_PG_URL", DEFAULT_URL);
        String user = env("GEOCROP_TEST_PG_USER", "postgres");
        String password = System.getenv("GEOCROP_TEST_PG_PASSWORD");
        String schema = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(url, user, password); Statement s = admin.createStatement()) {
            String postgis = ensurePostgis(admin);
            s.execute("CREATE SCHEMA " + quote(schema));
            return new PostgresTestSchema(url, user, password, schema, postgis, poolSize);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare a test schema on PostgreSQL at " + url + " as user '" + user
                    + "' (set GEOCROP_TEST_PG_URL / GEOCROP_TEST_PG_USER to point the tests elsewhere): " + e.getMessage(), e);
        }
    }

    /**
     * The schema holding PostGIS, installing it in {@code public} if the database has none yet. Several test runs
     * may race to install it; the loser sees a duplicate and simply reads where the winner put it.
     */
    private static String ensurePostgis(Connection admin) throws SQLException {
        SQLException lastRace = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> installed = postgisSchema(admin);
            if (installed.isPresent()) {
                return installed.get();
            }
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
            } catch (SQLException e) {
                // 23505 / 42710: another session created it between our look-up and our CREATE.
                if (!"23505".equals(e.getSQLState()) && !"42710".equals(e.getSQLState())) {
                    throw new SQLException("PostGIS is not installed in the database and cannot be created ("
                            + e.getMessage() + "); install the Debian package postgresql-15-postgis-3", e.getSQLState(), e);
                }
                lastRace = e;
            }
        }
        Optional<String> installed = postgisSchema(admin);
        if (installed.isEmpty()) {
            throw new SQLException("PostGIS could not be installed after 3 attempts racing other sessions", lastRace);
        }
        return installed.get();
    }

    private static Optional<String> postgisSchema(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** The test schema's name. */
    public String schema() {
        return schema;
    }

    /** Where PostGIS lives (usually {@code public}). */
    public String postgisSchema() {
        return postgisSchema;
    }

    /**
     * The application's data source settings for this schema (the same server and user as the test's own pool,
     * search path {@code <schema>,<postgis schema>}), for a Micronaut test's properties.
     */
    public java.util.Map<String, String> datasourceProperties(int poolSize) {
        java.util.Map<String, String> props = new java.util.HashMap<>();
        props.put("datasources.default.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + ","
                + postgisSchema);
        props.put("datasources.default.username", user);
        if (password != null) {
            props.put("datasources.default.password", password);
        }
        props.put("datasources.default.maximum-pool-size", Integer.toString(poolSize));
        return props;
    }

    /** Pooled connections with {@code search_path = <schema>, <postgis schema>}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Unpooled connections whose search path is exactly {@code schemas} (comma-separated), for set-up checks. */
    public DataSource dataSourceWithSearchPath(String schemas) {
        PGSimpleDataSource simple = new PGSimpleDataSource();
        simple.setURL(url);
        simple.setUser(user);
        simple.setPassword(password);
        simple.setCurrentSchema(schemas);
        return simple;
    }

    /** A plain connection to the server (default search path), for administrative statements. */
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Empties the given tables of the test schema. */
    public void truncate(String... tables) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", tables));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot truncate " + String.join(", ", tables) + " in schema " + schema, e);
        }
    }

    /** Closes the pool and drops the schema with everything in it. */
    @Override
    public void close() {
        dataSource.close();
        dropSchema(schema);
    }

    /** Drops {@code name} (any schema a test created) with its contents; no error if it is gone. */
    public void dropSchema(String name) {
        try (Connection admin = adminConnection(); Statement s = admin.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + quote(name) + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + name + " on " + url, e);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
