package io.geocrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.events.dev.PrivateRedis;
import io.geocrop.platform.security.Attack;
import io.geocrop.platform.security.Attacks;
import io.geocrop.platform.security.RawHttp;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.S3ObjectStore;
import io.geocrop.storage.S3StoreSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The attack suite against the function jars as processes, configured for the cluster by environment alone: each
 * function as its public and/or its cluster-local (internal) Knative Service would run it, on PostgreSQL, a private
 * Redis and an S3 server. Each attack expects one status and proves nothing changed: no job row created or changed,
 * nothing queued on the job stream, no object written (the model alias is an object of geocrop-models).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("jarsBuilt")
class ClusterAttackSuiteTest {
    static final String API_KEY = "e2e-attack-key-" + UUID.randomUUID();
    static final String TOKEN = "e2e-attack-token-" + UUID.randomUUID();
    /** What the (simulated) ingress appends to X-Forwarded-For for the attacker's real address. */
    static final String ATTACKER = "203.0.113.7";
    private static final java.util.concurrent.atomic.AtomicInteger ATTACKS = new java.util.concurrent.atomic.AtomicInteger();

    private String schema;
    private NotifyingS3 s3;
    private PrivateRedis redis;
    private final Map<String, FunctionProcess> processes = new LinkedHashMap<>();
    private Path logs;
    private UUID job;

