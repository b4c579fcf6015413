package io.geocrop.jobs;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.config.DataJdbcConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A job store outside a Micronaut application (tests of other modules, tools): one line that migrates the schema and
 * hands back the store.
 *
 * <p>Micronaut Data's repositories are beans generated at compile time, so the store always lives in a bean context.
 * This one holds only the job store: the data source is registered as the {@code default} one, the database is named
 * from what the connection reports, no configuration files or environment variables are read, and the bean
 * definitions of the other GeoCrop modules on the class path are hidden from it (their start-up beans would otherwise
 * run here too). The context lives as long as the store. An application does not call this; it injects
 * {@link JdbcJobStore}.
 */
public final class JobStores {
    private static final String BEAN_DEFINITIONS = "META-INF/micronaut/";
    private static final ClassLoader JOB_STORE_BEANS_ONLY = new JobStoreBeansOnly(JobStores.class.getClassLoader());

    private JobStores() {}

    /**
     * Migrates the connection's current schema ({@link JobStoreMigrations#migrate(DataSource)}) and returns a
     * {@link JdbcJobStore} over it, for H2 or PostgreSQL alike, stamping times with the UTC system clock.
     */
    public static JdbcJobStore forDataSource(DataSource dataSource) {
        return forDataSource(dataSource, Clock.systemUTC());
    }

    /** As {@link #forDataSource(DataSource)}, with the clock that stamps {@code created_at}/{@code updated_at}. */
    public static JdbcJobStore forDataSource(DataSource dataSource, Clock clock) {
        return open(dataSource, clock, SqlDialect.detect(dataSource));
    }

    /** The store in its own context, with the repositories generated for {@code dialect}. */
    static JdbcJobStore open(DataSource dataSource, Clock clock, SqlDialect dialect) {
        return context(dataSource, clock, dialect).getBean(JdbcJobStore.class);
    }

    /** The started context holding only the job store and what it needs. */
    static ApplicationContext context(DataSource dataSource, Clock clock, SqlDialect dialect) {
        ApplicationContext context = ApplicationContext.builder()
                .classLoader(JOB_STORE_BEANS_ONLY)
                .enableDefaultPropertySources(false)
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                .banner(false)
                .properties(Map.of(DatabaseCondition.DIALECT_PROPERTY, dialect.name()))
                .build();
        context.registerSingleton(DataSource.class, dataSource, Qualifiers.byName("default"));
        context.registerSingleton(DataJdbcConfiguration.class, new DataJdbcConfiguration("default"), Qualifiers.byName("default"));
        context.registerSingleton(Clock.class, clock);
        return context.start();
    }

    /**
     * The class loader's view for the job store's context: bean definitions ({@value #BEAN_DEFINITIONS}) only from
     * this module and from libraries, not from the other GeoCrop modules (class path roots holding {@code io/geocrop/}).
     */
    private static final class JobStoreBeansOnly extends ClassLoader {
        private final List<String> otherGeoCropRoots;

        JobStoreBeansOnly(ClassLoader parent) {
            super(parent);
            String own = rootOf(parent.getResource(JobStores.class.getName().replace('.', '/') + ".class"),
                    JobStores.class.getName().replace('.', '/') + ".class");
            List<String> roots = new ArrayList<>();
            try {
                for (URL url : Collections.list(parent.getResources("io/geocrop/"))) {
                    String root = rootOf(url, "io/geocrop/");
                    if (!root.equals(own)) {
                        roots.add(root);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the class path roots of GeoCrop modules", e);
            }
            this.otherGeoCropRoots = List.copyOf(roots);
        }

        private static String rootOf(URL url, String name) {
            String s = url.toString();
            return s.endsWith(name) ? s.substring(0, s.length() - name.length()) : s;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> all = super.getResources(name);
            if (!name.startsWith(BEAN_DEFINITIONS)) {
                return all;
            }
            List<URL> kept = new ArrayList<>();
            for (URL url : Collections.list(all)) {
                if (otherGeoCropRoots.stream().noneMatch(root -> url.toString().startsWith(root))) {
                    kept.add(url);
                }
            }
            return Collections.enumeration(kept);
        }
    }
}
