package io.geocrop.embedded;

import io.micronaut.context.ApplicationContext;
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
