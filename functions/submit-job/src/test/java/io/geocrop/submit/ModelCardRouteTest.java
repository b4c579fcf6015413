package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.platform.security.RouteAccess;
import io.geocrop.platform.security.RouteTable;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.ObjectStore;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /model} on submit-job's public surface (as the cluster runs it, behind the web Service): the
 * registry's card of {@code geocrop.models.name@alias}, a 404 problem before any model is registered, and the
 * route classified public-read. Registry: the {@code geocrop-models} bucket of the test's local store (the MLflow
 * registry's {@code card} is tested in libs/registry).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelCardRouteTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject ObjectStore store;
    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        // Public surface: the API key as a cluster has it; reads need none.
        return EmbeddedTestProperties.with(Map.of("geocrop.http.surface", "public", "geocrop.models.name", "crop-test",
                "geocrop.ingress.api-key", "test-key-0123456789abcdef", "geocrop.models.card-ttl", "0s"));
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURI() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void beforeAnyModelIsRegisteredItIsAProblemSayingHowToGetOne() throws Exception {
        HttpResponse<String> r = get("/model");
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body().contains("crop-test@champion"), r.body());
    }

    @Test
    @Order(2)
    void theChampionsCardIsServedWithoutAKey() throws Exception {
        ModelCard card = new ModelCard("crop-test", null, FeatureOrder.HASH_V1, List.of("b02_p10"), List.of(1, 2, 3),
                "test rows", Map.of("overall_accuracy", 0.87), Map.of("max_depth", "6"), 7L, true,
                Instant.parse("2026-12-01T00:00:00Z"));
        new ObjectStoreModelRegistry(store).publish(new ModelArtifact(card, new byte[] {8, 1}), "champion");
        HttpResponse<String> r = get("/model");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertEquals("crop-test", json.path("name").asText(), r.body());
        assertEquals("1", json.path("version").asText(), r.body());
        assertEquals(FeatureOrder.HASH_V1, json.path("feature_order_hash").asText(), r.body());
        assertEquals("public, max-age=0", r.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(RouteAccess.PUBLIC_READ, RouteTable.lookup("GET", "/model").orElseThrow());
    }

    HttpResponse<String> submit() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/jobs"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer test-key-0123456789abcdef")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 500, \"year\": 2024}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(3)
    void afterAPromotionAnIdenticalRequestMakesANewMapInsteadOfReturningTheOldVersionsJob() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> first = submit();
        assertTrue(first.statusCode() == 202 || first.statusCode() == 200, first.body());
        HttpResponse<String> same = submit();
        assertEquals(json.readTree(first.body()).path("id").asText(), json.readTree(same.body()).path("id").asText(),
                "identical requests for the same champion version are one job: " + same.body());

        ModelCard card = new ModelCard("crop-test", null, FeatureOrder.HASH_V1, List.of("b02_p10"), List.of(1, 2, 3),
                "test rows", Map.of("overall_accuracy", 0.9), Map.of("max_depth", "6"), 7L, true,
                Instant.parse("2026-12-02T00:00:00Z"));
        ObjectStoreModelRegistry registry = new ObjectStoreModelRegistry(store);
        String v2 = registry.publish(new ModelArtifact(card, new byte[] {8, 2}), "challenger").card().version();
        registry.promote("crop-test", v2, "champion");
        HttpResponse<String> after = submit();
        assertEquals(202, after.statusCode(), after.body());
        assertTrue(!json.readTree(first.body()).path("id").asText().equals(json.readTree(after.body()).path("id").asText()),
                "a promotion makes a new job: " + after.body());
    }
}
