package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The SSE progress stream follows the job store and ends with the job. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressStreamTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore store;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of("geocrop.ingress.sse-poll-interval", "50ms"));
    }

    record SseEvent(String name, String id, JsonNode data) {}

    @Test
    void streamsProgressUntilTheJobEnds() throws Exception {
        HttpTestClient http = new HttpTestClient(server.getURI());
        String id = http.postJson("/jobs", "{\"lon\": 30.5, \"lat\": -19.0, \"radius_m\": 1000, \"year\": 2023}").json().get("id").asText();
        UUID jobId = UUID.fromString(id);

        HttpRequest request = HttpRequest.newBuilder(server.getURI().resolve("/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20)).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));

        List<SseEvent> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null, eventId = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new SseEvent(name, eventId, HttpTestClient.JSON.readTree(data.toString())));
                        if (events.size() == 1) {
                            // The client is following: now the pipeline moves the job on.
                            store.planTiles(jobId, List.of("32736-50-1560", "32736-51-1560"));
                            store.markTileExtracted(jobId, "32736-50-1560");
                        } else if (events.size() == 2) {
                            store.fail(jobId, "imagery: no clear Sentinel-2 observations in the season");
                        }
                    }
                    name = null;
                    eventId = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    eventId = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }
        assertTrue(events.size() >= 3, "events: " + events);
        assertEquals("progress", events.getFirst().name());
        assertEquals("queued", events.getFirst().data().get("state").asText());
        SseEvent last = events.getLast();
        assertEquals("failed", last.name());
        assertEquals("imagery: no clear Sentinel-2 observations in the season", last.data().get("failure_reason").asText());
        assertTrue(events.stream().anyMatch(e -> e.data().at("/tiles/extracted").asInt() == 1), "progress after a tile: " + events);
        assertEquals(last.data().get("version").asText(), last.id());
    }

    @Test
    void unknownJobIsA404BeforeStreaming() {
        HttpTestClient http = new HttpTestClient(server.getURI());
        HttpTestClient.Reply reply = http.send("GET", "/jobs/" + UUID.randomUUID() + "/events", null, null, Map.of("Accept", "text/event-stream"));
        assertEquals(404, reply.status());
        assertTrue(reply.header("Content-Type").startsWith("application/problem+json"));
    }
}
