package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.JobState;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the PingSource calls: a job nobody picked up (this context has no extract-features) is re-emitted on each
 * ping, and failed with the stage once the attempts are used up. Timeout 0 makes every unfinished job stuck.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileEndpointTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject JobStore store;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of("geocrop.reconciler.timeout", "0s",
                "geocrop.reconciler.max-attempts", "2", "geocrop.reconciler.interval", "0s"));
    }

    @Test
    void eachPingReEmitsStuckWorkThenGivesUpWithTheStage() throws Exception {
        HttpTestClient http = new HttpTestClient(server.getURI());
        String id = http.postJson("/jobs", "{\"lon\": 30.5, \"lat\": -19.5, \"radius_m\": 500, \"year\": 2022}").json().get("id").asText();
        String ping = "{\"reason\":\"scheduled\"}";

        for (int attempt = 1; attempt <= 2; attempt++) {
            Thread.sleep(5); // strictly older than "now - 0 s"
            JsonNode outcome = http.postJson("/internal/reconcile", ping).json();
            assertEquals(1, outcome.get("stuck").asInt(), outcome.toString());
            assertEquals(1.0, http.metric("geocrop_jobs_stuck"), "the gauge shows the last run's stuck jobs");
            JsonNode job = outcome.get("jobs").get(0);
            assertEquals(id, job.get("job").asText());
            assertEquals("reemitted", job.get("action").asText());
            assertEquals(attempt, job.get("attempt").asInt());
        }
        Thread.sleep(5);
        JsonNode last = http.postJson("/internal/reconcile", ping).json().get("jobs").get(0);
        assertEquals("gave_up", last.get("action").asText());
        var failed = store.find(UUID.fromString(id)).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("gave up after 2 reconcile attempts: still QUEUED, extract-features never planned it", failed.failureReason());
        assertEquals(1.0, http.metric("geocrop_jobs_failed_total{stage=\"queued\"}"));
        http.postJson("/internal/reconcile", ping);
        assertEquals(0.0, http.metric("geocrop_jobs_stuck"), "nothing left stuck");
    }
}