    static boolean jarsBuilt() throws Exception {
        for (String name : List.of("submit-job", "tile-render", "extract-features", "score-tile")) {
            if (Cluster.findJar(name).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private Map<String, String> env(String surface) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GEOCROP_DB_URL", Cluster.PG_URL + (Cluster.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public");
        env.put("GEOCROP_DB_USER", Cluster.PG_USER);
        env.put("GEOCROP_STORAGE_BACKEND", "s3");
        env.put("GEOCROP_S3_ENDPOINT", s3.endpoint());
        env.put("GEOCROP_S3_ACCESS_KEY", "attack-access");
        env.put("GEOCROP_S3_SECRET_KEY", "attack-secret");
        env.put("GEOCROP_EVENTS_TRANSPORT", "cluster");
        env.put("GEOCROP_REDIS_URI", redis.uri());
        env.put("GEOCROP_IMAGERY_SOURCE", "stac");
        env.put("GEOCROP_HTTP_SURFACE", surface);
        env.put("GEOCROP_INGRESS_API_KEY", API_KEY);
        env.put("GEOCROP_INTERNAL_TOKEN", TOKEN);
        env.put("GEOCROP_INGRESS_TRUSTED_PROXY_HOPS", "1");
        env.put("GEOCROP_RATE_LIMIT", "3");
        env.put("GEOCROP_RATE_WINDOW", "1h");
        env.put("JAVA_TOOL_OPTIONS", "-Xmx384m");
        env.put("GEOCROP_DB_POOL_SIZE", "2"); // five processes on a PostgreSQL other test runs share
        return env;
    }

    private FunctionProcess process(String name, String surface) throws Exception {
        Map<String, String> env = env(surface);
        env.put("GEOCROP_HOME", Files.createDirectories(logs.resolve(name + "-" + surface + "-home")).toString());
        FunctionProcess f = new FunctionProcess(name + "-" + surface, Cluster.jar(name), env, logs);
        processes.put(name + "-" + surface, f);
        return f;
    }

    @BeforeAll
    void startProcesses() throws Exception {
        logs = Files.createDirectories(Cluster.root().resolve("e2e/target/e2e-logs/attack-" + System.currentTimeMillis()));
        schema = "geocrop_attack_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(Cluster.PG_URL, Cluster.PG_USER, "")) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        s3 = NotifyingS3.start("attack-access", "attack-secret");
        try (S3ObjectStore store = store()) {
            store.ensureBuckets();
        }
        redis = PrivateRedis.start();
        process("submit-job", "public");
        process("submit-job", "internal");
        process("tile-render", "public");
        process("extract-features", "internal");
        process("score-tile", "internal");
        for (FunctionProcess f : processes.values()) {
            f.start();
        }
        for (FunctionProcess f : processes.values()) {
            f.awaitHealthy(java.time.Duration.ofSeconds(180));
        }
        // A job an attacker can list: submitted properly (nothing consumes the stream here, so it stays queued).
        RawHttp.Reply created = send("submit-job-public", "POST", "/jobs",
                Map.of("X-API-Key", API_KEY, "X-Forwarded-For", "198.51.100.1"),
                "{\"lon\": 29.8, \"lat\": -18.5, \"radius_m\": 500, \"year\": 2023}");
        assertEquals(202, created.status(), created.raw());
        job = UUID.fromString(Cluster.JSON.readTree(created.body()).get("id").asText());
    }

    @AfterAll
    void stop() throws Exception {
        for (FunctionProcess f : processes.values()) {
            f.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(Cluster.PG_URL, Cluster.PG_USER, "")) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private S3ObjectStore store() {
        return S3ObjectStore.create(S3StoreSettings.minio(URI.create(s3.endpoint()), "attack-access", "attack-secret"));
    }

    private RawHttp.Reply send(String process, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        return RawHttp.send(new InetSocketAddress("127.0.0.1", processes.get(process).port), method, path, headers, body, 20_000);
    }

    /** Every job row, every object and the job stream's length. */
    private String state() throws Exception {
        StringBuilder s = new StringBuilder();
        try (Connection c = DriverManager.getConnection(Cluster.PG_URL, Cluster.PG_USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + schema + ".jobs ORDER BY 1")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    s.append(rs.getString(i)).append('|');
                }
                s.append('\n');
            }
        }
        try (S3ObjectStore store = store()) {
            for (Bucket bucket : Bucket.values()) {
                store.list(bucket, "").forEach(o -> s.append(bucket).append('/').append(o.key()).append(' ').append(o.eTag()).append('\n'));
            }
        }
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> r = client.connect()) {
            s.append("stream=").append(r.sync().xlen("geocrop:jobs"));
        } finally {
            client.shutdown();
        }
        return s.toString();
    }

    private Stream<DynamicTest> run(String process, List<Attack> attacks) {
        return attacks.stream().map(attack -> DynamicTest.dynamicTest(process + ": " + attack.expected() + " " + attack.tries(), () -> {
            String before = state();
            Map<String, String> headers = new HashMap<>(attack.headers());
            // Each attack from its own address, so the rate-limit budget (3) is not what answers the later ones.
            headers.putIfAbsent("X-Forwarded-For", "192.0.2." + ATTACKS.incrementAndGet());
            RawHttp.Reply reply = send(process, attack.method(), attack.path(), headers, attack.body());
            assertEquals(attack.expected(), reply.status(), attack.tries() + ": " + reply.raw());
            if (!"HEAD".equals(attack.method())) {
                assertTrue(String.valueOf(reply.header("Content-Type")).startsWith("application/problem+json"), reply.raw());
            }
            assertEquals(before, state(), attack.tries() + " changed something");
        }));
    }

    @TestFactory
    Stream<DynamicTest> publicSubmitJob() {
        List<Attack> attacks = new ArrayList<>(Attacks.publicWrites(API_KEY, TOKEN));
        attacks.addAll(Attacks.internalOnPublicSurface(job, TOKEN, List.of("/")));
        return run("submit-job-public", attacks);
    }

    @TestFactory
    Stream<DynamicTest> publicTileRender() {
        return run("tile-render-public", Attacks.internalOnPublicSurface(job, TOKEN, List.of("/")));
    }

    @TestFactory
    Stream<DynamicTest> internalSubmitJob() {
        List<Attack> attacks = new ArrayList<>(Attacks.publicOnInternalSurface(API_KEY));
        attacks.addAll(Attacks.internalWithoutToken(job, API_KEY));
        return run("submit-job-internal", attacks);
    }

    @TestFactory
    Stream<DynamicTest> internalEventIngress() {
        return Stream.concat(run("extract-features-internal", Attacks.ingressWithoutToken(job, API_KEY, List.of("/"))),
                run("score-tile-internal", Attacks.ingressWithoutToken(job, API_KEY, List.of("/"))));
    }

    @Test
    void forgedForwardedForEntriesDoNotEscapeTheRateLimit() throws Exception {
        String before = state();
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            // The attacker writes any left part; the ingress (the one trusted hop) appends the real address.
            RawHttp.Reply reply = send("submit-job-public", "POST", "/jobs",
                    Map.of("X-API-Key", API_KEY, "X-Forwarded-For", "10.1." + i + ".1, 10.2." + i + ".2, " + ATTACKER),
                    "{\"lon\": 2.35, \"lat\": 48.85, \"radius_m\": 500, \"year\": 2023}");
            if (reply.status() == 429) {
                refused++;
                assertNotNull(reply.header("Retry-After"));
            } else {
                assertEquals(422, reply.status(), reply.raw());
            }
        }
        assertTrue(refused >= 3, "at most 3 per hour from one client however X-Forwarded-For starts, refused " + refused);
        assertEquals(before, state());
    }

    @Test
    void healthIsStatusOnlyInPublicAndDetailedInternally() throws Exception {
        JsonNode pub = Cluster.JSON.readTree(send("submit-job-public", "GET", "/health", Map.of(), null).body());
        assertEquals("{\"status\":\"UP\"}", pub.toString());
        JsonNode internal = Cluster.JSON.readTree(send("submit-job-internal", "GET", "/health", Map.of(), null).body());
        assertTrue(internal.has("details"), internal.toString());
    }

    @Test
    void theInternalTokenOpensTheInternalSurface() throws Exception {
        RawHttp.Reply reply = send("submit-job-internal", "POST", "/internal/reconcile",
                Map.of("Authorization", "Bearer " + TOKEN), "{}");
        assertEquals(200, reply.status(), reply.raw());
    }

    @Test
    void aClusterWithoutAnApiKeyRefusesToStartInOneLine() throws Exception {
        Map<String, String> env = env("public");
        env.remove("GEOCROP_INGRESS_API_KEY");
        env.put("GEOCROP_HOME", Files.createDirectories(logs.resolve("no-key-home")).toString());
        Path out = logs.resolve("no-key.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Cluster.jar("submit-job").toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", "0");
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "exits");
        assertEquals(2, p.exitValue());
        String log = Files.readString(out);
        List<String> reason = log.lines().filter(l -> l.contains("refusing to start")).toList();
        assertEquals(1, reason.size(), log);
        assertTrue(reason.get(0).contains("GEOCROP_INGRESS_API_KEY"), reason.get(0));
        assertFalse(log.contains("\tat io.") || log.contains("\tat java."), "no stack trace:\n" + log);
    }
}
