package io.geocrop.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.models.ModelArtifact;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on the embedded store, plus the bucket layout and what happens when the bucket is damaged. */
class LocalObjectStoreModelRegistryTest extends ModelRegistryContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    private LocalObjectStore store;
    private LocalObjectStore secondStore;
    private ObjectStoreModelRegistry registry;
    private ObjectStoreModelRegistry second;

    @BeforeEach
    void open() {
        store = new LocalObjectStore(root.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        // A second store object on the same directory: what another process sees.
        secondStore = new LocalObjectStore(root.resolve("store"), ObjectCreatedListener.NONE);
        registry = new ObjectStoreModelRegistry(store);
        second = new ObjectStoreModelRegistry(secondStore);
    }

    @AfterEach
    void close() {
        store.close();
        secondStore.close();
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
    void theBucketHoldsTheDocumentedLayout() throws Exception {
        ModelArtifact model = RegistryTestModels.artifact("geocrop-crop-type", 1);
        registry.publish(model, "champion");
        registry.publish(RegistryTestModels.artifact("geocrop-crop-type", 2), "champion");

        List<String> keys = store.list(Bucket.MODELS, "geocrop-crop-type/").stream().map(ObjectInfo::key)
                .filter(k -> !k.contains("/claims/")).toList();
        assertEquals(List.of("geocrop-crop-type/aliases/champion.json",
                "geocrop-crop-type/versions/1/model-card.json", "geocrop-crop-type/versions/1/model.onnx",
                "geocrop-crop-type/versions/2/model-card.json", "geocrop-crop-type/versions/2/model.onnx"), keys);
        assertArrayEquals(model.onnx(),
                Files.readAllBytes(store.pathOf(Bucket.MODELS, "geocrop-crop-type/versions/1/model.onnx")));

        JsonNode pointer = JSON.readTree(read("geocrop-crop-type/aliases/champion.json"));
        assertEquals("2", pointer.get("version").asText());
        assertEquals("geocrop-crop-type", pointer.get("name").asText());
        assertEquals("champion", pointer.get("alias").asText());
        assertTrue(pointer.hasNonNull("updated_at"));

        JsonNode card = JSON.readTree(read("geocrop-crop-type/versions/1/model-card.json"));
        assertEquals("1", card.get("version").asText());
        assertEquals("sha256:feature-order-v1-test", card.get("feature_order_hash").asText());
        assertEquals(3, card.get("feature_names").size());
        assertEquals(List.of(1, 2, 3, 8), JSON.convertValue(card.get("class_codes"), List.class));
        assertTrue(card.get("metrics").has("overall_accuracy"));
        assertEquals("61", card.get("params").get("rounds").asText());
        assertEquals("2026-11-23T10:15:31.123456789Z", card.get("created_at").asText());
        assertEquals(List.of("1", "2"), registry.versions("geocrop-crop-type"));
    }

    @Test
    void aStaleClaimOfACrashedPublisherIsSkipped() {
        store.put(Bucket.MODELS, "crop/versions/1/claims/dead-publisher.json", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");

        ModelArtifact published = registry.publish(RegistryTestModels.artifact("crop", 3), "champion");

        assertEquals("2", published.card().version());
        assertEquals(List.of("2"), registry.versions("crop"));
        assertEquals("2", registry.card("crop", "champion").orElseThrow().version());
    }

    @Test
    void anAliasPointingAtAVersionWhoseFilesAreGoneIsAClearError() {
        registry.publish(RegistryTestModels.artifact("crop", 4), "champion");
        store.delete(Bucket.MODELS, "crop/versions/1/model.onnx");

        RegistryException e = assertThrows(RegistryException.class, () -> registry.resolve("crop", "champion"));
        assertTrue(e.getMessage().contains("s3://geocrop-models/crop/versions/1/model.onnx is missing"), e.getMessage());
        // The card alone is still there.
        assertEquals("1", registry.card("crop", "champion").orElseThrow().version());
    }

    @Test
    void aDamagedAliasPointerOrCardIsAClearError() {
        registry.publish(RegistryTestModels.artifact("crop", 5), "champion");
        store.put(Bucket.MODELS, "crop/aliases/broken.json", "{not json".getBytes(StandardCharsets.UTF_8), null);
        store.put(Bucket.MODELS, "crop/aliases/escape.json",
                "{\"version\":\"../../x\"}".getBytes(StandardCharsets.UTF_8), null);
        store.put(Bucket.MODELS, "crop/versions/1/model-card.json", "[]".getBytes(StandardCharsets.UTF_8), null);

        RegistryException broken = assertThrows(RegistryException.class, () -> registry.resolve("crop", "broken"));
        assertTrue(broken.getMessage().contains("crop/aliases/broken.json is not valid JSON"), broken.getMessage());
        RegistryException escape = assertThrows(RegistryException.class, () -> registry.resolve("crop", "escape"));
        assertTrue(escape.getMessage().contains("names an invalid version"), escape.getMessage());
        RegistryException card = assertThrows(RegistryException.class, () -> registry.resolve("crop", "champion"));
        assertTrue(card.getMessage().contains("crop/versions/1/model-card.json: model card must be a JSON object"),
                card.getMessage());
    }

    @Test
    void aRefusedNameWritesNothing() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> registry.publish(RegistryTestModels.artifact("../../etc", 6), "champion"));
        try (Stream<Path> files = Files.walk(store.root().resolve(Bucket.MODELS.bucketName()))) {
            assertFalse(files.anyMatch(Files::isRegularFile));
        }
    }

    @Test
    void publishDoesNotMoveAnAliasBackwards() {
        registry.publish(RegistryTestModels.artifact("crop", 7), "champion");
        registry.publish(RegistryTestModels.artifact("crop", 8), "champion");
        // As if a slower publisher of version 3 finished after version 4 had moved the alias.
        store.put(Bucket.MODELS, "crop/aliases/champion.json",
                "{\"name\":\"crop\",\"alias\":\"champion\",\"version\":\"9\"}".getBytes(StandardCharsets.UTF_8), null);

        assertEquals("3", registry.publish(RegistryTestModels.artifact("crop", 9), "champion").card().version());

        JsonNode pointer = readJson("crop/aliases/champion.json");
        assertEquals("9", pointer.get("version").asText());
    }

    private JsonNode readJson(String key) {
        try {
            return JSON.readTree(read(key));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] read(String key) throws java.io.IOException {
        try (var in = store.get(Bucket.MODELS, key).orElseThrow()) {
            return in.readAllBytes();
        }
    }
}
