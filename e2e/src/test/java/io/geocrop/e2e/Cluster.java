package io.geocrop.e2e;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.S3ObjectStore;
import io.geocrop.storage.S3StoreSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.events.dev.DevBroker;
import io.geocrop.events.dev.DevRedisStreamSource;
import io.geocrop.events.dev.PrivateRedis;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * One GeoCrop "cluster" on this machine: each function a {@code java -jar} process configured by environment, the
 * development broker (Knative Eventing stand-in) with its Redis stream source, the machine's PostgreSQL + PostGIS
 * (a fresh schema), a private Redis (restartable), and an S3 server that sends MinIO-style notifications to
 * submit-job's webhook.
 */
final class Cluster implements AutoCloseable {
    static final String PG_URL = System.getenv().getOrDefault("GEOCROP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("GEOCROP_TEST_PG_USER", "postgres");
    static final String WEBHOOK_TOKEN = "e2e-webhook-token";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String schema;
    final NotifyingS3 s3;
    final PrivateRedis redis;
    final SimulatedDeaServer dea;
    final String stream = "geocrop:jobs";
    final DevBroker broker;
    /** The stream source; replaced by {@link #restartSource}. */
    volatile DevRedisStreamSource source;
    private final boolean sourceLikeKnative;
    /** When the Broker first accepted each event (by the id of the event inside a stream envelope). */
    final Map<String, java.time.Instant> firstAccepted = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, FunctionProcess> functions = new LinkedHashMap<>();
    final Map<String, Duration> healthyAfter = new LinkedHashMap<>();
    final Path logs;

    private Cluster(List<String> names, Map<String, String> extraEnv) throws Exception {
        this(names, extraEnv, false, 0);
    }

    private Cluster(List<String> names, Map<String, String> extraEnv, boolean sourceLikeKnative) throws Exception {
        this(names, extraEnv, sourceLikeKnative, 0);
    }

    /** @param perService deliveries in flight to each function at once (its containerConcurrency); 0: the broker's default */
    private Cluster(List<String> names, Map<String, String> extraEnv, boolean sourceLikeKnative, int perService)
            throws Exception {
        this.sourceLikeKnative = sourceLikeKnative;
        logs = Files.createDirectories(root().resolve("e2e/target/e2e-logs/" + System.currentTimeMillis()));
        schema = createSchema();
        try {
            s3 = NotifyingS3.start("e2e-access", "e2e-secret");
            redis = PrivateRedis.start();
            dea = SimulatedDeaServer.start(new SimulatedDea(simulationCache(), 42));
            // The model score-tile serves, published as an operator would (train --publish): a small real model in
            // the geocrop-models bucket, before any notification target is set.
            ModelArtifact model = TestModels.small();
            try (S3ObjectStore store = S3ObjectStore.create(S3StoreSettings.minio(URI.create(s3.endpoint()), "e2e-access",
                    "e2e-secret"))) {
                store.ensureBuckets();
                new ObjectStoreModelRegistry(store).publish(model, ModelRegistry.DEFAULT_ALIAS);
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GEOCROP_MODELS_NAME", model.card().name());
            env.put("GEOCROP_DB_URL", PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public");
            env.put("GEOCROP_DB_USER", PG_USER);
            env.put("GEOCROP_STORAGE_BACKEND", "s3");
            env.put("GEOCROP_S3_ENDPOINT", s3.endpoint());
            env.put("GEOCROP_S3_ACCESS_KEY", "e2e-access");
            env.put("GEOCROP_S3_SECRET_KEY", "e2e-secret");
            env.put("GEOCROP_EVENTS_TRANSPORT", "cluster");
            env.put("GEOCROP_REDIS_URI", redis.uri());
            env.put("GEOCROP_JOB_STREAM", stream);
            env.put("GEOCROP_WEBHOOK_TOKEN", WEBHOOK_TOKEN);
            // The functions know only a STAC catalogue, as in a cluster: here the simulated Digital Earth Africa, served
            // from this JVM on a random loopback port. Loopback is allowed explicitly, as an operator would allow a host.
            env.put("GEOCROP_IMAGERY_SOURCE", "stac");
            env.put("GEOCROP_IMAGERY_STAC_ENDPOINT", dea.stacUri().toString());
            env.put("GEOCROP_IMAGERY_ALLOWED_ASSET_HOSTS", dea.stacUri().getHost());
            env.put("GEOCROP_RATE_LIMIT", "1000");
            env.put("GEOCROP_INGRESS_PUBLIC_DEMO", "true"); // no API key: cluster mode refuses to start otherwise
            env.putAll(extraEnv);
            Map<String, URI> table = new LinkedHashMap<>();
            for (String name : names) {
                Map<String, String> own = new LinkedHashMap<>(env);
                own.put("GEOCROP_HOME", Files.createDirectories(logs.resolve(name + "-home")).toString());
                FunctionProcess f = new FunctionProcess(name, jar(name), own, logs);
                functions.put(name, f);
                table.put(name, f.url());
                // The cluster-local internal surface of the same image (knative/base/4x1): same process here.
                table.put(name + "-internal", f.url());
            }
            DevBroker.Builder brokerBuilder = DevBroker.fromManifests(KnativeTriggers.fromDirectory(root().resolve("knative/base")));
            if (perService > 0) {
                brokerBuilder.maxConcurrentPerService(perService);
            }
            broker = brokerBuilder
                    .subscribers(table)
                    .tap(event -> firstAccepted.putIfAbsent(io.geocrop.events.RedisStreamEnvelope.unwrapIfNeeded(event).getId(),
                            java.time.Instant.now()))
                    .build().start("127.0.0.1", 0);
            for (FunctionProcess f : functions.values()) {
                f.env("K_SINK", broker.ingress().toString());
            }
            // Started together, as Knative would cold-start them; each is timed from its own process start.
            ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Duration>> started = new ArrayList<>();
            for (FunctionProcess f : functions.values()) {
                f.start();
            }
            for (FunctionProcess f : functions.values()) {
                started.add(starter.submit((Callable<Duration>) () -> f.awaitHealthy(Duration.ofSeconds(120))));
            }
            int i = 0;
            for (FunctionProcess f : functions.values()) {
                healthyAfter.put(f.name, started.get(i++).get());
            }
            starter.shutdown();
            s3.notifyTo(function("submit-job").url().resolve("/webhooks/minio"), WEBHOOK_TOKEN);
            source = newSource().start();
        } catch (Exception | Error e) {
            // A cluster that failed to start (a function not healthy in time) must not leave its processes behind.
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private DevRedisStreamSource newSource() {
        DevRedisStreamSource.Builder builder = DevRedisStreamSource.builder(redis.uri(), stream, broker)
                .block(Duration.ofMillis(500)).claimIdle(Duration.ofSeconds(10)).maxBackoff(Duration.ofMillis(500));
        return (sourceLikeKnative ? builder.likeKnativeAdapter() : builder).build();
    }

    static Cluster start(List<String> functionNames, Map<String, String> extraEnv) throws Exception {
        return new Cluster(functionNames, extraEnv);
    }

    /** As {@link #start}, each function taking at most {@code perService} deliveries at once (one instance of it). */
    static Cluster startWithConcurrency(List<String> functionNames, Map<String, String> extraEnv, int perService)
            throws Exception {
        return new Cluster(functionNames, extraEnv, false, perService);
    }

    /**
     * A cluster whose stream source behaves as Knative's RedisStreamSource adapter: group created at {@code $} and
     * destroyed on shutdown, so {@link #restartSource} loses what is added while it is down.
     */
    static Cluster startWithKnativeLikeSource(List<String> functionNames, Map<String, String> extraEnv) throws Exception {
        return new Cluster(functionNames, extraEnv, true);
    }

    /** Stops the stream source (SIGTERM), keeps it down for {@code down}, then starts a new one. */
    void restartSource(Duration down) throws InterruptedException {
        stopSource();
        Thread.sleep(down.toMillis());
        startSource();
    }

    /** Stops the stream source as SIGTERM does; returns once it is down (the Knative-like one has destroyed its group). */
    void stopSource() {
        source.close();
    }

    /** Starts a new stream source (the Knative-like one creates its group at {@code $}). */
    void startSource() {
        source = newSource().start();
    }

    FunctionProcess function(String name) {
        FunctionProcess f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no function " + name + " in this cluster");
        }
        return f;
    }

    // ---- the repository -------------------------------------------------------------------------------------

    static Path root() {
        String property = System.getProperty("geocrop.root");
        return (property != null ? Path.of(property) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** The function's runnable jar ({@code functions/<name>/target/geocrop-<name>-*-all.jar}). */
    static Path jar(String name) throws IOException {
        Optional<Path> jar = findJar(name);
        return jar.orElseThrow(() -> new IllegalStateException("no runnable jar for " + name + " in "
                + root().resolve("functions/" + name + "/target") + ": build it first with ./mvnw -pl functions/" + name
                + " -am install -DskipTests"));
    }

    static Optional<Path> findJar(String name) throws IOException {
        Path target = root().resolve("functions/" + name + "/target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("geocrop-" + name + "-.*-all\\.jar")).findFirst();
        }
    }

    /** The simulated imagery cache shared by every run (generation is the slow part the first time). */
    static Path simulationCache() throws IOException {
        return Files.createDirectories(root().resolve("e2e/target/sim-cache"));
    }

    // ---- PostgreSQL ------------------------------------------------------------------------------------------

    private static String createSchema() throws SQLException {
        String schema = "geocrop_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    /** {@code tile_id -> [extracted, scored]} straight from the job store's table. */
    Map<String, boolean[]> tileRows(String jobId) throws SQLException {
        Map<String, boolean[]> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT tile_id, extracted_at IS NOT NULL, scored_at IS NOT NULL FROM "
                     + schema + ".job_tiles WHERE job_id = '" + UUID.fromString(jobId) + "' ORDER BY tile_id")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new boolean[] {rs.getBoolean(2), rs.getBoolean(3)});
            }
        }
        return rows;
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    record Reply(int status, JsonNode body) {}

    Reply post(String function, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(function(function).url().resolve(path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()));
    }

    JsonNode job(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(function("submit-job").url().resolve("/jobs/" + id))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /jobs/" + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls the job until {@code done} holds (or it fails); returns its last view. */
    JsonNode awaitJob(String id, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            try {
                view = job(id);
                if (done.test(view) || "failed".equals(view.path("state").asText())) {
                    return view;
                }
            } catch (IOException submitJobRestarting) {
                // keep polling
            }
            Thread.sleep(250);
        }
        StringBuilder logs = new StringBuilder();
        for (FunctionProcess f : functions.values()) {
            logs.append("\n--- ").append(f.name).append(" ---\n").append(f.tail());
        }
        throw new AssertionError("job " + id + " not done within " + timeout + "; last view " + view + "; broker "
                + broker.stats() + logs);
    }

    @Override
    public void close() throws Exception {
        if (source != null) {
            source.close();
        }
        for (FunctionProcess f : functions.values()) {
            f.close();
        }
        if (broker != null) {
            broker.close();
        }
        for (AutoCloseable service : new AutoCloseable[] {s3, redis, dea}) {
            if (service != null) {
                service.close();
            }
        }
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
