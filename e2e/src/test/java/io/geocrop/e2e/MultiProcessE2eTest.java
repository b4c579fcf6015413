package io.geocrop.e2e;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.KSinkPublisher;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.storage.ObjectKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The functions as separate processes, events through the development broker, real PostgreSQL + PostGIS, a
 * private Redis and an S3 server with MinIO-style notifications: a job end to end, then the same job under faults
 * (a function killed with {@code kill -9} mid-job and restarted, duplicate deliveries, Redis restarted mid-job).
 * The result must be the same as the uninterrupted run's, with every tile counted exactly once.
 *
 * <p>While score-tile has no runnable jar, the pipeline is checked up to the feature tiles (every tile extracted,
 * feature files identical between runs); with it, up to the result COG.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessE2eTest {
    /** An AOI east of Harare that straddles two job tiles (UTM 36S columns 57 and 58). */
    static final String JOB = "{\"lon\": 31.0838, \"lat\": -17.83, \"radius_m\": 300, \"year\": 2023}";
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

    /** What the uninterrupted run produced: per output object, its GDAL band checksums. */
    private static Map<String, List<Integer>> baseline;

    static boolean scoring() throws Exception {
        return Cluster.findJar("score-tile").isPresent();
    }

    static List<String> functionNames() throws Exception {
        List<String> names = new ArrayList<>(List.of("submit-job", "extract-features", "tile-render"));
        if (scoring()) {
            names.add(2, "score-tile");
        }
        return names;
    }

    /** Done: completed with scoring; every planned tile extracted without. */
    static boolean done(JsonNode view) throws Exception {
        if (scoring()) {
            return "completed".equals(view.path("state").asText());
        }
        JsonNode tiles = view.path("tiles");
        return tiles.path("total").asInt() > 0 && tiles.path("extracted").asInt() == tiles.path("total").asInt();
    }

    @Test
    @Order(1)
    void anAoiSubmittedOverHttpComesOutAsAValidResult() throws Exception {
        try (Cluster cluster = Cluster.start(functionNames(), Map.of())) {
            Instant submitted = Instant.now();
            Cluster.Reply created = cluster.post("submit-job", "/jobs", JOB);
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            JsonNode view = cluster.awaitJob(id, v -> uncheckedDone(v), JOB_TIMEOUT);
            assertTrue(done(view), "job " + view);
            System.out.printf("E2E baseline: job %s %s in %d s%n", id, view.path("state").asText(),
                    Duration.between(submitted, Instant.now()).toSeconds());
            reportStartup(cluster, submitted);

            assertExactCounts(cluster, id, view);
            baseline = outputs(cluster, id, view);
            assertTrue(!baseline.isEmpty());

            // The same events again, after the fact: nothing changes (same job version, same counts).
            long version = cluster.job(id).path("version").asLong();
            replayTileRequests(cluster, id);
            replayTileRequests(cluster, id);
            assertTrue(cluster.broker.awaitIdle(Duration.ofMinutes(2)));
            JsonNode after = cluster.job(id);
            assertEquals(version, after.path("version").asLong(), "duplicate deliveries changed the job: " + after);
            assertExactCounts(cluster, id, after);
            assertEquals(baseline, outputs(cluster, id, after));
        }
    }

    @Test
    @Order(2)
    void aFunctionKilledMidJobAndRestartedLosesNothingAndCountsNothingTwice() throws Exception {
        try (Cluster cluster = Cluster.start(functionNames(), Map.of())) {
            Cluster.Reply created = cluster.post("submit-job", "/jobs", JOB);
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            // Tiles planned and being extracted: duplicate every tile request at once, then kill -9 extract-features.
            cluster.awaitJob(id, v -> v.path("tiles").path("total").asInt() > 0, JOB_TIMEOUT);
            replayTileRequests(cluster, id);
            Thread.sleep(1500);
            FunctionProcess extract = cluster.function("extract-features");
            extract.kill();
            System.out.println("E2E fault: kill -9 extract-features (pid " + extract.pid() + ") mid-extraction: "
                    + cluster.job(id).path("tiles"));
            Thread.sleep(2000);
            extract.start().awaitHealthy(Duration.ofSeconds(60));
            if (scoring()) {
                cluster.awaitJob(id, v -> v.path("tiles").path("scored").asInt() >= 1
                        || v.path("tiles").path("extracted").asInt() == v.path("tiles").path("total").asInt(), JOB_TIMEOUT);
                FunctionProcess score = cluster.function("score-tile");
                score.kill();
                System.out.println("E2E fault: kill -9 score-tile (pid " + score.pid() + ") mid-scoring: "
                        + cluster.job(id).path("tiles"));
                Thread.sleep(2000);
                score.start().awaitHealthy(Duration.ofSeconds(60));
            }
            JsonNode view = cluster.awaitJob(id, v -> uncheckedDone(v), JOB_TIMEOUT);
            assertTrue(done(view), "job " + view);
            assertTrue(cluster.broker.awaitIdle(Duration.ofMinutes(2)));
            view = cluster.job(id);
            assertExactCounts(cluster, id, view);
            System.out.println("E2E fault: kill -9 run finished " + view.path("state").asText() + " " + view.path("tiles")
                    + "; broker " + cluster.broker.stats());
            if (baseline != null) {
                assertEquals(baseline, outputs(cluster, id, view), "the same outputs as the uninterrupted run");
            }
        }
    }

    @Test
    @Order(3)
    void redisRestartedMidJobLosesNothing() throws Exception {
        try (Cluster cluster = Cluster.start(functionNames(), Map.of())) {
            Cluster.Reply created = cluster.post("submit-job", "/jobs", JOB);
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            cluster.awaitJob(id, v -> v.path("tiles").path("total").asInt() > 0, JOB_TIMEOUT);
            cluster.redis.restart(Duration.ofSeconds(2));
            System.out.println("E2E fault: Redis killed (SIGKILL, no persistence) and restarted mid-job: "
                    + cluster.job(id).path("tiles"));
            // A job submitted after the restart goes through the new (empty) Redis: the source re-creates its group.
            Cluster.Reply second = cluster.post("submit-job", "/jobs",
                    "{\"lon\": 31.0838, \"lat\": -17.83, \"radius_m\": 150, \"year\": 2023}");
            assertEquals(202, second.status(), String.valueOf(second.body()));
            String secondId = second.body().get("id").asText();

            JsonNode view = cluster.awaitJob(id, v -> uncheckedDone(v), JOB_TIMEOUT);
            assertTrue(done(view), "job " + view);
            JsonNode secondView = cluster.awaitJob(secondId, v -> uncheckedDone(v), JOB_TIMEOUT);
            assertTrue(done(secondView), "job submitted after the restart: " + secondView);
            assertTrue(cluster.broker.awaitIdle(Duration.ofMinutes(2)));
            assertExactCounts(cluster, id, cluster.job(id));
            assertExactCounts(cluster, secondId, cluster.job(secondId));
            System.out.println("E2E fault: Redis restart run finished; stream groups created " + cluster.source.groupsCreated()
                    + ", broker " + cluster.broker.stats());
            assertTrue(cluster.source.groupsCreated() >= 2, "the consumer group was re-created after the restart");
            if (baseline != null) {
                assertEquals(baseline, outputs(cluster, id, cluster.job(id)));
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static boolean uncheckedDone(JsonNode view) {
        try {
            return done(view);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counters, the job store's tile rows and the stored objects agree: every tile once, none missing. */
    private static void assertExactCounts(Cluster cluster, String id, JsonNode view) throws Exception {
        JsonNode tiles = view.path("tiles");
        int total = tiles.path("total").asInt();
        Map<String, boolean[]> rows = cluster.tileRows(id);
        assertEquals(total, rows.size(), "one row per planned tile");
        assertEquals(total, tiles.path("extracted").asInt(), "extracted counted once per tile: " + view);
        rows.forEach((tile, flags) -> assertTrue(flags[0], "tile " + tile + " extracted"));
        List<String> features = keys(cluster, "geocrop-features", "jobs/" + id + "/");
        assertEquals(total, features.size(), "one feature file per tile: " + features);
        if (scoring()) {
            assertEquals(total, tiles.path("scored").asInt(), "scored counted once per tile: " + view);
            rows.forEach((tile, flags) -> assertTrue(flags[1], "tile " + tile + " scored"));
        }
    }

    private static List<String> keys(Cluster cluster, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        var listing = cluster.s3.blobs().list(software.amazon.awssdk.services.s3.model.ListObjectsV2Request.builder()
                .bucket(bucket).prefix(prefix).build());
        for (var object : listing.contents()) {
            keys.add(object.key());
        }
        keys.sort(String::compareTo);
        return keys;
    }

    /**
     * The job's outputs by name (tile id or {@code crop-map}), each as GDAL's per-band checksums: the result COG
     * (validated as a COG) with scoring, the feature tiles without. Names, not keys: job ids differ between runs.
     */
    private static Map<String, List<Integer>> outputs(Cluster cluster, String id, JsonNode view) throws Exception {
        Map<String, List<Integer>> out = new TreeMap<>();
        Path dir = Files.createTempDirectory("geocrop-e2e-out");
        if (scoring()) {
            String key = ObjectKeys.resultCog(UUID.fromString(id));
            Path cog = download(cluster, "geocrop-results", key, dir.resolve("crop-map.tif"));
            GdalCli.assertValidCog(cog);
            out.put("crop-map", GdalCli.checksums(cog));
        } else {
            for (String key : keys(cluster, "geocrop-features", "jobs/" + id + "/")) {
                String name = key.substring(key.lastIndexOf('/') + 1);
                out.put(name, GdalCli.checksums(download(cluster, "geocrop-features", key, dir.resolve(name))));
            }
        }
        return out;
    }

    private static Path download(Cluster cluster, String bucket, String key, Path file) throws Exception {
        try (InputStream in = cluster.s3.blobs().getBlob(software.amazon.awssdk.services.s3.model.GetObjectRequest.builder()
                .bucket(bucket).key(key).build())) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** Every tile request of the job, as the planner made it (same ids), POSTed to the broker again. */
    private static void replayTileRequests(Cluster cluster, String id) throws Exception {
        UUID jobId = UUID.fromString(id);
        List<String> manifest = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(Cluster.PG_URL, Cluster.PG_USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT item_id FROM " + cluster.schema
                     + ".job_imagery WHERE job_id = '" + jobId + "' ORDER BY position")) {
            while (rs.next()) {
                manifest.add(rs.getString(1));
            }
        }
        KSinkPublisher sink = new KSinkPublisher(cluster.broker.ingress());
        int year = cluster.job(id).path("year").asInt();
        for (String tile : cluster.tileRows(id).keySet()) {
            CloudEvent event = GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-requested-" + jobId + "-" + tile,
                    jobId.toString(), new TileRequestedV1(jobId, tile, year, manifest, Instant.now()));
            sink.publish(event);
        }
    }

    private static void reportStartup(Cluster cluster, Instant submitted) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (FunctionProcess f : cluster.functions.values()) {
            String first = cluster.broker.firstDelivered(f.name)
                    .map(t -> Duration.between(f.startedAt(), t).toMillis() + " ms to first event handled")
                    .orElse("no event delivered");
            lines.put(f.name, "healthy after " + cluster.healthyAfter.get(f.name).toMillis() + " ms; " + first);
        }
        lines.forEach((name, line) -> System.out.println("E2E start-up: " + name + ": " + line));
    }
}
