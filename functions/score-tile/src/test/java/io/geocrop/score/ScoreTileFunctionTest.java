package io.geocrop.score;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.EncodedRequest;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobFailedV1;
import io.geocrop.events.S3Notifications;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.features.FeatureOrder;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.TestModels;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectStore;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.StoredObjectEvent;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The function's HTTP ingress as Knative delivers to it: MinIO object-created events (binary and structured
 * CloudEvents, and a raw MinIO webhook body) for job feature tiles and uploads; {@code GET /model}; bad events are 400
 * problems. The model is the small real test model, published in the bucket registry before the server starts.
 * Objects are written through a second store on the same folder that announces nothing, so only these HTTP calls
 * trigger scoring.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreTileFunctionTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore jobs;
    @Inject ObjectStore appStore;
    @Inject InProcessEventRouter router;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    LocalObjectStore store;
    Path root;

    @Override
    public Map<String, String> getProperties() {
        try {
            root = Files.createTempDirectory("score-tile-storage");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        store = new LocalObjectStore(root, ObjectCreatedListener.NONE);
        store.ensureBuckets();
        ModelArtifact small = TestModels.small();
        ModelCard c = small.card();
        new ObjectStoreModelRegistry(store).publish(new ModelArtifact(new ModelCard("geocrop-crop-type", c.version(),
                c.featureOrderHash(), c.featureNames(), c.classCodes(), c.trainingData(), c.metrics(), c.params(),
                c.seed(), c.synthetic(), c.createdAt()), small.onnx()), "champion");
        return EmbeddedTestProperties.with(Map.of("geocrop.storage.local-root", root.toString(),
                "geocrop.scoring.threads", "1"));
    }

    HttpResponse<String> post(EncodedRequest request) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURI() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The MinIO webhook body for an object of {@code geocrop-features}, as MinIO would send it. */
    byte[] minioBody(String key) {
        ObjectInfo info = store.head(Bucket.FEATURES, key).orElseThrow();
        return S3Notifications.minioNotification(new StoredObjectEvent(Bucket.FEATURES.bucketName(), key, info.size(),
                info.eTag(), "image/tiff", Instant.parse("2025-03-01T10:00:00Z")), "s3:ObjectCreated:Put");
    }

    CloudEvent objectCreated(String key) {
        return S3Notifications.toCloudEvents(minioBody(key)).get(0);
    }

    void putFeatures(String key, String jobId, JobTile tile) throws IOException {
        putFeatures(store, key, jobId, tile);
    }

    static void putFeatures(ObjectStore target, String key, String jobId, JobTile tile) throws IOException {
        Path file = Files.createTempFile("features-", ".tif");
        try {
            float[][] f = new float[FeatureOrder.COUNT][512 * 512];
            float[] maize = TestModels.prototypeRow(1);
            for (int b = 0; b < FeatureOrder.COUNT; b++) {
                java.util.Arrays.fill(f[b], maize[b]);
            }
            CogWriter.write(file, FeatureGeoTiff.metadata(new FeatureGeoTiff.Provenance(jobId, tile, 2024, List.of("S2A_X"))),
                    Raster.wrap(512, 512, SampleType.FLOAT32, (Object[]) f),
                    CogWriteOptions.builder().compression(CogWriteOptions.Compression.NONE).overviewCount(0).build());
            target.put(Bucket.FEATURES, key, file, null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theModelCardIsShown() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/model")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode card = json.readTree(r.body());
        assertEquals("geocrop-crop-type", card.path("name").asText());
        assertEquals(FeatureOrder.HASH_V1, card.path("feature_order_hash").asText());
        assertEquals(51, card.path("feature_names").size());
        assertTrue(card.path("synthetic").asBoolean());
    }

    @Test
    void aOneTileJobIsScoredAndCompletedAndARedeliveryIsADuplicate() throws Exception {
        Job job = oneTileJob(31.05);
        List<JobTile> tiles = ProcessingGrid.plan(job.aoi()).tiles();
        String key = ObjectKeys.featureTile(job.id(), tiles.get(0).id());
        putFeatures(key, job.id().toString(), tiles.get(0));

        HttpResponse<String> first = post(CloudEventHttp.encodeBinary(objectCreated(key)));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("scored", json.readTree(first.body()).path("outcome").asText(), first.body());
        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
        assertEquals("results/" + job.id() + "/crop-map.tif", done.results().get("cog"));
        assertTrue(store.head(Bucket.RESULTS, ObjectKeys.resultCog(job.id())).isPresent());
        JsonNode summary = json.readTree(store.get(Bucket.RESULTS, "results/" + job.id() + "/summary.json")
                .orElseThrow().readAllBytes());
        assertEquals("maize", summary.path("classes").get(0).path("id").asText(), summary.toString());

        HttpResponse<String> again = post(CloudEventHttp.encodeStructured(objectCreated(key)));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("duplicate", json.readTree(again.body()).path("outcome").asText(), again.body());
        assertEquals(done.version(), jobs.find(job.id()).orElseThrow().version());
    }

    double metric(String series) {
        return new HttpTestClient(server.getURI()).metric(series);
    }

    @Test
    void scoringShowsInTheMetricsAndTheCompletedEventContinuesTheTraceOfTheNotification() throws Exception {
        double tiles = metric("geocrop_tiles_scored_total");
        double pixels = metric("geocrop_pixels_scored_total");
        double completed = metric("geocrop_jobs_completed_total");
        Job job = oneTileJob(31.3);
        JobTile tile = ProcessingGrid.plan(job.aoi()).tiles().get(0);
        String key = ObjectKeys.featureTile(job.id(), tile.id());
        putFeatures(key, job.id().toString(), tile);
        // A notification that reached the Broker with trace context (as submit-job's bridge stamps it).
        io.geocrop.events.TraceContext trace = io.geocrop.events.TraceContext.parse(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").orElseThrow();

        HttpResponse<String> r = post(CloudEventHttp.encodeBinary(trace.applyTo(objectCreated(key))));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JobState.COMPLETED, jobs.find(job.id()).orElseThrow().state());

        assertEquals(tiles + 1, metric("geocrop_tiles_scored_total"));
        assertEquals(pixels + 512 * 512, metric("geocrop_pixels_scored_total"));
        assertEquals(completed + 1, metric("geocrop_jobs_completed_total"));
        assertEquals(1.0, metric("geocrop_model_load_seconds_count"), "the model is loaded once per instance");
        assertTrue(metric("geocrop_model_load_seconds_sum") > 0);
        assertEquals(1.0, metric("geocrop_cold_start_seconds_count"), "once per process");
        assertTrue(metric("geocrop_cold_start_seconds_sum") > 0);

        // job-completed goes to tile-render, which is not in this JVM: the router keeps it as undeliverable.
        CloudEvent done = router.undeliverable().stream().map(u -> u.event())
                .filter(e -> e.getId().equals("job-completed-" + job.id())).findFirst().orElseThrow();
        io.geocrop.events.TraceContext carried = io.geocrop.events.TraceContext.of(done).orElseThrow();
        assertEquals(trace.traceId(), carried.traceId(), "the completion is in the trace of the notification");
        assertTrue(!carried.spanId().equals(trace.spanId()), "as a new span");
    }

    Job oneTileJob(double lon) {
        Aoi aoi = new Aoi(lon, -17.83, 150);
        List<JobTile> tiles = ProcessingGrid.plan(aoi).tiles();
        assertEquals(1, tiles.size());
        Job job = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(aoi, new Season(2024)),
                "geocrop-crop-type@champion", null)).job();
        jobs.recordImagery(job.id(), List.of("S2A_X"));
        jobs.planTiles(job.id(), List.of(tiles.get(0).id()));
        return jobs.transition(job.id(), JobState.EXTRACTING);
    }

    @Test
    void embeddedAFeatureTileWrittenToStorageIsRoutedToScoreTileByTheTrigger() throws Exception {
        // The app's own store announces the object as MinIO would; the in-process router delivers it by
        // 330-trigger-feature-created.yaml to score-tile's embedded subscription. No HTTP involved.
        Job job = oneTileJob(31.2);
        JobTile tile = ProcessingGrid.plan(job.aoi()).tiles().get(0);
        putFeatures(appStore, ObjectKeys.featureTile(job.id(), tile.id()), job.id().toString(), tile);
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        while (!jobs.find(job.id()).orElseThrow().state().isTerminal() && System.nanoTime() < deadline) {
            router.awaitIdle(java.time.Duration.ofSeconds(5));
        }
        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
        assertTrue(router.triggers().stream().anyMatch(t -> t.name().equals("score-tile-on-feature-created")
                && t.subscriberService().equals("score-tile")));
    }

    @Test
    void aBadUploadPostedAsARawMinioNotificationGetsAnErrorObject() throws Exception {
        store.put(Bucket.FEATURES, "uploads/readme.tif", "not a tiff".getBytes(StandardCharsets.UTF_8), "text/plain");
        HttpResponse<String> r = postJson(minioBody("uploads/readme.tif"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode outcome = json.readTree(r.body());
        assertEquals("failed-upload", outcome.path("outcome").asText(), r.body());
        assertEquals("uploads/readme.error.json", outcome.path("result").asText());
        JsonNode error = json.readTree(store.get(Bucket.RESULTS, "uploads/readme.error.json").orElseThrow().readAllBytes());
        assertEquals("geocrop-features/uploads/readme.tif", error.path("object").asText());
        assertTrue(error.path("detail").asText().startsWith("it is not a TIFF file"), error.toString());
    }

    @Test
    void objectsOfOtherBucketsAreAcknowledgedAndIgnored() throws Exception {
        CloudEvent other = S3Notifications.toCloudEvents(S3Notifications.minioNotification(new StoredObjectEvent(
                "geocrop-results", "results/x/crop-map.tif", 10, "abc", "image/tiff", Instant.now()),
                "s3:ObjectCreated:Put")).get(0);
        HttpResponse<String> r = post(CloudEventHttp.encodeBinary(other));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ignored", json.readTree(r.body()).path("outcome").asText());
    }

    @Test
    void eventsItDoesNotTakeAreBadRequestsNamingTheProblem() throws Exception {
        UUID id = UUID.randomUUID();
        CloudEvent failed = GeoCropEvents.create(EventType.JOB_FAILED, id.toString(), new JobFailedV1(id, "x", Instant.now()));
        HttpResponse<String> wrongType = post(CloudEventHttp.encodeBinary(failed));
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        assertTrue(wrongType.body().contains("io.geocrop.job.failed.v1"), wrongType.body());
        assertTrue(wrongType.headers().firstValue("Content-Type").orElse("").contains("problem+json"));

        HttpResponse<String> notAnEvent = postJson("{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notAnEvent.statusCode(), notAnEvent.body());
        assertTrue(notAnEvent.headers().firstValue("Content-Type").orElse("").contains("problem+json"));

        HttpResponse<String> noRecords = postJson("{\"EventName\":\"s3:ObjectCreated:Put\",\"Records\":{}}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(400, noRecords.statusCode(), noRecords.body());
        assertTrue(noRecords.body().contains("Records"), noRecords.body());
    }
}
