package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.PostgresTestSchema;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Admission (issue 17) on the real PostgreSQL through the HTTP API: new jobs beyond the budget get 503 with
 * {@code Retry-After} and a problem body, identical submissions of an existing job still get that job
 * ({@link IdenticalSubmissionsTest}: concurrent identical submissions make exactly one job).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionTest implements TestPropertyProvider {
    private static final int MAX_QUEUED = 3;
    private static final int MAX_TILES = 5;

    @Inject EmbeddedServer server;
    @Inject JobStore store;

    private PostgresTestSchema pg;
    private HttpTestClient http;

    @Override
    public Map<String, String> getProperties() {
        pg = PostgresTestSchema.create("admission", 2);
        Map<String, String> props = pg.datasourceProperties(16);
        props.put("geocrop.ingress.rate-limit", "10000");
        props.put("geocrop.admission.max-queued-jobs", Integer.toString(MAX_QUEUED));
        props.put("geocrop.admission.max-outstanding-tiles", Integer.toString(MAX_TILES));
        // Every request reads the counts, so each step below sees the one before it.
        props.put("geocrop.admission.count-ttl", "0s");
        props.put("geocrop.admission.retry-after", "17s");
        return EmbeddedTestProperties.with(props);
    }

    @AfterAll
    void dropSchema() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void empty() {
        http = new HttpTestClient(server.getURI());
        pg.truncate("jobs CASCADE");
    }

    private static String body(double lon) {
        return "{\"lon\": " + lon + ", \"lat\": -17.83, \"radius_m\": 100, \"year\": 2024}";
    }

    @Test
    void aFullServerAnswers503WithRetryAfterButStillAnswersAnIdenticalSubmission() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MAX_QUEUED; i++) {
            HttpTestClient.Reply reply = http.postJson("/jobs", body(31.0 + i * 0.01));
            assertEquals(202, reply.status(), reply.body());
            ids.add(reply.json().get("id").asText());
        }
        HttpTestClient.Reply full = http.postJson("/jobs", body(31.5));
        assertEquals(503, full.status(), full.body());
        assertEquals("17", full.header("Retry-After"));
        assertTrue(full.header("Content-Type").startsWith("application/problem+json"), full.header("Content-Type"));
        assertEquals(503, full.json().get("status").asInt());
        assertTrue(full.json().get("detail").asText().contains("3 jobs are queued (at most 3)"), full.body());
        assertEquals(MAX_QUEUED, count("SELECT count(*) FROM jobs"), "the refused job was not recorded");

        HttpTestClient.Reply again = http.postJson("/jobs", body(31.0));
        assertEquals(200, again.status(), "an identical submission adds no work: " + again.body());
        assertEquals(ids.getFirst(), again.json().get("id").asText());

        // A finished job frees its place.
        store.fail(UUID.fromString(ids.get(1)), "imagery: none");
        assertEquals(202, http.postJson("/jobs", body(31.6)).status());
        assertEquals(503, http.postJson("/jobs", body(31.7)).status());
    }

    @Test
    void outstandingTilesFillTheBudgetToo() {
        String id = http.postJson("/jobs", body(30.0)).json().get("id").asText();
        store.planTiles(UUID.fromString(id), List.of("a", "b", "c", "d", "e"));
        HttpTestClient.Reply full = http.postJson("/jobs", body(30.1));
        assertEquals(503, full.status(), full.body());
        assertTrue(full.json().get("detail").asText().contains("5 tiles are waiting"), full.body());
        store.markTileScored(UUID.fromString(id), "a");
        assertEquals(202, http.postJson("/jobs", body(30.1)).status(), "a scored tile made room");
    }

    private long count(String sql) {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
