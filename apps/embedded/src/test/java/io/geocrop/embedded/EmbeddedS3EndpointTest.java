package io.geocrop.embedded;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.domain.JobState;
import io.geocrop.embedded.s3.EmbeddedS3Credentials;
import io.geocrop.embedded.s3.EmbeddedS3Endpoint;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Scoring on upload on the embedded default, end to end: a job's full-size feature tile (512 x 512 x 51 float32) is
 * put through the embedded S3 endpoint with the AWS SDK as a multipart upload, as a single PUT and as a server-side
 * copy, and each comes back as {@code geocrop-results/uploads/<name>.tif}: a valid COG whose pixels equal the job
 * path's result for the same tile. A broken upload comes back as {@code <name>.error.json} with the reason.
 */
class EmbeddedS3EndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JOB = "{\"lon\": " + TestImagery.LON + ", \"lat\": " + TestImagery.LAT
            + ", \"radius_m\": " + TestImagery.RADIUS_M + ", \"year\": " + TestImagery.YEAR + "}";

    @TempDir
    Path dir;

    @Test
    void uploadsThroughTheS3EndpointAreScoredLikeTheJobsTiles() throws Exception {
        Path home = dir.resolve("home");
        Map<String, Object> props = Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1,
                "geocrop.imagery.simulation-dir", TestImagery.CACHE.toString(),
                "geocrop.imagery.simulation-seed", TestImagery.SEED,
                "geocrop.models.name", TestModels.small().card().name());
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            EmbeddedS3Endpoint endpoint = app.getBean(EmbeddedS3Endpoint.class);
            EmbeddedS3Credentials keys = endpoint.credentials();
            assertTrue(keys.generated(), "no keys configured: a pair is generated for the home");
            assertEquals(keys, EmbeddedS3Credentials.resolve(null, null, home), "and kept for the next start");
            assertTrue(endpoint.describe().contains(keys.secretKey()), "serve prints the generated secret");

            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
            Http.Reply created = Http.post(EmbeddedApplication.baseUrl(app), "/jobs", JOB);
            assertEquals(202, created.status(), created.body().toString());
            UUID id = UUID.fromString(created.body().get("id").asText());
            Job job = EmbeddedApplicationTest.awaitFinished(app.getBean(JobStore.class), id, Duration.ofMinutes(20));
            assertEquals(JobState.COMPLETED, job.state(), String.valueOf(job.failureReason()));

            ObjectStore store = app.getBean(ObjectStore.class);
            ObjectInfo featureTile = store.list(Bucket.FEATURES, ObjectKeys.featurePrefix(id)).getFirst();
            String tileId = featureTile.key().substring(featureTile.key().lastIndexOf('/') + 1).replace(".tif", "");
            Path jobResult = download(store, Bucket.RESULTS, ObjectKeys.resultTile(id, tileId), dir.resolve("job-result.tif"));
            Path features = download(store, Bucket.FEATURES, featureTile.key(), dir.resolve("features.tif"));
            assertTrue(GdalCli.infoText(features).contains("Size is 512, 512"));
            List<Integer> expected = GdalCli.checksums(jobResult);
            assertEquals(2, expected.size(), "class and confidence bands");

            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint.endpoint()).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(keys.accessKey(), keys.secretKey()))).build()) {
                // Multipart, 8 MiB parts, as the AWS CLI would send a file of this size.
                byte[] bytes = Files.readAllBytes(features);
                String upload = s3.createMultipartUpload(b -> b.bucket("geocrop-features").key("uploads/multi.tif"))
                        .uploadId();
                List<CompletedPart> parts = new ArrayList<>();
                int partSize = 8 << 20;
                for (int n = 1, offset = 0; offset < bytes.length; n++, offset += partSize) {
                    int number = n;
                    byte[] part = java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + partSize));
                    String eTag = s3.uploadPart(b -> b.bucket("geocrop-features").key("uploads/multi.tif")
                            .uploadId(upload).partNumber(number), RequestBody.fromBytes(part)).eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
                }
                assertTrue(parts.size() >= 2, "the tile (" + bytes.length + " bytes) goes in several parts");
                s3.completeMultipartUpload(b -> b.bucket("geocrop-features").key("uploads/multi.tif").uploadId(upload)
                        .multipartUpload(m -> m.parts(parts)));
                // A single PUT and a server-side copy of the same tile.
                s3.putObject(b -> b.bucket("geocrop-features").key("uploads/single.tif"), RequestBody.fromFile(features));
                s3.copyObject(b -> b.sourceBucket("geocrop-features").sourceKey(featureTile.key())
                        .destinationBucket("geocrop-features").destinationKey("uploads/copied.tif"));
                // Not a GeoTIFF at all.
                s3.putObject(b -> b.bucket("geocrop-features").key("uploads/broken.tif"),
                        RequestBody.fromString("these are not features"));

                for (String name : List.of("multi", "single", "copied")) {
                    Path result = dir.resolve(name + "-result.tif");
                    Files.write(result, await(s3, "uploads/" + name + ".tif"));
                    GdalCli.assertValidCog(result);
                    assertEquals(expected, GdalCli.checksums(result), name + ": the upload's result equals the job's");
                }
                JsonNode error = JSON.readTree(await(s3, "uploads/broken.error.json"));
                assertEquals("geocrop-features/uploads/broken.tif", error.get("object").asText());
                assertEquals("not a feature GeoTIFF GeoCrop can score", error.get("error").asText());
                assertTrue(error.get("detail").asText().contains("not a TIFF file"), error.toString());
            }

            // The browser's way in: PUT /uploads/{name} (the same store, the same notification), followed by
            // GET /uploads/{name}; the result on the map as upload-<name>-class tiles with a legend.
            String base = EmbeddedApplication.baseUrl(app);
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/uploads/http-tile"))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(features)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, put.statusCode(), put.body());
            JsonNode scored = awaitUpload(base, "http-tile");
            assertEquals("scored", scored.get("state").asText(), scored.toString());
            assertTrue(scored.at("/summary/total_hectares").asDouble() > 0, scored.toString());
            assertEquals("upload-http-tile-class", scored.at("/layers/class").asText());
            HttpResponse<byte[]> cog = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/uploads/http-tile/result"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, cog.statusCode());
            Path httpResult = Files.write(dir.resolve("http-result.tif"), cog.body());
            assertEquals(expected, GdalCli.checksums(httpResult));
            JsonNode tileJson = Http.get(base, "/tiles/upload-http-tile-class/tilejson.json").body();
            assertTrue(tileJson.get("description").asText().contains("upload http-tile"), tileJson.toString());
            int z = tileJson.get("maxzoom").asInt();
            double lon = tileJson.get("center").get(0).asDouble();
            double lat = tileJson.get("center").get(1).asDouble();
            int x = (int) Math.floor((lon + 180) / 360 * (1 << z));
            double r = Math.toRadians(lat);
            int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
            HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/tiles/upload-http-tile-class/"
                    + z + "/" + x + "/" + y + ".png")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
            assertEquals(200, Http.get(base, "/legend/upload-http-tile-class").status());

            HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/uploads/http-broken"))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofString("not a tiff")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, bad.statusCode(), bad.body());
            JsonNode failed = awaitUpload(base, "http-broken");
            assertEquals("failed", failed.get("state").asText(), failed.toString());
            assertTrue(failed.at("/error/detail").asText().contains("not a TIFF file"), failed.toString());
            HttpResponse<String> badName = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/uploads/no.dots"))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badName.statusCode(), badName.body());
            assertTrue(badName.body().contains("\"name\""), badName.body());
            assertEquals(404, Http.get(base, "/uploads/never-uploaded").status());
        }
    }

    private static JsonNode awaitUpload(String base, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Http.Reply reply = Http.get(base, "/uploads/" + name);
            assertEquals(200, reply.status(), reply.body().toString());
            if (!"scoring".equals(reply.body().get("state").asText())) {
                return reply.body();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("upload " + name + " still scoring after 3 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static byte[] await(S3Client s3, String resultKey) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                return s3.getObjectAsBytes(b -> b.bucket("geocrop-results").key(resultKey)).asByteArray();
            } catch (NoSuchKeyException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no geocrop-results/" + resultKey + " after 3 minutes");
                }
                Thread.sleep(200);
            }
        }
    }

    private static Path download(ObjectStore store, Bucket bucket, String key, Path file) throws Exception {
        try (var in = store.get(bucket, key).orElseThrow()) {
            Files.copy(in, file);
        }
        return file;
    }
}
