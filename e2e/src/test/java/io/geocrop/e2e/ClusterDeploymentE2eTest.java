package io.geocrop.e2e;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.events.dev.DevPingSource;
import io.geocrop.events.dev.DevRedisStreamSource;
import io.geocrop.storage.ObjectKeys;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Two things a real cluster does that the other e2e runs do not (issue 15): an operator uploads a full-size feature
 * tile in parts, as {@code mc} and the AWS CLI do above 8-16 MiB, and it is scored on upload; and Knative's
 * RedisStreamSource restarts (it destroys its consumer group on SIGTERM and re-creates it at {@code $}) while jobs are
 * being submitted, and no submission is lost or delayed by more than the reconciler's tick plus its queued timeout.
 */
class ClusterDeploymentE2eTest {
    private static final String SCORE_TILE = "score-tile";

    @Test
    void aFullSizeFeatureTileUploadedInPartsThroughTheAwsSdkIsScored() throws Exception {
        try (Cluster cluster = Cluster.start(List.of("submit-job", "extract-features", SCORE_TILE, "tile-render"), Map.of())) {
            // A real feature tile: the one extract-features wrote for a job, scored by that job too.
            Cluster.Reply created = cluster.post("submit-job", "/jobs", "{\"lon\": 31.0838, \"lat\": -17.83, \"radius_m\": 150, \"year\": 2023}");
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            // Generous: the first run on a machine generates the simulated imagery of the scene (minutes).
            JsonNode job = cluster.awaitJob(id, v -> "completed".equals(v.path("state").asText()), Duration.ofMinutes(20));
            assertEquals("completed", job.path("state").asText(), job.toString());
            String featureKey = keys(cluster, "geocrop-features", "jobs/" + id + "/").getFirst();
            String tile = featureKey.substring(featureKey.lastIndexOf('/') + 1, featureKey.length() - ".tif".length());
            Path dir = Files.createTempDirectory("geocrop-e2e-upload");
            Path compressed = download(cluster, "geocrop-features", featureKey, dir.resolve("features.tif"));
            // Full size, as an operator's own stack would be: 51 float32 bands of 512 x 512 px, uncompressed (53.5 MB).
            Path full = dir.resolve("full.tif");
            GdalCli.check("gdal_translate", "-q", "-co", "COMPRESS=NONE", "-co", "TILED=YES", compressed.toString(), full.toString());
            long size = Files.size(full);
            assertTrue(size > 51L * 512 * 512 * 4, "a full-size feature tile, got " + size + " bytes");

            String uploadKey = "uploads/e2e-multipart-" + UUID.randomUUID() + ".tif";
            int parts = uploadInParts(cluster, "geocrop-features", uploadKey, full, 8 << 20);
            System.out.printf("E2E upload: %s (%d bytes) in %d parts; notifications sent %s%n", uploadKey, size, parts,
                    cluster.s3.sentByEventName());
            assertTrue(parts >= 6, "a multipart upload, " + parts + " parts");

            String resultKey = ObjectKeys.UPLOADS_PREFIX + uploadKey.substring(ObjectKeys.UPLOADS_PREFIX.length(),
                    uploadKey.length() - ".tif".length()) + ".tif";
            String errorKey = resultKey.replaceFirst("\\.tif$", ".error.json");
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!exists(cluster, "geocrop-results", resultKey)) {
                if (exists(cluster, "geocrop-results", errorKey)) {
                    throw new AssertionError("the upload was refused: " + new String(cluster.s3.blobs()
                            .getBlob("geocrop-results", errorKey).readAllBytes()));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no result for " + uploadKey + " within 3 min; notifications "
                            + cluster.s3.sentByEventName() + "; broker " + cluster.broker.stats() + "\n"
                            + cluster.function(SCORE_TILE).tail());
                }
                Thread.sleep(250);
            }
            assertTrue(cluster.s3.sentByEventName().getOrDefault("s3:ObjectCreated:CompleteMultipartUpload", 0L) >= 1,
                    "MinIO's multipart event name was sent: " + cluster.s3.sentByEventName());
            Path result = download(cluster, "geocrop-results", resultKey, dir.resolve("upload-result.tif"));
            GdalCli.assertValidCog(result);
            // The same features give the same classes and confidences as the job's own result tile.
            Path jobTile = download(cluster, "geocrop-results", ObjectKeys.resultTile(UUID.fromString(id), tile), dir.resolve("job-tile.tif"));
            assertEquals(GdalCli.checksums(jobTile), GdalCli.checksums(result), "upload scored like the job's own tile");
        }
    }

    @Test
    void restartingTheStreamSourceWhileJobsAreSubmittedLosesNoneAndDelaysNoneBeyondOneTick() throws Exception {
        Duration tick = Duration.ofSeconds(20);
        Duration queuedTimeout = Duration.ZERO; // as knative/base/401: re-sent at the next tick, whatever its age
        try (Cluster cluster = Cluster.startWithKnativeLikeSource(List.of("submit-job", "extract-features", SCORE_TILE, "tile-render"),
                Map.of("GEOCROP_RECONCILER_QUEUED_TIMEOUT", queuedTimeout.toSeconds() + "s"));
             // The PingSource's role: POST /internal/reconcile every tick (a minute in the cluster).
             DevPingSource ping = new DevPingSource(cluster.function("submit-job").url().resolve("/internal/reconcile"), tick).start()) {
            // A warm extract-features first, so the times below measure delivery, not a cold JVM's first search.
            Cluster.Reply warmUp = cluster.post("submit-job", "/jobs", "{\"lon\": 31.0838, \"lat\": -17.8, \"radius_m\": 100, \"year\": 2023}");
            assertEquals(202, warmUp.status(), String.valueOf(warmUp.body()));
            cluster.awaitJob(warmUp.body().get("id").asText(), v -> !"queued".equals(v.path("state").asText()), Duration.ofMinutes(5));
            DevRedisStreamSource first = cluster.source;
            long entriesBefore = streamLength(cluster);
            long forwardedBefore = first.forwarded();
            Map<String, Instant> submitted = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                if (i == 2) {
                    // SIGTERM: XGROUP DESTROY. Stopped synchronously, so the submissions below are made while it is down
                    // whatever this machine's load (an asynchronous stop could land after them and prove nothing).
                    cluster.stopSource();
                }
                if (i == 5) {
                    // Back after about 3 s down, with a group at $: the three submissions made meanwhile are skipped.
                    cluster.startSource();
                }
                String body = String.format(java.util.Locale.ROOT, "{\"lon\": 31.0838, \"lat\": %.4f, \"radius_m\": 100, \"year\": 2023}",
                        -17.83 + 0.002 * i);
                Instant before = Instant.now(); // the XADD happens inside the request
                Cluster.Reply created = cluster.post("submit-job", "/jobs", body);
                assertEquals(202, created.status(), String.valueOf(created.body()));
                submitted.put(created.body().get("id").asText(), before);
                Thread.sleep(1000);
            }
            // How late each submission reached the Broker (the source's delivery, or the reconciler's re-send):
            // what a restart of the source can delay. Planning after that depends on this machine's load.
            Map<String, Duration> delays = new LinkedHashMap<>();
            for (var e : submitted.entrySet()) {
                String eventId = "job-submitted-" + e.getKey();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (!cluster.firstAccepted.containsKey(eventId) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Instant accepted = cluster.firstAccepted.get(eventId);
                assertTrue(accepted != null, "job " + e.getKey() + " never reached the Broker");
                delays.put(e.getKey(), Duration.between(e.getValue(), accepted));
            }
            for (String id : submitted.keySet()) {
                JsonNode view = cluster.awaitJob(id, v -> !"queued".equals(v.path("state").asText()), Duration.ofMinutes(8));
                assertFalse("failed".equals(view.path("state").asText()) || "queued".equals(view.path("state").asText()), view.toString());
            }
            // Every entry of the stream (submissions, and the reconciler's re-sends, which go the same way) was either
            // delivered by one of the two sources or skipped by the restart.
            long entries = streamLength(cluster) - entriesBefore;
            long delivered = first.forwarded() - forwardedBefore + cluster.source.forwarded();
            long skipped = entries - delivered;
            System.out.printf("E2E source restart: %d jobs, %d stream entries (%d re-sent by the reconciler), %d delivered"
                    + " by the sources, %d skipped by the restart; time to reach the Broker (s): %s%n", submitted.size(), entries,
                    entries - submitted.size(), delivered, skipped,
                    delays.values().stream().map(d -> d.toMillis() / 1000.0).toList());
            assertTrue(skipped >= 1, "the restart skipped entries, as Knative's adapter does (else nothing was proven)");
            Duration bound = tick.plus(queuedTimeout).plusSeconds(30);
            delays.forEach((id, d) -> assertTrue(d.compareTo(bound) <= 0, "job " + id + " waited " + d + " > " + bound));
            // Nothing lost: every job completes.
            List<String> notCompleted = new ArrayList<>();
            for (String id : submitted.keySet()) {
                JsonNode view = cluster.awaitJob(id, v -> "completed".equals(v.path("state").asText()), Duration.ofMinutes(8));
                if (!"completed".equals(view.path("state").asText())) {
                    notCompleted.add(id + " " + view.path("state").asText() + " " + view.path("failure_reason").asText());
                }
            }
            assertEquals(List.of(), notCompleted);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** CreateMultipartUpload, UploadPart per {@code partSize}, CompleteMultipartUpload: the AWS SDK's own calls. */
    private static int uploadInParts(Cluster cluster, String bucket, String key, Path file, int partSize) throws Exception {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(cluster.s3.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e-access", "e2e-secret")))
                .build();
             InputStream in = Files.newInputStream(file)) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("image/tiff")).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer;
            int number = 1;
            while ((buffer = in.readNBytes(partSize)).length > 0) {
                int n = number++;
                byte[] part = buffer;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                        .contentLength((long) part.length), RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            assertEquals(Files.size(file), s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength());
            return parts.size();
        }
    }

    private static long streamLength(Cluster cluster) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(cluster.redis.uri());
        try (var connection = client.connect()) {
            return connection.sync().xlen(cluster.stream);
        } finally {
            client.shutdown();
        }
    }

    private static boolean exists(Cluster cluster, String bucket, String key) {
        return cluster.s3.blobs().blobExists(bucket, key);
    }

    private static List<String> keys(Cluster cluster, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        cluster.s3.blobs().list(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()
                .forEach(o -> keys.add(o.key()));
        keys.sort(String::compareTo);
        assertFalse(keys.isEmpty(), "nothing under " + bucket + "/" + prefix);
        return keys;
    }

    private static Path download(Cluster cluster, String bucket, String key, Path file) throws Exception {
        try (InputStream in = cluster.s3.blobs().getBlob(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
