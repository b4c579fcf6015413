package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.InProcessS3;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.S3ObjectStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same application against the cluster services — PostgreSQL + PostGIS, Redis, an S3 server — with
 * nothing but configuration changed (the keys the environment variables map to).
 */
class ClusterModeTest {
    private static final String PG_URL = ClusterServices.PG_URL;
    private static final String PG_USER = ClusterServices.PG_USER;
    private static final String REDIS = ClusterServices.REDIS;

    private static InProcessS3 s3;
    private static String schema;
    private static final String stream = "geocrop:test:jobs:" + UUID.randomUUID();

    @BeforeAll
    static void startServices() throws Exception {
        s3 = InProcessS3.start("it-access", "it-secret");
        schema = ClusterServices.createSchema("geocrop_it_");
    }

    @AfterAll
    static void stopServices() throws Exception {
        s3.close();
        ClusterServices.dropSchema(schema);
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            redis.sync().del(stream);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void submitsThroughPostgresRedisAndS3() throws Exception {
        String jdbc = ClusterServices.jdbcUrl(schema);
        Map<String, Object> props = Map.of(
                "micronaut.server.port", -1,
                "geocrop.home", java.nio.file.Files.createTempDirectory("geocrop-cluster").toString(),
                "datasources.default.url", jdbc,
                "datasources.default.username", PG_USER,
                "geocrop.storage.backend", "s3",
                "geocrop.storage.s3-endpoint", s3.endpoint(),
                "geocrop.storage.s3-access-key", "it-access",
                "geocrop.storage.s3-secret-key", "it-secret",
                "geocrop.events.transport", "cluster",
                "geocrop.events.redis-uri", REDIS);
        Map<String, Object> all = new java.util.HashMap<>(props);
        all.put("geocrop.events.stream", stream);
        all.put("geocrop.ingress.public-demo", true); // cluster mode refuses to start without a key otherwise
        String id;
        try (ApplicationContext app = EmbeddedApplication.start(all)) {
            assertTrue(app.getBean(ObjectStore.class) instanceof S3ObjectStore);
            Http.Reply created = Http.post(EmbeddedApplication.baseUrl(app), "/jobs",
                    "{\"lon\": 29.83, \"lat\": -19.45, \"radius_m\": 3000, \"year\": 2022}");
            assertEquals(202, created.status(), created.body().toString());
            id = created.body().get("id").asText();

            // Rate limiting state is shared through Redis in this mode.
            assertTrue(Http.get(EmbeddedApplication.baseUrl(app), "/jobs/" + id).status() == 200);

            // Objects go to the S3 server, where every bucket was created.
            ObjectStore storage = app.getBean(ObjectStore.class);
            storage.put(Bucket.MODELS, "models/demo/1/card.json", "{}".getBytes(), "application/json");
            assertTrue(storage.head(Bucket.MODELS, "models/demo/1/card.json").isPresent());
        }

        // The row is in Postgres, with the AOI as a PostGIS geography of about pi r^2.
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            ResultSet rs = c.createStatement().executeQuery(
                    "SELECT state, ST_Area(aoi) FROM " + schema + ".jobs WHERE id = '" + id + "'");
            assertTrue(rs.next(), "job row in Postgres");
            assertEquals("QUEUED", rs.getString(1).toUpperCase());
            double area = rs.getDouble(2);
            assertEquals(Math.PI * 3000 * 3000, area, Math.PI * 3000 * 3000 * 0.01);
        }

        // Exactly one entry on the stream, which is what the RedisStreamSource will turn into the Broker event.
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            List<StreamMessage<String, String>> entries = redis.sync().xrange(stream, io.lettuce.core.Range.create("-", "+"));
            assertEquals(1, entries.size());
            List<String> fields = new ArrayList<>();
            entries.getFirst().getBody().forEach((k, v) -> {
                fields.add(k);
                fields.add(v);
            });
            CloudEvent wrapped = RedisStreamEnvelope.asRedisStreamSourceEvent(entries.getFirst().getId(), REDIS, stream, fields);
            CloudEvent inner = RedisStreamEnvelope.unwrap(wrapped);
            assertEquals(EventType.JOB_SUBMITTED.type(), inner.getType());
            assertEquals(UUID.fromString(id), GeoCropEvents.data(inner, JobSubmittedV1.class).jobId());
        } finally {
            client.shutdown();
        }
    }
}
