package io.geocrop.jobs;

import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Migrates the cluster's job store and exits: the command of the migration Job
 * ({@code infra/k8s/130-postgres-migrate-job.yaml}), run as the schema's owner so that the functions' own roles
 * need no DDL rights. It reads the same variables as the functions ({@code GEOCROP_DB_URL},
 * {@code GEOCROP_DB_USER}, {@code GEOCROP_DB_PASSWORD}); the URL's {@code currentSchema} names the schema.
 *
 * <pre>java -cp /app/app.jar io.geocrop.jobs.MigrateJobStore</pre>
 */
public final class MigrateJobStore {
    private MigrateJobStore() {}

    /** Exit status 0 when the schema is up to date, 1 with the reason on standard error otherwise. */
    public static void main(String[] args) {
        try {
            int applied = migrate(System.getenv());
            System.out.println("job store migrated: " + applied + " migration(s) applied");
        } catch (RuntimeException e) {
            System.err.println("job store migration failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Migrates the PostgreSQL database named by {@code env}; returns the number of migrations applied. */
    public static int migrate(Map<String, String> env) {
        String url = require(env, "GEOCROP_DB_URL");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("GEOCROP_DB_URL must be a jdbc:postgresql: URL, got " + url);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(require(env, "GEOCROP_DB_USER"));
        dataSource.setPassword(env.getOrDefault("GEOCROP_DB_PASSWORD", ""));
        return JobStoreMigrations.migrate(dataSource);
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
