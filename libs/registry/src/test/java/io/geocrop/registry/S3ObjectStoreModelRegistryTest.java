package io.geocrop.registry;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.InProcessS3;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract on S3 (s3proxy in-process, the same protocol as MinIO), with two S3 clients as two processes. */
class S3ObjectStoreModelRegistryTest extends ModelRegistryContract {

    private static InProcessS3 s3;
    private static S3ObjectStore store;
    private static S3ObjectStore secondStore;
    private static ObjectStoreModelRegistry registry;
    private static ObjectStoreModelRegistry second;

    @BeforeAll
    static void start() throws Exception {
        s3 = InProcessS3.start("registry-access", "registry-secret-key");
        store = S3ObjectStore.create(s3.settings());
        store.ensureBuckets();
        secondStore = S3ObjectStore.create(s3.settings());
        registry = new ObjectStoreModelRegistry(store);
        second = new ObjectStoreModelRegistry(secondStore);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        secondStore.close();
        s3.close();
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
    void theObjectsAreInTheModelsBucket() {
        String name = freshName();
        registry.publish(RegistryTestModels.artifact(name, 1), "champion");

        List<String> keys = store.list(Bucket.MODELS, name + "/").stream().map(ObjectInfo::key)
                .filter(k -> !k.contains("/claims/")).toList();
        assertEquals(List.of(name + "/aliases/champion.json", name + "/versions/1/model-card.json",
                name + "/versions/1/model.onnx"), keys);
        assertEquals(RegistryTestModels.onnxBytes(1).length,
                store.head(Bucket.MODELS, name + "/versions/1/model.onnx").orElseThrow().size());
    }
}
