package io.geocrop.jobs;

import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Creates and upgrades the job store's tables with Flyway, using the migration folder of the database behind
 * the data source ({@link SqlDialect#migrationLocation()}). Running it again is a no-op.
 *
 * <p>The job store keeps its own Flyway history table ({@value #HISTORY_TABLE}) so that it can share a schema
 * with other modules' migrations without either side seeing the other's versions as unknown.
 */
public final class JobStoreMigrations {
    /** The Flyway history table of the job store's migrations. */
    public static final String HISTORY_TABLE = "geocrop_jobs_schema_history";

    private JobStoreMigrations() {}

    /**
     * Migrates the connection's current schema (PostgreSQL: the first existing schema on the
     * {@code search_path}, e.g. from {@code ?currentSchema=geocrop,public}; H2: {@code PUBLIC} unless the URL says
     * {@code SCHEMA=}). Returns the number of migrations applied, 0 when the schema was up to date.
     */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, null);
    }

    /**
     * Migrates {@code schema}, creating it if missing. The store's connections must then resolve the tables, i.e.
     * have {@code schema} on their search path (PostgreSQL {@code currentSchema}, H2 {@code SCHEMA}). Returns the
     * number of migrations applied.
     *
     * @param schema the schema to migrate, or null for the connection's current schema
     */
    public static int migrate(DataSource dataSource, String schema) {
        Objects.requireNonNull(dataSource, "dataSource");
        SqlDialect dialect = SqlDialect.detect(dataSource);
        FluentConfiguration configuration = Flyway.configure(JobStoreMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .table(HISTORY_TABLE)
                // A typo in the location must fail loudly rather than leave an empty schema.
                .failOnMissingLocations(true)
                .validateMigrationNaming(true);
        if (schema != null) {
            if (schema.isBlank()) {
                throw new IllegalArgumentException("schema must be null (the connection's current schema) or a name, got a blank string");
            }
            configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        try {
            return configuration.load().migrate().migrationsExecuted;
        } catch (FlywayException e) {
            String target = schema == null ? "the connection's current schema" : "schema '" + schema + "'";
            String hint = dialect == SqlDialect.POSTGRESQL && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("postgis")
                    ? " (is PostGIS installed on the server, e.g. the Debian package postgresql-15-postgis-3, and is its"
                            + " schema on the search_path?)"
                    : "";
            throw new JobStoreException("migrating the job store in " + target + " from "
                    + dialect.migrationLocation() + " failed: " + e.getMessage() + hint, e);
        }
    }
}
