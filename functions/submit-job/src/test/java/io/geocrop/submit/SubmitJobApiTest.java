package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The jobs API end to end in one JVM: embedded job store, in-process router, real HTTP. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitJobApiTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore store;
    @Inject InProcessEventRouter router;

    private HttpTestClient http;
    private final List<CloudEvent> delivered = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of("geocrop.ingress.rate-limit", "1000"));
    }

    @BeforeAll
    void subscribe() {
        http = new HttpTestClient(server.getURI());
        // Stands in for the extract-features function: records what the Trigger delivers to it.
        router.register("extract-features", delivered::add);
    }

    private void awaitRouter() {
        try {
            assertTrue(router.awaitIdle(Duration.ofSeconds(10)), "router did not go idle");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void clear() {
        awaitRouter();
        delivered.clear();
    }

    @Test
    void aCallersTraceContinuesIntoTheJobSubmittedEventAndEachNewJobIsCountedOnce() {
        double submitted = http.metric("geocrop_jobs_submitted_total");
        String body = "{\"lon\": 32.123, \"lat\": -18.456, \"radius_m\": 1234, \"year\": 2023}";
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HttpTestClient.Reply reply = http.send("POST", "/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", parent, "tracestate", "congo=t61rcWkgMzE"));
        assertEquals(202, reply.status(), reply.body());
        String id = reply.json().get("id").asText();
        awaitRouter();
        CloudEvent event = delivered.stream().map(RedisStreamEnvelope::unwrap)
                .filter(e -> e.getId().equals("job-submitted-" + id)).findFirst().orElseThrow();
        io.geocrop.events.TraceContext trace = io.geocrop.events.TraceContext.of(event).orElseThrow(
                () -> new AssertionError("no traceparent on " + event));
        assertEquals("0af7651916cd43dd8448eb211c80319c", trace.traceId(), "the caller's trace");
        assertTrue(!trace.spanId().equals("b7ad6b7169203331"), "a span of its own");
        assertEquals("congo=t61rcWkgMzE", trace.traceState());
        assertEquals(submitted + 1, http.metric("geocrop_jobs_submitted_total"));

        // The identical request is the same job: not counted again.
        assertEquals(200, http.postJson("/jobs", body).status());
        assertEquals(submitted + 1, http.metric("geocrop_jobs_submitted_total"));

        // Without a (valid) traceparent the job starts a trace of its own.
        HttpTestClient.Reply other = http.send("POST", "/jobs", "application/json",
                "{\"lon\": 32.2, \"lat\": -18.4, \"radius_m\": 1234, \"year\": 2023}".getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01"));
        assertEquals(202, other.status(), other.body());
        awaitRouter();
        String otherId = other.json().get("id").asText();
        CloudEvent own = delivered.stream().map(RedisStreamEnvelope::unwrap)
                .filter(e -> e.getId().equals("job-submitted-" + otherId)).findFirst().orElseThrow();
        String ownTrace = io.geocrop.events.TraceContext.of(own).orElseThrow().traceId();
        assertTrue(!ownTrace.equals("0af7651916cd43dd8448eb211c80319c"), "an invalid traceparent is not continued: " + ownTrace);
        assertEquals(submitted + 2, http.metric("geocrop_jobs_submitted_total"));
    }

    @Test
    void submitRecordsTheJobAndQueuesItOnce() {
        HttpTestClient.Reply reply = http.postJson("/jobs", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}");
        assertEquals(202, reply.status(), reply.body());
        JsonNode job = reply.json();
        String id = job.get("id").asText();
        assertEquals("/jobs/" + id, reply.header("Location"));
        assertEquals("queued", job.get("state").asText());
        assertEquals(2000, job.at("/aoi/radius_m").asDouble());
        assertEquals("2024-09-01", job.at("/season/start").asText());
        assertEquals("2025-05-31", job.at("/season/end").asText());

        HttpTestClient.Reply fetched = http.get("/jobs/" + id);
        assertEquals(200, fetched.status());
        assertEquals(id, fetched.json().get("id").asText());
        // Its queue standing, read from the job store: in line, with the tiles its AOI will be planned into.
        JsonNode queue = fetched.json().get("queue");
        assertTrue(queue != null && queue.get("position").asInt() >= 1, fetched.body());
        assertEquals(io.geocrop.domain.ProcessingGrid.plan(new io.geocrop.domain.Aoi(31.05, -17.83, 2000)).tiles().size(),
                queue.get("tiles_left").asInt(), fetched.body());
        assertTrue(queue.get("tiles_ahead").asInt() >= 0, fetched.body());
        assertTrue(store.find(UUID.fromString(id)).orElseThrow().enqueuedAt() != null, "job must be marked enqueued");

        awaitRouter();
        assertEquals(1, delivered.size(), "one job.submitted delivery to extract-features");
        CloudEvent inner = RedisStreamEnvelope.unwrapIfNeeded(delivered.getFirst());
        assertEquals(EventType.JOB_SUBMITTED.type(), inner.getType());
        JobSubmittedV1 data = GeoCropEvents.data(inner, JobSubmittedV1.class);
        assertEquals(UUID.fromString(id), data.jobId());
        assertEquals(31.05, data.lon());

        // The identical request returns the same job and queues nothing new.
        HttpTestClient.Reply again = http.postJson("/jobs", "{\"year\": 2024, \"radius_m\": 2000.0, \"lat\": -17.83, \"lon\": 31.05}");
        assertEquals(200, again.status(), again.body());
        assertEquals(id, again.json().get("id").asText());
        awaitRouter();
        assertEquals(1, delivered.size());

        // Listed among the recent jobs.
        HttpTestClient.Reply list = http.get("/jobs?limit=5");
        assertEquals(200, list.status());
        assertTrue(list.body().contains(id));
    }

    static Stream<Arguments> badRequests() {
        String ok = "\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024";
        return Stream.of(
                Arguments.of("not JSON", "application/json", "{lon: 31", 400, "body"),
                Arguments.of("empty body", "application/json", "", 400, "body"),
                Arguments.of("JSON array", "application/json", "[31.05, -17.83]", 400, "body"),
                Arguments.of("missing lon", "application/json", "{\"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}", 422, "lon"),
                Arguments.of("missing year", "application/json", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000}", 422, "year"),
                Arguments.of("lon as string", "application/json", "{\"lon\": \"31.05\", \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}", 400, "lon"),
                Arguments.of("lat null", "application/json", "{\"lon\": 31.05, \"lat\": null, \"radius_m\": 2000, \"year\": 2024}", 422, "lat"),
                Arguments.of("non-finite radius", "application/json", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 1e400, \"year\": 2024}", 422, "radius_m"),
                Arguments.of("lon out of range", "application/json", "{\"lon\": 181, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}", 422, "lon"),
                Arguments.of("lat out of range", "application/json", "{\"lon\": 31.05, \"lat\": -91, \"radius_m\": 2000, \"year\": 2024}", 422, "lat"),
                Arguments.of("lon/lat swapped", "application/json", "{\"lon\": -17.83, \"lat\": 31.05, \"radius_m\": 2000, \"year\": 2024}", 422, "lon"),
                Arguments.of("radius too small", "application/json", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 50, \"year\": 2024}", 422, "radius_m"),
                Arguments.of("radius too large", "application/json", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 20000, \"year\": 2024}", 422, "radius_m"),
                Arguments.of("AOI outside coverage", "application/json", "{\"lon\": 2.35, \"lat\": 48.85, \"radius_m\": 2000, \"year\": 2024}", 422, "lon"),
                Arguments.of("AOI crosses the border", "application/json", "{\"lon\": 25.21, \"lat\": -17.9, \"radius_m\": 5000, \"year\": 2024}", 422, "radius_m"),
                Arguments.of("year before 2017", "application/json", "{" + ok.replace("2024", "2016") + "}", 422, "year"),
                Arguments.of("season not finished", "application/json", "{" + ok.replace("2024", "2099") + "}", 422, "year"),
                Arguments.of("fractional year", "application/json", "{" + ok.replace("2024", "2024.5") + "}", 400, "year"),
                Arguments.of("unknown field", "application/json", "{" + ok + ", \"colour\": \"red\"}", 400, "colour"),
                Arguments.of("duplicate field", "application/json", "{" + ok + ", \"lon\": 30}", 400, "body"),
                Arguments.of("oversize body", "application/json", "{" + ok + ", \"pad\": \"" + "x".repeat(5000) + "\"}", 413, "body"),
                Arguments.of("wrong content type", "text/plain", "{" + ok + "}", 415, null),
                Arguments.of("form content type", "application/x-www-form-urlencoded", "lon=31.05&lat=-17.83", 415, null));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("badRequests")
    void badInputIsAProblemNamingTheFieldAndLeavesNothingBehind(String name, String contentType, String body, int status, String field) {
        int jobsBefore = store.recent(100).size();
        HttpTestClient.Reply reply = http.send("POST", "/jobs", contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith("application/problem+json"), reply.header("Content-Type"));
        JsonNode problem = reply.json();
        assertEquals(status, problem.get("status").asInt());
        assertNotNull(problem.get("title"));
        assertNotNull(problem.get("type"));
        assertTrue(problem.get("detail").asText().length() > 5, problem.toString());
        assertTrue(!reply.body().contains("Exception") && !reply.body().contains("\tat "), "no internals: " + reply.body());
        if (field != null) {
            boolean named = false;
            for (JsonNode error : problem.path("errors")) {
                named |= field.equals(error.get("field").asText());
            }
            assertTrue(named, "errors must name " + field + ": " + problem);
        }
        awaitRouter();
        assertEquals(jobsBefore, store.recent(100).size(), "no job row may be left behind");
        assertEquals(0, delivered.size(), "no stream entry may be left behind");
    }

    @Test
    void lookupsAnswerWithProblems() {
        HttpTestClient.Reply badId = http.get("/jobs/not-a-uuid");
        assertEquals(400, badId.status());
        assertEquals("id", badId.json().at("/errors/0/field").asText());

        HttpTestClient.Reply missing = http.get("/jobs/" + UUID.randomUUID());
        assertEquals(404, missing.status());
        assertEquals("application/problem+json", missing.header("Content-Type"));

        HttpTestClient.Reply noRoute = http.get("/no/such/path");
        assertEquals(404, noRoute.status());
        assertTrue(noRoute.header("Content-Type").startsWith("application/problem+json"));

        HttpTestClient.Reply wrongMethod = http.send("DELETE", "/jobs", null, null, Map.of());
        assertEquals(405, wrongMethod.status());
        assertTrue(wrongMethod.header("Content-Type").startsWith("application/problem+json"));

        HttpTestClient.Reply badLimit = http.get("/jobs?limit=0");
        assertEquals(400, badLimit.status());
        assertEquals("limit", badLimit.json().at("/errors/0/field").asText());
    }

    @Test
    void webhookIsDisabledWithoutAToken() {
        HttpTestClient.Reply reply = http.send("POST", "/webhooks/minio", "application/json", "{}".getBytes(), Map.of());
        assertEquals(503, reply.status(), reply.body());
        assertTrue(reply.json().get("detail").asText().contains("GEOCROP_WEBHOOK_TOKEN"));
    }

    @Test
    void openApiDocumentIsServed() {
        HttpTestClient.Reply doc = http.get("/openapi/geocrop-api-1.yml");
        assertEquals(200, doc.status(), doc.body());
        assertTrue(doc.body().contains("/jobs/{id}/events"), doc.body());
    }

    @Test
    void healthAndMetricsAreExposed() {
        assertEquals(200, http.get("/health").status());
        HttpTestClient.Reply metrics = http.get("/prometheus");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"));
    }
}
