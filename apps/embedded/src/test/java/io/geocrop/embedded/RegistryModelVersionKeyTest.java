package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.submit.JobSubmissionService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a promotion, an identical request gets a new de-duplication key (a new map), not the old version's job. */
class RegistryModelVersionKeyTest {

    @Test
    void keysOnTheVersionTheAliasPointsAt(@TempDir Path dir) {
        LocalObjectStore store = new LocalObjectStore(dir, ObjectCreatedListener.NONE);
        store.ensureBuckets();
        ObjectStoreModelRegistry registry = new ObjectStoreModelRegistry(store);
        RegistryModelVersionKey key = new RegistryModelVersionKey(registry);
        String ref = TestModels.SMALL_NAME + "@champion";
        assertEquals(ref, key.of(ref), "no model yet: the alias itself");

        registry.publish(TestModels.small(), "champion");
        registry.publish(TestModels.small(), "challenger");
        assertEquals(ref + "=1", key.of(ref));
        JobRequest request = new JobRequest(new Aoi(31.05, -17.83, 500), new Season(2024));
        String before = JobSubmissionService.dedupKey(request, key.of(ref));

        registry.promote(TestModels.SMALL_NAME, "2", "champion");
        assertEquals(ref + "=2", key.of(ref));
        assertNotEquals(before, JobSubmissionService.dedupKey(request, key.of(ref)), "a promotion makes a new map");
        assertEquals("no-alias-here", key.of("no-alias-here"));
    }
}
