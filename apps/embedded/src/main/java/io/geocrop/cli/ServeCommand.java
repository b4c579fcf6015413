package io.geocrop.cli;

import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.embedded.s3.EmbeddedS3Endpoint;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code geocrop serve}: the embedded application, every function in one JVM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the embedded application: every function in one JVM.",
                "",
                "Jobs are kept in an H2 file, objects on the local filesystem (both under GEOCROP_HOME, default",
                "~/.geocrop) and events go through the in-process router. Environment variables switch each part",
                "to the cluster services: GEOCROP_DB_URL (PostgreSQL), GEOCROP_EVENTS_TRANSPORT=cluster (Redis",
                "stream and K_SINK), GEOCROP_STORAGE_BACKEND=s3 (MinIO/S3)."})
final class ServeCommand implements Callable<Integer> {
    private static volatile boolean serving;
    /** The home's lock, taken by {@link GeoCropCli} before this runs (none with an external database). */
    static volatile HomeLock homeLock;

    @Option(names = {"-p", "--port"}, description = "HTTP port (default: $PORT or 8080).")
    Integer port;

    @Option(names = "--home", description = "Where data is kept (default: $GEOCROP_HOME or ~/.geocrop).")
    Path home;

    static boolean isServing() {
        return serving;
    }

    @Override
    public Integer call() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("micronaut.server.port", port);
        }
        if (home != null) {
            overrides.put("geocrop.home", home.toAbsolutePath().toString());
        }
        long started = System.nanoTime();
        ApplicationContext context = EmbeddedApplication.start(overrides);
        serving = true;
        String url = EmbeddedApplication.baseUrl(context);
        if (homeLock != null) {
            homeLock.announce(url); // so a classify on the same home can point at this server
        }
        System.out.printf("GeoCrop is serving at %s (started in %d ms). Press Ctrl+C to stop.%n",
                url, (System.nanoTime() - started) / 1_000_000);
        context.findBean(EmbeddedS3Endpoint.class).ifPresent(s3 -> System.out.println(s3.describe()));
        return 0;
    }
}
