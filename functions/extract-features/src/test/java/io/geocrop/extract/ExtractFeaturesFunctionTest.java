package io.geocrop.extract;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.EncodedRequest;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The function's HTTP ingress as Knative delivers to it: CloudEvents in binary and structured mode, job
 * submissions inside the RedisStreamSource envelope, tile requests; bad events are 400 problems. The catalogue
 * here is down, so planning ends in a failed job with the reason (extraction itself: ExtractionTest).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtractFeaturesFunctionTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore jobs;
    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        // No geocrop.imagery.source: the function's default is the STAC catalogue (here one that is down).
        return EmbeddedTestProperties.with(Map.of("geocrop.imagery.stac-endpoint", "http://127.0.0.1:9/stac/"));
    }

    HttpResponse<String> post(EncodedRequest request) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURI() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Job newJob() {
        return jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(30.5, -19.5, 600), new Season(2023)),
                "m@champion", null)).job();
    }

    @Test
    void aJobSubmissionInTheStreamEnvelopeIsPlannedAndFailsReadablyWhenTheCatalogueIsDown() throws Exception {
        Job job = newJob();
        CloudEvent submitted = GeoCropEvents.create(EventType.JOB_SUBMITTED, job.id().toString(),
                new JobSubmittedV1(job.id(), 30.5, -19.5, 600, 2023, "m@champion", Instant.now()));
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1-0", "redis://redis:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        HttpResponse<String> reply = post(CloudEventHttp.encodeBinary(envelope));
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.body().contains("planned"), reply.body());
        Job failed = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().startsWith("The imagery catalogue could not be searched"), failed.failureReason());
    }

    @Test
    void handlingAnEventLogsJsonLinesWithItsJobAndTraceAndCountsTheFailure() throws Exception {
        // The JSON format of the shipped logback.xml (GEOCROP_LOG_FORMAT=json), on an appender of our own.
        ch.qos.logback.classic.LoggerContext logging = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        io.geocrop.platform.logging.GeoCropLogEncoder encoder = new io.geocrop.platform.logging.GeoCropLogEncoder();
        encoder.setFormat("json");
        encoder.setContext(logging);
        encoder.start();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.OutputStreamAppender<>();
        appender.setContext(logging);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        ch.qos.logback.classic.Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        double failedBefore = metric("geocrop_jobs_failed_total{stage=\"queued\"}");
        Job job = newJob();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        CloudEvent submitted = io.geocrop.events.TraceContext.parse("00-" + trace + "-00f067aa0ba902b7-01").orElseThrow()
                .applyTo(GeoCropEvents.create(EventType.JOB_SUBMITTED, job.id().toString(),
                        new JobSubmittedV1(job.id(), 30.5, -19.5, 600, 2023, "m@champion", Instant.now())));
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("2-0", "redis://redis:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        try {
            HttpResponse<String> reply = post(CloudEventHttp.encodeBinary(envelope));
            assertEquals(200, reply.statusCode(), reply.body());
        } finally {
            root.detachAppender(appender);
            appender.stop();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        com.fasterxml.jackson.databind.JsonNode failing = lines.stream()
                .filter(l -> l.path("formattedMessage").asText().startsWith("Failing job " + job.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no 'Failing job' line in " + lines));
        assertEquals("WARN", failing.path("level").asText());
        assertEquals(job.id().toString(), failing.path("mdc").path("job_id").asText(), failing.toString());
        assertEquals(trace, failing.path("mdc").path("trace_id").asText(), "the trace of the submission");
        assertEquals(submitted.getId(), failing.path("mdc").path("event_id").asText());

        assertEquals(failedBefore + 1, metric("geocrop_jobs_failed_total{stage=\"queued\"}"));
        assertEquals(1.0, metric("geocrop_cold_start_seconds_count"));
    }

    double metric(String series) {
        return new HttpTestClient(server.getURI()).metric(series);
    }

    @Test
    void aTileOfAFinishedJobIsAcknowledgedWithoutWork() throws Exception {
        Job job = newJob();
        jobs.fail(job.id(), "given up for the test");
        CloudEvent tile = GeoCropEvents.create(EventType.TILE_REQUESTED, job.id().toString(),
                new TileRequestedV1(job.id(), "32735-160-3900", 2023, List.of("S2A_X"), Instant.now()));
        HttpResponse<String> reply = post(CloudEventHttp.encodeStructured(tile));
        assertEquals(200, reply.statusCode(), reply.body());
    }

    @Test
    void eventsItDoesNotTakeAreBadRequestsNamingTheProblem() throws Exception {
        UUID id = UUID.randomUUID();
        CloudEvent other = GeoCropEvents.create(EventType.JOB_FAILED, id.toString(),
                new io.geocrop.events.JobFailedV1(id, "x", Instant.now()));
        HttpResponse<String> wrongType = post(CloudEventHttp.encodeBinary(other));
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        assertTrue(wrongType.body().contains("io.geocrop.job.failed.v1"), wrongType.body());

        HttpResponse<String> notAnEvent = http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notAnEvent.statusCode(), notAnEvent.body());
        assertTrue(notAnEvent.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
    }
}
