package io.geocrop.jobs;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.value.PropertyResolver;
import java.util.Locale;

/**
 * Which database the configuration names, so that only the repositories generated for it become beans:
 * {@value #DIALECT_PROPERTY} if set ({@code h2} or {@code postgresql}), otherwise the JDBC URL
 * {@value #URL_PROPERTY} ({@code jdbc:postgresql:...} is PostgreSQL; H2 and an empty URL, the embedded default,
 * are H2). {@link JobTables} checks the choice against what the connection reports, so a mismatch fails at start-up
 * with both names rather than with odd SQL errors later.
 */
abstract sealed class DatabaseCondition implements Condition {
    /** Names the job store's database explicitly, for URLs that do not say it (or a store outside an application). */
    static final String DIALECT_PROPERTY = "geocrop.jobs.dialect";
    /** The application's data source URL (libs/platform's {@code datasources.default.url}). */
    static final String URL_PROPERTY = "datasources.default.url";

    /** The database the properties name. */
    static SqlDialect configured(PropertyResolver properties) {
        String dialect = properties.get(DIALECT_PROPERTY, String.class).map(String::strip).orElse("");
        if (!dialect.isEmpty()) {
            return switch (dialect.toLowerCase(Locale.ROOT)) {
                case "h2" -> SqlDialect.H2;
                case "postgresql", "postgres" -> SqlDialect.POSTGRESQL;
                default -> throw new IllegalArgumentException(DIALECT_PROPERTY + " must be h2 or postgresql, got '" + dialect + "'");
            };
        }
        String url = properties.get(URL_PROPERTY, String.class).orElse("");
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:") ? SqlDialect.POSTGRESQL : SqlDialect.H2;
    }

    abstract SqlDialect dialect();

    @Override
    public boolean matches(ConditionContext context) {
        return context.getBeanContext() instanceof PropertyResolver properties && configured(properties) == dialect();
    }

    /** The configuration names H2. */
    @Introspected
    static final class OnH2 extends DatabaseCondition {
        @Override
        SqlDialect dialect() {
            return SqlDialect.H2;
        }
    }

    /** The configuration names PostgreSQL. */
    @Introspected
    static final class OnPostgres extends DatabaseCondition {
        @Override
        SqlDialect dialect() {
            return SqlDialect.POSTGRESQL;
        }
    }
}
