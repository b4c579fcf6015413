package io.geocrop.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** MLflow configured but not running: {@code GET /model} is a 503 problem naming the registry, with hints. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreTileRegistryDownTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once the socket is closed
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return EmbeddedTestProperties.with(Map.of("geocrop.mlflow.tracking-uri", "http://127.0.0.1:" + closedPort,
                "geocrop.mlflow.max-attempts", "1", "geocrop.models.registry", "mlflow"));
    }

    @Test
    void aRegistryThatIsDownIsA503ProblemNamingItWithHints() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURI()
                + "/model")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
        assertTrue(r.body().contains("the model registry ("), r.body());
        assertTrue(r.body().contains("MlflowModelRegistry"), "names the registry: " + r.body());
        assertTrue(r.body().contains("GEOCROP_MLFLOW_TRACKING_URI"), r.body());
    }
}
