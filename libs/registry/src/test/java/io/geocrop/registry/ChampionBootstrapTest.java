package io.geocrop.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.ModelCards;
import io.geocrop.registry.mlflow.LocalMlflowServer;
import io.geocrop.registry.mlflow.MlflowModelRegistry;
import io.geocrop.registry.mlflow.MlflowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-bootstrap Job's program against the local MLflow server (MLflow's REST API over HTTP): a fresh registry
 * gets the configured model as champion, a second run changes nothing, no URL is exit code 2 with a message, and a
 * model of another name is refused.
 */
class ChampionBootstrapTest {
    @TempDir
    Path dir;

    private Path modelFolder(String name) throws Exception {
        ModelCard card = new ModelCard(name, "local", FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1, List.of(1, 2, 3),
                "bootstrap test", Map.of("overall_accuracy", 0.9), Map.of("rounds", "10"), 42L, true,
                Instant.parse("2026-12-01T00:00:00Z"));
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.write(folder.resolve(ModelArtifact.CARD_FILE), ModelCards.toJson(card));
        Files.write(folder.resolve(ModelArtifact.ONNX_FILE), RegistryTestModels.onnxBytes(3));
        return folder;
    }

    @Test
    void aFreshRegistryGetsTheConfiguredModelAsChampionOnce() throws Exception {
        try (LocalMlflowServer mlflow = LocalMlflowServer.start()) {
            Path folder = modelFolder("geocrop-crop-type");
            Map<String, String> env = Map.of("GEOCROP_MLFLOW_TRACKING_URI", mlflow.trackingUri().toString(),
                    "GEOCROP_BOOTSTRAP_MODEL_URL", folder.toUri().toString());
            assertEquals(0, ChampionBootstrap.run(env));
            ModelRegistry registry = MlflowModelRegistry.create(MlflowSettings.of(mlflow.trackingUri()));
            ModelArtifact champion = registry.resolve("geocrop-crop-type", "champion").orElseThrow();
            assertEquals("1", champion.card().version());
            assertArrayEquals(RegistryTestModels.onnxBytes(3), champion.onnx());
            // Again (every Argo CD sync runs the Job): the champion stays, no second version.
            assertEquals(0, ChampionBootstrap.run(env));
            assertEquals("1", registry.resolve("geocrop-crop-type", "champion").orElseThrow().card().version());
        }
    }

    @Test
    void withoutAUrlTheJobSaysHowToPublishOne() throws Exception {
        try (LocalMlflowServer mlflow = LocalMlflowServer.start()) {
            assertEquals(2, ChampionBootstrap.run(Map.of("GEOCROP_MLFLOW_TRACKING_URI", mlflow.trackingUri().toString())));
            assertTrue(MlflowModelRegistry.create(MlflowSettings.of(mlflow.trackingUri())).card("geocrop-crop-type", "champion").isEmpty());
        }
    }

    @Test
    void aModelOfAnotherNameIsRefused() throws Exception {
        try (LocalMlflowServer mlflow = LocalMlflowServer.start()) {
            Path folder = modelFolder("someone-elses-model");
            assertEquals(1, ChampionBootstrap.run(Map.of("GEOCROP_MLFLOW_TRACKING_URI", mlflow.trackingUri().toString(),
                    "GEOCROP_BOOTSTRAP_MODEL_URL", folder.toUri().toString())));
            assertTrue(MlflowModelRegistry.create(MlflowSettings.of(mlflow.trackingUri())).card("geocrop-crop-type", "champion").isEmpty());
        }
    }
}
