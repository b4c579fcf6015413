package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /jobs/{id}/results/{name}}: streamed downloads with type, ETag and file name; 404 and 409 problems. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsDownloadTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore jobs;
    @Inject ObjectStore store;
    final HttpClient http = HttpClient.newHttpClient();
    Job completed;
    byte[] cog;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of());
    }

    Job newJob(double lon) {
        return jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(lon, -17.83, 500), new Season(2024)),
                "geocrop-crop-type@champion", null)).job();
    }

    @BeforeAll
    void completeAJob() {
        Job job = newJob(31.05);
        jobs.planTiles(job.id(), List.of("32736-57-1567"));
        jobs.transition(job.id(), JobState.SCORING);
        jobs.transition(job.id(), JobState.ASSEMBLING);
        String prefix = "results/" + job.id() + "/";
        // Large enough to need more than one buffer on the way out.
        cog = new byte[3_000_000];
        new Random(7).nextBytes(cog);
        cog[0] = 'I';
        cog[1] = 'I';
        store.put(Bucket.RESULTS, prefix + "crop-map.tif", cog, "image/tiff");
        store.put(Bucket.RESULTS, prefix + "summary.json", "{\"job_id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(Bucket.RESULTS, prefix + "preview.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png");
        completed = jobs.complete(job.id(), Map.of("cog", prefix + "crop-map.tif", "summary", prefix + "summary.json",
                "preview", prefix + "preview.png"));
    }

    HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURI() + path)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void theCogDownloadsWithItsTypeFileNameAndETag() throws Exception {
        HttpResponse<byte[]> r = get("/jobs/" + completed.id() + "/results/cog", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("image/tiff", header(r, "Content-Type"));
        assertEquals("attachment; filename=\"geocrop-" + completed.id() + ".tif\"", header(r, "Content-Disposition"));
        assertArrayEquals(cog, r.body());
        String eTag = header(r, "ETag");
        assertEquals("\"" + store.head(Bucket.RESULTS, "results/" + completed.id() + "/crop-map.tif").orElseThrow().eTag()
                + "\"", eTag);
        assertTrue(header(r, "Cache-Control").contains("immutable"));

        HttpResponse<byte[]> again = get("/jobs/" + completed.id() + "/results/cog", Map.of("If-None-Match", eTag));
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
    }

    @Test
    void summaryAndPreviewHaveTheirOwnTypes() throws Exception {
        HttpResponse<byte[]> summary = get("/jobs/" + completed.id() + "/results/summary", Map.of());
        assertEquals(200, summary.statusCode());
        assertTrue(header(summary, "Content-Type").startsWith("application/json"));
        assertEquals("{\"job_id\":\"x\"}", new String(summary.body(), StandardCharsets.UTF_8));
        assertEquals(null, header(summary, "Content-Disposition"));
        HttpResponse<byte[]> preview = get("/jobs/" + completed.id() + "/results/preview", Map.of());
        assertEquals(200, preview.statusCode());
        assertEquals("image/png", header(preview, "Content-Type"));
        assertEquals(4, preview.body().length);
    }

    @Test
    void unknownJobsAndNamesAreNotFoundAndUnfinishedJobsAConflict() throws Exception {
        HttpResponse<byte[]> unknownJob = get("/jobs/" + UUID.randomUUID() + "/results/cog", Map.of());
        assertEquals(404, unknownJob.statusCode());
        assertTrue(header(unknownJob, "Content-Type").contains("problem+json"));

        HttpResponse<byte[]> unknownName = get("/jobs/" + completed.id() + "/results/features", Map.of());
        assertEquals(404, unknownName.statusCode());
        String body = new String(unknownName.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("no result named 'features'") && body.contains("cog, summary, preview"), body);

        HttpResponse<byte[]> badId = get("/jobs/not-a-job/results/cog", Map.of());
        assertEquals(400, badId.statusCode());
        assertTrue(new String(badId.body(), StandardCharsets.UTF_8).contains("\"id\""));

        Job running = newJob(31.06);
        HttpResponse<byte[]> conflict = get("/jobs/" + running.id() + "/results/cog", Map.of());
        assertEquals(409, conflict.statusCode());
        String detail = new String(conflict.body(), StandardCharsets.UTF_8);
        assertTrue(detail.contains("is queued") && detail.contains("problem"), detail);

        Job failed = jobs.fail(newJob(31.07).id(), "no imagery");
        HttpResponse<byte[]> gone = get("/jobs/" + failed.id() + "/results/summary", Map.of());
        assertEquals(409, gone.statusCode());
        assertTrue(new String(gone.body(), StandardCharsets.UTF_8).contains("no imagery"));
    }
}
