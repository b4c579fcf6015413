package io.geocrop.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.models.ModelArtifact;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.ModelRegistryContract;
import io.geocrop.registry.RegistryException;
import io.geocrop.registry.RegistryTestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against {@link LocalMlflowServer}, plus what MLflow holds after a publish, auth, retries, errors. */
class MlflowModelRegistryTest extends ModelRegistryContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalMlflowServer server;
    private static MlflowModelRegistry registry;
    private static MlflowModelRegistry second;

    @BeforeAll
    static void start() throws Exception {
        server = LocalMlflowServer.start();
        registry = MlflowModelRegistry.create(MlflowSettings.of(server.trackingUri()));
        second = MlflowModelRegistry.create(MlflowSettings.of(server.trackingUri()));
    }

    @AfterAll
    static void stop() {
        registry.close();
        second.close();
        server.close();
    }

    @Override
    protected ModelRegistry registry() {
        return registry;
    }

    @Override
    protected ModelRegistry secondClient() {
        return second;
    }

    @Test
    void publishLogsARunAndRegistersItsModelFolderInTheDocumentedOrder() throws Exception {
        try (LocalMlflowServer fresh = LocalMlflowServer.start();
             MlflowModelRegistry mlflow = MlflowModelRegistry.create(
                     MlflowSettings.of(fresh.trackingUri()).withExperiment("geocrop-test"))) {
            ModelArtifact model = RegistryTestModels.artifact("geocrop-crop-type", 3);

            mlflow.publish(model, "champion");

            LocalMlflowServer.VersionView version = fresh.modelVersion("geocrop-crop-type", "1");
            LocalMlflowServer.RunView run = fresh.run(version.runId());
            assertEquals("FINISHED", run.status());
            assertNotNull(run.endTime());
            assertEquals(run.artifactUri() + "/model", version.source());
            assertEquals("mlflow-artifacts:/1/" + run.runId() + "/artifacts", run.artifactUri());
            assertEquals(Map.of("rounds", "63", "max_depth", "6", "eta", "0.3", "seed", "45", "feature_count", "3"),
                    run.params());
            assertEquals(model.card().metrics(), run.metrics());
            assertEquals("geocrop-crop-type", run.tags().get("geocrop.model_name"));
            assertEquals("sha256:feature-order-v1-test", run.tags().get("geocrop.feature_order_hash"));
            assertEquals("false", run.tags().get("geocrop.synthetic"));
            assertEquals("geocrop-crop-type", run.tags().get("mlflow.runName"));
            String user = System.getenv().getOrDefault("GEOCROP_USER", System.getProperty("user.name"));
            assertEquals(user, run.tags().get("mlflow.user"), "the run names who published it");

            String folder = "1/" + run.runId() + "/artifacts/model/";
            assertArrayEquals(model.onnx(), fresh.artifact(folder + "model.onnx"));
            JsonNode card = JSON.readTree(fresh.artifact(folder + "model-card.json"));
            assertEquals("1", card.get("version").asText(), "the run's card carries the registry's version");
            assertEquals("geocrop-crop-type", card.get("name").asText());
            String mlmodel = new String(fresh.artifact(folder + "MLmodel"), StandardCharsets.UTF_8);
            assertTrue(mlmodel.contains("  onnx:\n    data: model.onnx\n"), mlmodel);
            assertTrue(mlmodel.contains("run_id: " + run.runId() + "\n"), mlmodel);
            assertTrue(mlmodel.contains("mlflow_version: 2.10.2\n"), mlmodel);
            assertTrue(mlmodel.matches("(?s).*\nmodel_uuid: [0-9a-f]{32}\n.*"), mlmodel);

            String runPath = "/api/2.0/mlflow-artifacts/artifacts/1/" + run.runId() + "/artifacts/model/";
            assertEquals(List.of(
                    "POST /api/2.0/mlflow/experiments/create",
                    "POST /api/2.0/mlflow/runs/create",
                    "POST /api/2.0/mlflow/runs/log-batch",
                    "PUT " + runPath + "model.onnx",
                    "PUT " + runPath + "MLmodel",
                    "POST /api/2.0/mlflow/registered-models/create",
                    "POST /api/2.0/mlflow/model-versions/create",
                    "PUT " + runPath + "model-card.json",
                    "POST /api/2.0/mlflow/runs/update",
                    "POST /api/2.0/mlflow/registered-models/alias"), fresh.requests());

            mlflow.resolve("geocrop-crop-type", "champion").orElseThrow();
            assertEquals(List.of(
                    "GET /api/2.0/mlflow/registered-models/alias",
                    "GET /api/2.0/mlflow/model-versions/get-download-uri",
                    "GET " + runPath + "model-card.json",
                    "GET " + runPath + "model.onnx"), fresh.requests().subList(10, 14));
        }
    }

    @Test
    void anExistingExperimentAndRegisteredModelAreReused() throws Exception {
        try (LocalMlflowServer fresh = LocalMlflowServer.start();
             MlflowModelRegistry a = MlflowModelRegistry.create(MlflowSettings.of(fresh.trackingUri()));
             MlflowModelRegistry b = MlflowModelRegistry.create(MlflowSettings.of(fresh.trackingUri()))) {
            a.publish(RegistryTestModels.artifact("crop", 1), "champion");
            b.publish(RegistryTestModels.artifact("crop", 2), "champion");

            // b found the experiment a created (RESOURCE_ALREADY_EXISTS, then get-by-name) and logged its run there.
            assertTrue(fresh.requests().contains("GET /api/2.0/mlflow/experiments/get-by-name"), fresh.requests().toString());
            assertEquals("1", fresh.run(fresh.modelVersion("crop", "2").runId()).experimentId());
            assertEquals("2", a.card("crop", "champion").orElseThrow().version());
        }
    }

    @Test
    void aBearerTokenIsSentAndAWrongOneIsAClearErrorThatDoesNotShowIt() throws Exception {
        try (LocalMlflowServer secured = LocalMlflowServer.start()) {
            secured.requireBearerToken("s3cr3t-token-value");
            try (MlflowModelRegistry withToken = MlflowModelRegistry.create(
                    MlflowSettings.of(secured.trackingUri()).withToken("s3cr3t-token-value"));
                 MlflowModelRegistry wrong = MlflowModelRegistry.create(
                         MlflowSettings.of(secured.trackingUri()).withToken("wrong-token-value"));
                 MlflowModelRegistry none = MlflowModelRegistry.create(MlflowSettings.of(secured.trackingUri()))) {
                withToken.publish(RegistryTestModels.artifact("crop", 4), "champion");
                assertEquals("1", withToken.card("crop", "champion").orElseThrow().version());

                MlflowException denied = assertThrows(MlflowException.class, () -> wrong.resolve("crop", "champion"));
                assertEquals(401, denied.status());
                assertTrue(denied.getMessage().contains("check geocrop.mlflow.token"), denied.getMessage());
                assertFalse(denied.getMessage().contains("wrong-token-value"), denied.getMessage());
                assertFalse(wrong.toString().contains("wrong-token-value"), wrong.toString());
                assertEquals(401, assertThrows(MlflowException.class, () -> none.resolve("crop", "champion")).status());
            }
        }
    }

    @Test
    void basicAuthIsSentAsTheClusterMlflowWantsIt() throws Exception {
        // infra/k8s/410-mlflow-deployment.yaml runs MLflow with --app-name basic-auth; score-tile reads as its own user.
        try (LocalMlflowServer secured = LocalMlflowServer.start()) {
            secured.requireBasicAuth("score-tile", "p4ss-w0rd-of-score-tile");
            try (MlflowModelRegistry user = MlflowModelRegistry.create(
                    MlflowSettings.of(secured.trackingUri()).withBasicAuth("score-tile", "p4ss-w0rd-of-score-tile"));
                 MlflowModelRegistry wrong = MlflowModelRegistry.create(
                         MlflowSettings.of(secured.trackingUri()).withBasicAuth("score-tile", "not-the-password"))) {
                user.publish(RegistryTestModels.artifact("crop", 4), "champion");
                assertEquals("1", user.card("crop", "champion").orElseThrow().version());
                String runId = secured.modelVersion("crop", "1").runId();
                assertEquals("score-tile", secured.run(runId).tags().get("mlflow.user"),
                        "with basic auth the run names the MLflow account");
                MlflowException denied = assertThrows(MlflowException.class, () -> wrong.resolve("crop", "champion"));
                assertEquals(401, denied.status());
                assertTrue(denied.getMessage().contains("username/password"), denied.getMessage());
                assertFalse(denied.getMessage().contains("not-the-password"), denied.getMessage());
            }
        }
    }

    @Test
    void transientServerErrorsAreRetriedAndPersistentOnesReported() throws Exception {
        try (LocalMlflowServer flaky = LocalMlflowServer.start();
             MlflowModelRegistry mlflow = MlflowModelRegistry.create(MlflowSettings.of(flaky.trackingUri()))) {
            mlflow.publish(RegistryTestModels.artifact("crop", 5), "champion");

            flaky.failNext(2, 503);
            assertEquals("1", mlflow.card("crop", "champion").orElseThrow().version());

            flaky.failNext(100, 500);
            MlflowException e = assertThrows(MlflowException.class, () -> mlflow.resolve("crop", "champion"));
            assertEquals(500, e.status());
            assertTrue(e.getMessage().contains("GET /api/2.0/mlflow/registered-models/alias answered 500"), e.getMessage());
            assertEquals(MlflowSettings.DEFAULT_MAX_ATTEMPTS, flaky.requests().stream()
                    .skip(flaky.requests().size() - MlflowSettings.DEFAULT_MAX_ATTEMPTS - 1L)
                    .filter(r -> r.equals("GET /api/2.0/mlflow/registered-models/alias")).count());
        }
    }

    @Test
    void creatingARunIsNotRepeatedAfterAServerError() throws Exception {
        try (LocalMlflowServer flaky = LocalMlflowServer.start();
             MlflowModelRegistry mlflow = MlflowModelRegistry.create(MlflowSettings.of(flaky.trackingUri()))) {
            mlflow.publish(RegistryTestModels.artifact("crop", 6), "champion"); // experiment id now known
            int before = flaky.requests().size();

            flaky.failNext(1, 500);
            MlflowException e = assertThrows(MlflowException.class,
                    () -> mlflow.publish(RegistryTestModels.artifact("crop", 7), "champion"));

            assertEquals(500, e.status());
            assertEquals(List.of("POST /api/2.0/mlflow/runs/create"), flaky.requests().subList(before, flaky.requests().size()));
            assertEquals("1", mlflow.card("crop", "champion").orElseThrow().version());
        }
    }

    @Test
    void anUnreachableServerFailsQuicklyWithTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        try (MlflowModelRegistry mlflow = MlflowModelRegistry.create(
                MlflowSettings.of(uri).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), 2))) {
            MlflowException e = assertThrows(MlflowException.class, () -> mlflow.resolve("crop", "champion"));
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("after 2 attempt(s)"),
                    e.getMessage());
        }
    }

    @Test
    void aVersionNotPublishedByGeoCropOrNotBehindTheArtifactProxyIsAClearError() throws Exception {
        try (LocalMlflowServer fresh = LocalMlflowServer.start();
             MlflowRestClient client = new MlflowRestClient(MlflowSettings.of(fresh.trackingUri()));
             MlflowModelRegistry mlflow = new MlflowModelRegistry(
                     new MlflowRestClient(MlflowSettings.of(fresh.trackingUri())), "geocrop", Clock.systemUTC())) {
            client.createRegisteredModel("foreign", null);
            client.createModelVersion("foreign", "mlflow-artifacts:/0/abc/artifacts/model", null);
            client.createModelVersion("foreign", "s3://mlflow/0/abc/artifacts/model", null);
            client.setAlias("foreign", "champion", "1");
            client.setAlias("foreign", "s3", "2");

            RegistryException noCard = assertThrows(RegistryException.class, () -> mlflow.resolve("foreign", "champion"));
            assertTrue(noCard.getMessage().contains("has no model-card.json")
                    && noCard.getMessage().contains("not published by GeoCrop"), noCard.getMessage());
            MlflowException s3 = assertThrows(MlflowException.class, () -> mlflow.resolve("foreign", "s3"));
            assertTrue(s3.getMessage().contains("--serve-artifacts"), s3.getMessage());
            assertEquals(Optional.empty(), mlflow.resolve("foreign", "challenger"));
        }
    }

    @Test
    void artifactPathsFollowTheRunsArtifactUri() {
        assertEquals("1/94dcf295602e4b74b5fbbe62d2d9af26/artifacts/model/MLmodel", MlflowRestClient.artifactPath(
                "mlflow-artifacts:/1/94dcf295602e4b74b5fbbe62d2d9af26/artifacts", "model/MLmodel"));
        assertEquals("1/run/artifacts/model/model.onnx",
                MlflowRestClient.artifactPath("mlflow-artifacts://mlflow.example:5000/1/run/artifacts/model", "model.onnx"));
        assertEquals("1/run/a%20b/x", MlflowRestClient.artifactPath("mlflow-artifacts:/1/run/a b", "x"));
        assertThrows(MlflowException.class, () -> MlflowRestClient.artifactPath("mlflow-artifacts:/1/../../etc", "x"));
        assertThrows(MlflowException.class, () -> MlflowRestClient.artifactPath("file:///tmp/mlruns/1", "x"));
        assertThrows(MlflowException.class, () -> MlflowRestClient.artifactPath(null, "x"));
    }
}
