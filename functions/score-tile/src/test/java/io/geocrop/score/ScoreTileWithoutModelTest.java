package io.geocrop.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A fresh installation with no model registered: {@code GET /model} is a 404 problem that says what to do. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreTileWithoutModelTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of());
    }

    @Test
    void noModelIsA404ProblemSayingHowToTrainOne() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURI()
                + "/model")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
        assertTrue(r.body().contains("train one with ./geocrop train") && r.body().contains("geocrop-crop-type@champion"),
                r.body());
    }
}
