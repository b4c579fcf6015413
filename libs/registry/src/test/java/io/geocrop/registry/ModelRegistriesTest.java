package io.geocrop.registry;

import io.geocrop.models.ModelCard;
import io.geocrop.registry.mlflow.MlflowModelRegistry;
import io.geocrop.registry.mlflow.MlflowSettings;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings, the factory, names and the card file. */
class ModelRegistriesTest {

    @TempDir
    Path root;

    @Test
    void theBucketIsTheDefaultAndMlflowIsChosenWhenATrackingUriIsSet() {
        MlflowSettings mlflow = MlflowSettings.of(URI.create("http://mlflow.example:5000"));
        try (LocalObjectStore store = new LocalObjectStore(root, ObjectCreatedListener.NONE)) {
            assertInstanceOf(ObjectStoreModelRegistry.class, ModelRegistries.create(RegistrySettings.defaults(), store));
            ModelRegistry auto = ModelRegistries.create(new RegistrySettings(null, null, null, mlflow), store);
            assertInstanceOf(MlflowModelRegistry.class, auto);
            ((MlflowModelRegistry) auto).close();
            assertInstanceOf(ObjectStoreModelRegistry.class, ModelRegistries.create(
                    new RegistrySettings(RegistrySettings.Backend.BUCKET, null, null, mlflow), store));
        }
        RegistrySettings defaults = RegistrySettings.defaults();
        assertEquals("geocrop-crop-type", defaults.modelName());
        assertEquals("champion", defaults.alias());
        assertEquals(RegistrySettings.Backend.BUCKET, defaults.effectiveBackend());
    }

    @Test
    void badSettingsNameTheKey() {
        IllegalArgumentException noUri = assertThrows(IllegalArgumentException.class,
                () -> new RegistrySettings(RegistrySettings.Backend.MLFLOW, null, null, null));
        assertTrue(noUri.getMessage().contains("geocrop.mlflow.tracking-uri"), noUri.getMessage());
        IllegalArgumentException backend = assertThrows(IllegalArgumentException.class,
                () -> RegistrySettings.Backend.parse("minio"));
        assertTrue(backend.getMessage().contains("geocrop.models.registry"), backend.getMessage());
        assertEquals(RegistrySettings.Backend.MLFLOW, RegistrySettings.Backend.parse(" MLflow "));
        assertEquals(RegistrySettings.Backend.AUTO, RegistrySettings.Backend.parse(""));
        assertThrows(IllegalArgumentException.class, () -> new RegistrySettings(null, "Bad Name", null, null));
        assertThrows(IllegalArgumentException.class, () -> new RegistrySettings(null, null, "latest", null));
        assertThrows(IllegalArgumentException.class, () -> MlflowSettings.of(URI.create("ftp://mlflow:21")));
        assertThrows(IllegalArgumentException.class, () -> MlflowSettings.of(URI.create("mlflow:5000")));
        IllegalArgumentException userInfo = assertThrows(IllegalArgumentException.class,
                () -> MlflowSettings.of(URI.create("http://user:pw@mlflow:5000")));
        assertFalse(userInfo.getMessage().contains("pw"), userInfo.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MlflowSettings.of(URI.create("http://mlflow:5000")).withBasicAuth("user", null));
    }

    @Test
    void settingsFromConfigurationValues() {
        assertEquals(java.util.Optional.empty(), MlflowSettings.fromConfig(" ", null, null, null, null, null, null, null));
        MlflowSettings s = MlflowSettings.fromConfig("http://mlflow:5000/", "", "", "", "", null, null, null).orElseThrow();
        assertEquals(URI.create("http://mlflow:5000/"), s.trackingUri());
        assertEquals("geocrop", s.experiment());
        assertNull(s.token());
        assertEquals(MlflowSettings.DEFAULT_MAX_ATTEMPTS, s.maxAttempts());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MlflowSettings.fromConfig("http://mlflow:5000/a b", null, null, null, null, null, null, null));
        assertTrue(bad.getMessage().startsWith("geocrop.mlflow.tracking-uri"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MlflowSettings.fromConfig("http://m:5000", null, "t", "u", "p", null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> MlflowSettings.fromConfig("http://m:5000", null, null, null, null, null, null, 0));
    }

    @Test
    void settingsNeverPrintSecrets() {
        MlflowSettings token = MlflowSettings.of(URI.create("http://mlflow:5000")).withToken("tok-123-secret");
        MlflowSettings basic = MlflowSettings.of(URI.create("http://mlflow:5000")).withBasicAuth("ci", "pw-456-secret");
        assertFalse(token.toString().contains("tok-123-secret"), token.toString());
        assertTrue(token.toString().contains("bearer token"), token.toString());
        assertFalse(basic.toString().contains("pw-456-secret"), basic.toString());
        assertTrue(basic.toString().contains("basic auth as ci"), basic.toString());
        assertFalse(new RegistrySettings(null, null, null, token).toString().contains("tok-123-secret"));
    }

    @Test
    void goodNamesPass() {
        for (String name : List.of("geocrop-crop-type", "a", "crop.v2_x", "0", "x".repeat(100))) {
            assertEquals(name, RegistryNames.requireModelName(name));
        }
        for (String alias : List.of("champion", "challenger", "a", "prod_2026", "v", "version2", "x".repeat(63))) {
            assertEquals(alias, RegistryNames.requireAlias(alias));
        }
        assertThrows(IllegalArgumentException.class, () -> RegistryNames.requireAlias("x".repeat(64)));
    }

    @Test
    void theCardFileIsTheModelsModuleFormatWithItsLocationInErrors() {
        ModelCard card = RegistryTestModels.artifact("m", 1).card().withVersion("3");
        String json = new String(ModelCardJson.write(card), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"feature_order_hash\" : \"sha256:feature-order-v1-test\"")
                && json.contains("\"class_codes\"") && json.contains("\"created_at\" : \"2026-11-23T10:15:31.123456789Z\""),
                json);
        assertEquals(card, ModelCardJson.read(json.getBytes(StandardCharsets.UTF_8), "test"));
        String withExtra = json.replaceFirst("\\{", "{\"added_later\": [1, 2],");
        assertEquals(card, ModelCardJson.read(withExtra.getBytes(StandardCharsets.UTF_8), "test"));

        assertThrows(IllegalArgumentException.class, () -> ModelCardJson.write(card.withVersion(null)));
        RegistryException missing = assertThrows(RegistryException.class, () -> ModelCardJson.read(
                "{\"name\":\"m\"}".getBytes(StandardCharsets.UTF_8), "s3://geocrop-models/m/versions/1/model-card.json"));
        assertTrue(missing.getMessage().startsWith("s3://geocrop-models/m/versions/1/model-card.json: model card lacks"),
                missing.getMessage());
        assertThrows(RegistryException.class, () -> ModelCardJson.read(json.replace("2026-11-23T10:15:31.123456789Z",
                "yesterday").getBytes(StandardCharsets.UTF_8), "x"));
        ModelCard noData = new ModelCard("m", "1", "h", List.of(), List.of(), null, Map.of(), Map.of(), 1, false,
                Instant.EPOCH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCardJson.requirePublishable(noData));
        assertTrue(e.getMessage().contains("training_data"), e.getMessage());
    }
}
