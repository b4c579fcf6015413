package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.DeadLetter;
import io.geocrop.events.EncodedRequest;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Broker's dead-letter sink fails the job of an event it could not deliver, in both HTTP modes. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterSinkTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore store;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of());
    }

    private String submit(int year) {
        return new HttpTestClient(server.getURI())
                .postJson("/jobs", "{\"lon\": 31.5, \"lat\": -18.5, \"radius_m\": 700, \"year\": " + year + "}")
                .json().get("id").asText();
    }

    /** The job-submitted event as the Broker would dead-letter it: the RedisStreamSource envelope plus knativeerror*. */
    private static CloudEvent deadLetter(String jobId) {
        UUID id = UUID.fromString(jobId);
        CloudEvent submitted = GeoCropEvents.create(EventType.JOB_SUBMITTED, "job-submitted-" + id, "jobs/" + id,
                new JobSubmittedV1(id, 31.5, -18.5, 700, 2021, "geocrop-crop@champion", Instant.now()));
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1700000000000-0", "redis://redis:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        return CloudEventBuilder.v1(envelope)
                .withExtension(DeadLetter.ERROR_DEST, "http://extract-features.geocrop.svc.cluster.local")
                .withExtension(DeadLetter.ERROR_CODE, 503)
                .withExtension(DeadLetter.ERROR_DATA, Base64.getEncoder().encodeToString("no healthy upstream".getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private HttpTestClient.Reply post(EncodedRequest request) {
        Map<String, String> headers = new HashMap<>(request.headers());
        String contentType = headers.remove("Content-Type");
        if (contentType == null) {
            contentType = headers.remove("content-type");
        }
        return new HttpTestClient(server.getURI()).send("POST", "/internal/dead-letter", contentType, request.body(), headers);
    }

    @Test
    void binaryAndStructuredDeadLettersFailTheirJobs() {
        HttpTestClient metrics = new HttpTestClient(server.getURI());
        double deadLettered = metrics.metric("geocrop_events_dead_lettered_total");
        double failedQueued = metrics.metric("geocrop_jobs_failed_total{stage=\"queued\"}");
        String binaryJob = submit(2021);
        HttpTestClient.Reply binary = post(CloudEventHttp.encodeBinary(deadLetter(binaryJob)));
        assertEquals(200, binary.status(), binary.body());
        assertEquals("failed", binary.json().get("state").asText());
        String reason = store.find(UUID.fromString(binaryJob)).orElseThrow().failureReason();
        assertTrue(reason.contains("extract-features") && reason.contains("HTTP 503") && reason.contains("no healthy upstream"), reason);

        String structuredJob = submit(2022);
        HttpTestClient.Reply structured = post(CloudEventHttp.encodeStructured(deadLetter(structuredJob)));
        assertEquals(200, structured.status(), structured.body());
        assertEquals(structuredJob, structured.json().get("job").asText());

        // The failed job is visible as such through the API, with its reason.
        HttpTestClient.Reply view = new HttpTestClient(server.getURI()).get("/jobs/" + binaryJob);
        assertEquals("failed", view.json().get("state").asText());
        assertTrue(view.json().get("failure_reason").asText().contains("could not be delivered"));

        assertEquals(deadLettered + 2, metrics.metric("geocrop_events_dead_lettered_total"));
        assertEquals(failedQueued + 2, metrics.metric("geocrop_jobs_failed_total{stage=\"queued\"}"));
    }

    @Test
    void notACloudEventIsAProblem() {
        HttpTestClient.Reply reply = new HttpTestClient(server.getURI()).send("POST", "/internal/dead-letter", "application/json",
                "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith("application/problem+json"));
    }
}
