package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.jobs.JobStore;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** API key for writes, per-client rate limit with Retry-After, CORS for the web origin. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressProtectionTest implements TestPropertyProvider {
    private static final String BODY = "{\"lon\": 29.8, \"lat\": -18.5, \"radius_m\": 500, \"year\": %d}";

    @Inject EmbeddedServer server;
    @Inject JobStore store;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of(
                "geocrop.ingress.api-key", "s3cret-key",
                "geocrop.ingress.rate-limit", "3",
                "geocrop.ingress.rate-window", "1h"));
    }

    private HttpTestClient.Reply post(int year, Map<String, String> headers) {
        return new HttpTestClient(server.getURI()).send("POST", "/jobs", "application/json",
                String.format(BODY, year).getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void apiKeyRateLimitAndCors() {
        HttpTestClient.Reply noKey = post(2019, Map.of());
        assertEquals(401, noKey.status(), noKey.body());
        assertTrue(noKey.header("Content-Type").startsWith("application/problem+json"));
        assertEquals(401, post(2019, Map.of("Authorization", "Bearer wrong")).status());
        assertEquals(0, store.recent(10).size());

        // Reads need no key.
        assertEquals(200, new HttpTestClient(server.getURI()).get("/jobs").status());

        assertEquals(202, post(2019, Map.of("Authorization", "Bearer s3cret-key")).status());
        HttpTestClient.Reply second = post(2020, Map.of("X-API-Key", "s3cret-key"));
        assertEquals(202, second.status());
        assertEquals("3", second.header("RateLimit-Limit"));
        assertEquals(202, post(2021, Map.of("X-API-Key", "s3cret-key")).status());

        HttpTestClient.Reply limited = post(2022, Map.of("X-API-Key", "s3cret-key"));
        assertEquals(429, limited.status(), limited.body());
        assertNotNull(limited.header("Retry-After"));
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
        assertEquals(429, limited.json().get("status").asInt());
        assertTrue(limited.json().get("detail").asText().contains("try again"));
        assertEquals(3, store.recent(10).size(), "the refused request leaves no job");

        HttpTestClient.Reply preflight = new HttpTestClient(server.getURI()).send("OPTIONS", "/jobs", null, null, Map.of(
                "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type"));
        assertEquals("http://localhost:5173", preflight.header("Access-Control-Allow-Origin"), preflight.headers().toString());
        HttpTestClient.Reply foreign = new HttpTestClient(server.getURI()).send("GET", "/jobs", null, null,
                Map.of("Origin", "https://evil.example"));
        assertEquals(null, foreign.header("Access-Control-Allow-Origin"));
    }
}
