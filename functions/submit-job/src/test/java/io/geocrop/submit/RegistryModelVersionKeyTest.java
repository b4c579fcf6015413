package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a promotion, an identical request gets a new de-duplication key (a new map), not the old version's job. */
class RegistryModelVersionKeyTest {
    static final String NAME = "crop-key-test";

    static ModelArtifact artifact() {
        ModelCard card = new ModelCard(NAME, null, FeatureOrder.HASH_V1, List.of("b02_p10"), List.of(1, 2, 3),
                "test rows", Map.of("overall_accuracy", 0.87), Map.of("max_depth", "6"), 7L, true,
                Instant.parse("2026-12-01T00:00:00Z"));
        return new ModelArtifact(card, new byte[] {8, 1});
    }

    @Test
    void keysOnTheVersionTheAliasPointsAt(@TempDir Path dir) {
        ObjectStoreModelRegistry registry = registry(dir);
        RegistryModelVersionKey key = new RegistryModelVersionKey(registry);
        String ref = NAME + "@champion";
        assertEquals(ref, key.of(ref), "no model yet: the alias itself");

        registry.publish(artifact(), "champion");
        registry.publish(artifact(), "challenger");
        assertEquals(ref + "=1", key.of(ref));
        JobRequest request = new JobRequest(new Aoi(31.05, -17.83, 500), new Season(2024));
        String before = JobSubmissionService.dedupKey(request, key.of(ref));

        registry.promote(NAME, "2", "champion");
        assertEquals(ref + "=2", key.of(ref));
        assertNotEquals(before, JobSubmissionService.dedupKey(request, key.of(ref)), "a promotion makes a new map");
        assertEquals("no-alias-here", key.of("no-alias-here"));
    }

    @Test
    void withATtlAnAnswerIsReusedSoABurstIsNotABurstOfRegistryRequests(@TempDir Path dir) {
        ObjectStoreModelRegistry registry = registry(dir);
        registry.publish(artifact(), "champion");
        registry.publish(artifact(), "challenger");
        RegistryModelVersionKey key = new RegistryModelVersionKey(registry, Duration.ofHours(1));
        String ref = NAME + "@champion";
        assertEquals(ref + "=1", key.of(ref));
        registry.promote(NAME, "2", "champion");
        assertEquals(ref + "=1", key.of(ref), "within the ttl the remembered answer holds");
        assertEquals(ref + "=2", new RegistryModelVersionKey(registry, Duration.ofHours(1)).of(ref),
                "a fresh key reads the registry");
    }

    private static ObjectStoreModelRegistry registry(Path dir) {
        LocalObjectStore store = new LocalObjectStore(dir, ObjectCreatedListener.NONE);
        store.ensureBuckets();
        return new ObjectStoreModelRegistry(store);
    }
}
