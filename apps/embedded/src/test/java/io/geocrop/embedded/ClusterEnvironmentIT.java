package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.events.EventType;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.storage.InProcessS3;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started as its own process with nothing but environment variables pointing it at
 * PostgreSQL + PostGIS, Redis and an S3 server: the cluster configuration a Knative Service would get.
 */
class ClusterEnvironmentIT {
    private static final String PG_URL = ClusterServices.PG_URL;
    private static final String PG_USER = ClusterServices.PG_USER;
    private static final String REDIS = ClusterServices.REDIS;

    @Test
    void theJarRunsAgainstClusterServicesFromEnvironmentAlone() throws Exception {
        String stream = "geocrop:test:env:" + UUID.randomUUID();
        InProcessS3 s3 = InProcessS3.start("env-access", "env-secret");
        String schema = ClusterServices.createSchema("geocrop_env_");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("geocrop-env", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("geocrop.jar"), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("GEOCROP_HOME", Files.createTempDirectory("geocrop-env-home").toString());
        env.put("GEOCROP_DB_URL", ClusterServices.jdbcUrl(schema));
        env.put("GEOCROP_DB_USER", PG_USER);
        env.put("GEOCROP_STORAGE_BACKEND", "s3");
        env.put("GEOCROP_S3_ENDPOINT", s3.endpoint());
        env.put("GEOCROP_S3_ACCESS_KEY", "env-access");
        env.put("GEOCROP_S3_SECRET_KEY", "env-secret");
        env.put("GEOCROP_EVENTS_TRANSPORT", "cluster");
        env.put("GEOCROP_REDIS_URI", REDIS);
        env.put("GEOCROP_JOB_STREAM", stream);
        env.put("GEOCROP_INGRESS_PUBLIC_DEMO", "true");
        Process process = builder.start();
        RedisClient redisClient = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> redis = redisClient.connect()) {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base, process, log);

            Http.Reply created = Http.post(base, "/jobs", "{\"lon\": 28.6, \"lat\": -20.1, \"radius_m\": 800, \"year\": 2020}");
            assertEquals(202, created.status(), created.body().toString());
            String id = created.body().get("id").asText();
            assertEquals(id, Http.get(base, "/jobs/" + id).body().get("id").asText());

            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + schema + ".jobs WHERE id = '" + id + "'");
                rs.next();
                assertEquals(1, rs.getInt(1), "the job row is in Postgres");
            }
            List<StreamMessage<String, String>> entries = redis.sync().xrange(stream, Range.create("-", "+"));
            assertEquals(1, entries.size(), "one entry on the job stream");
            List<String> fields = new ArrayList<>();
            entries.getFirst().getBody().forEach((k, v) -> {
                fields.add(k);
                fields.add(v);
            });
            var inner = RedisStreamEnvelope.unwrap(RedisStreamEnvelope.asRedisStreamSourceEvent(
                    entries.getFirst().getId(), REDIS, stream, fields));
            assertEquals(EventType.JOB_SUBMITTED.type(), inner.getType());
            // Object storage is created lazily, on first use by a function that writes objects, to keep cold
            // starts short; the S3 path itself is covered by ClusterModeTest and the storage contract suite.
            assertTrue(!s3.blobs().containerExists("geocrop-results"), "no storage work at start-up");
        } finally {
            process.destroy();
            process.waitFor();
            s3.close();
            try (StatefulRedisConnection<String, String> redis = redisClient.connect()) {
                redis.sync().del(stream);
            }
            redisClient.shutdown();
            ClusterServices.dropSchema(schema);
        }
    }

    private static void awaitHealthy(String base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited: " + Files.readString(log));
            }
            try {
                if (Http.get(base, "/health").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no healthy answer within 60 s: " + Files.readString(log));
    }
}
