package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.events.InProcessEventRouter;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** MinIO's webhook POSTs become CloudEvents (S3 adapter mapping), guarded by the bearer token. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinioWebhookTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;
    @Inject InProcessEventRouter router;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of("geocrop.webhook.token", "minio-token"));
    }

    static Path data(String relative) {
        String root = System.getProperty("geocrop.shared.data", "../../../shared/data");
        return Path.of(root, relative);
    }

    @Test
    void publishesOneEventPerRecord() throws Exception {
        HttpTestClient http = new HttpTestClient(server.getURI());
        byte[] minio = Files.readAllBytes(data("minio-events/minio/minio-docs-objectcreated-put.json"));
        byte[] awsTest = Files.readAllBytes(data("minio-events/aws/awsdocs-s3-testevent.json"));

        assertEquals(401, http.send("POST", "/webhooks/minio", "application/json", minio, Map.of()).status());
        assertEquals(401, http.send("POST", "/webhooks/minio", "application/json", minio,
                Map.of("Authorization", "Bearer nope")).status());

        HttpTestClient.Reply ok = http.send("POST", "/webhooks/minio", "application/json", minio,
                Map.of("Authorization", "Bearer minio-token"));
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1, ok.json().get("published").asInt());

        HttpTestClient.Reply test = http.send("POST", "/webhooks/minio", "application/json", awsTest,
                Map.of("Authorization", "Bearer minio-token"));
        assertEquals(200, test.status(), test.body());
        assertEquals(0, test.json().get("published").asInt());

        HttpTestClient.Reply garbage = http.send("POST", "/webhooks/minio", "application/json", "{\"Records\": 5}".getBytes(),
                Map.of("Authorization", "Bearer minio-token"));
        assertEquals(400, garbage.status(), garbage.body());
        assertTrue(garbage.header("Content-Type").startsWith("application/problem+json"));
    }
}
