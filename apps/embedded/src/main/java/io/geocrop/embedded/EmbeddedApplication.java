package io.geocrop.embedded;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hosts every GeoCrop function in one JVM: their controllers and event handlers are beans of one Micronaut
 * context, events travel through the in-process router, jobs live in H2 and objects on the local filesystem
 * (unless the environment points them at Postgres, Redis and S3).
 */
public final class EmbeddedApplication {
    /**
     * The embedded runtime's own defaults, over the shared application.yml (whose defaults are the cluster's) and
     * under environment variables, system properties and {@link #start}'s overrides: the simulated imagery, so
     * {@code ./geocrop serve} and {@code classify} work offline, while {@code GEOCROP_IMAGERY_SOURCE=stac} still
     * means the real catalogue.
     */
    static final PropertySource EMBEDDED_DEFAULTS = PropertySource.of("geocrop-embedded-defaults",
            Map.of("geocrop.imagery.source", "simulated"), AbstractPropertySourceLoader.DEFAULT_POSITION + 50);

    private EmbeddedApplication() {}

    /**
     * Starts the application. {@code overrides} are configuration properties that win over application.yml
     * and the environment (used by the CLI's options).
     */
    public static ApplicationContext start(Map<String, Object> overrides, String... args) {
        Map<String, Object> props = new LinkedHashMap<>(overrides);
        return Micronaut.build(args)
                .mainClass(EmbeddedApplication.class)
                .banner(false)
                .propertySources(EMBEDDED_DEFAULTS)
                .properties(props)
                .start();
    }

    /** The base URL the server listens on. */
    public static String baseUrl(ApplicationContext context) {
        return context.getBean(EmbeddedServer.class).getURL().toString();
    }

    public static void main(String[] args) {
        start(Map.of(), args);
    }
}
