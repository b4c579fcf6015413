package io.geocrop.registry;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ModelRegistry} does, whatever its backend. Subclass it, create the backend in a
 * {@code @BeforeEach} or {@code @BeforeAll}, and return clients from {@link #registry()} and
 * {@link #secondClient()}. Each test uses its own model name, so one backend can serve the whole class.
 * Shared through {@code geocrop-registry:test-jar}.
 */
public abstract class ModelRegistryContract {

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The registry under test. */
    protected abstract ModelRegistry registry();

    /** Another client of the same backend (another process's view), for concurrent publishers. */
    protected abstract ModelRegistry secondClient();

    /** A model name no other test uses. */
    protected static String freshName() {
        return "crop-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    @Test
    void publishThenResolveGivesTheSameBytesAndCardWithTheAssignedVersion() {
        String name = freshName();
        ModelArtifact model = RegistryTestModels.artifact(name, 1);

        ModelArtifact published = registry().publish(model, "champion");

        assertEquals("1", published.card().version());
        assertEquals(model.card().withVersion("1"), published.card());
        assertArrayEquals(model.onnx(), published.onnx());
        ModelArtifact resolved = registry().resolve(name, "champion").orElseThrow();
        assertEquals(model.card().withVersion("1"), resolved.card());
        assertArrayEquals(model.onnx(), resolved.onnx());
        assertEquals(Optional.of(model.card().withVersion("1")), registry().card(name, "champion"));
    }

    @Test
    void anotherClientSeesWhatWasPublished() {
        String name = freshName();
        ModelArtifact model = RegistryTestModels.artifact(name, 2);
        registry().publish(model, "champion");

        ModelArtifact resolved = secondClient().resolve(name, "champion").orElseThrow();
        assertArrayEquals(model.onnx(), resolved.onnx());
        assertEquals(model.card().withVersion("1"), resolved.card());
    }

    @Test
    void versionsIncreaseAndTheAliasMovesToTheNewest() {
        String name = freshName();
        List<String> versions = new ArrayList<>();
        for (int salt = 3; salt <= 5; salt++) {
            ModelArtifact model = RegistryTestModels.artifact(name, salt);
            versions.add(registry().publish(model, "champion").card().version());
            ModelArtifact resolved = registry().resolve(name, "champion").orElseThrow();
            assertArrayEquals(model.onnx(), resolved.onnx(), "champion after publishing salt " + salt);
            assertEquals(versions.getLast(), resolved.card().version());
        }
        assertEquals(List.of("1", "2", "3"), versions);
    }

    @Test
    void listsVersionsAndAliasesAndReadsAnyVersion() {
        String name = freshName();
        ModelArtifact first = RegistryTestModels.artifact(name, 31);
        ModelArtifact second = RegistryTestModels.artifact(name, 32);
        registry().publish(first, "champion");
        registry().publish(second, "challenger");
        registry().promote(name, "2", "champion");

        assertEquals(List.of("1", "2"), registry().versions(name));
        assertEquals(List.of("1", "2"), secondClient().versions(name));
        assertEquals(Map.of("champion", "2", "challenger", "2"), registry().aliases(name));
        ModelArtifact one = registry().version(name, "1").orElseThrow();
        assertEquals(first.card().withVersion("1"), one.card());
        assertArrayEquals(first.onnx(), one.onnx());
        assertEquals(Optional.empty(), registry().version(name, "7"));
        assertEquals(List.of(), registry().versions(freshName()), "an unknown name has no versions");
        assertEquals(Map.of(), registry().aliases(freshName()));
        assertEquals(Optional.empty(), registry().version(freshName(), "1"));
        assertThrows(IllegalArgumentException.class, () -> registry().version(name, "01"));
    }

    @Test
    void promotionsAndRollbacksAreRecordedInOrderAndSeenByOtherClients() {
        String name = freshName();
        registry().publish(RegistryTestModels.artifact(name, 33), "champion");
        registry().publish(RegistryTestModels.artifact(name, 34), "challenger");
        java.time.Instant t0 = java.time.Instant.parse("2026-12-07T10:15:30.123Z");
        ModelAuditEntry promotion = new ModelAuditEntry(ModelAuditEntry.PROMOTE, "champion", "2", "1", "ops",
                t0, Map.of("challenger_kappa", 0.82, "champion_kappa", 0.8), "challenger better by 0.02 kappa");
        ModelAuditEntry rollback = new ModelAuditEntry(ModelAuditEntry.ROLLBACK, "champion", "1", "2", "ops",
                t0.plusSeconds(60), Map.of(), "");
        // Written out of order: the audit is read in time order whatever the write order.
        registry().recordAudit(name, rollback);
        registry().recordAudit(name, promotion);

        assertEquals(List.of(promotion, rollback), registry().audit(name));
        assertEquals(List.of(promotion, rollback), secondClient().audit(name));
        assertEquals(List.of(), registry().audit(freshName()), "an unknown name has no audit");
        assertEquals("1", registry().card(name, "champion").orElseThrow().version(), "recording moves no alias");
    }

    @Test
    void publishingUnderOneAliasLeavesTheOthersAlone() {
        String name = freshName();
        ModelArtifact first = RegistryTestModels.artifact(name, 6);
        ModelArtifact second = RegistryTestModels.artifact(name, 7);
        registry().publish(first, "champion");
        registry().publish(second, "challenger");

        assertEquals("1", registry().card(name, "champion").orElseThrow().version());
        assertArrayEquals(first.onnx(), registry().resolve(name, "champion").orElseThrow().onnx());
        assertEquals("2", registry().card(name, "challenger").orElseThrow().version());
        assertArrayEquals(second.onnx(), registry().resolve(name, "challenger").orElseThrow().onnx());
    }

    @Test
    void aMissingAliasIsEmpty() {
        String name = freshName();
        registry().publish(RegistryTestModels.artifact(name, 8), "champion");

        assertEquals(Optional.empty(), registry().resolve(name, "challenger"));
        assertEquals(Optional.empty(), registry().card(name, "challenger"));
    }

    @Test
    void anUnknownNameIsEmpty() {
        assertEquals(Optional.empty(), registry().resolve(freshName(), "champion"));
        assertEquals(Optional.empty(), registry().card(freshName(), ModelRegistry.DEFAULT_ALIAS));
    }

    @Test
    void promoteMovesAnAliasToAnyExistingVersion() {
        String name = freshName();
        ModelArtifact first = RegistryTestModels.artifact(name, 9);
        ModelArtifact second = RegistryTestModels.artifact(name, 10);
        registry().publish(first, "champion");
        registry().publish(second, "champion");

        ModelCard rolledBack = registry().promote(name, "1", "champion");
        assertEquals(first.card().withVersion("1"), rolledBack);
        assertArrayEquals(first.onnx(), registry().resolve(name, "champion").orElseThrow().onnx());

        registry().promote(name, "2", "staging");
        assertArrayEquals(second.onnx(), registry().resolve(name, "staging").orElseThrow().onnx());
        assertEquals("1", registry().card(name, "champion").orElseThrow().version());
    }

    @Test
    void promotingAnUnknownVersionOrModelFails() {
        String name = freshName();
        registry().publish(RegistryTestModels.artifact(name, 11), "champion");

        UnknownModelVersionException missingVersion = assertThrows(UnknownModelVersionException.class,
                () -> registry().promote(name, "7", "champion"));
        assertTrue(missingVersion.getMessage().contains(name) && missingVersion.getMessage().contains("7"),
                missingVersion.getMessage());
        assertThrows(UnknownModelVersionException.class, () -> registry().promote(freshName(), "1", "champion"));
        assertEquals("1", registry().card(name, "champion").orElseThrow().version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Crop", "../escape", "a/b", "a..b", "-lead", "trail-", "sp ace", "a\\b",
            "%2e%2e", "caf\u00e9", "tab\tname", "x.."})
    void badNamesAreRefusedBeforeAnythingHappens(String bad) {
        ModelArtifact model = RegistryTestModels.artifact(bad, 12);
        IllegalArgumentException publish = assertThrows(IllegalArgumentException.class,
                () -> registry().publish(model, "champion"));
        assertTrue(publish.getMessage().startsWith("model name"), publish.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry().resolve(bad, "champion"));
        assertThrows(IllegalArgumentException.class, () -> registry().card(bad, "champion"));
        assertThrows(IllegalArgumentException.class, () -> registry().promote(bad, "1", "champion"));
    }

    @Test
    void overlongAndNullNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry().resolve("a".repeat(101), "champion"));
        assertThrows(IllegalArgumentException.class, () -> registry().resolve(null, "champion"));
        assertThrows(IllegalArgumentException.class, () -> registry().resolve("ok-name", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "latest", "v3", "V3", "a/b", "..", "Champion", "a.b", "-x", "with space", "x/../y"})
    void badAliasesAreRefusedBeforeAnythingHappens(String bad) {
        String name = freshName();
        IllegalArgumentException publish = assertThrows(IllegalArgumentException.class,
                () -> registry().publish(RegistryTestModels.artifact(name, 13), bad));
        assertTrue(publish.getMessage().startsWith("model alias"), publish.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry().resolve(name, bad));
        assertThrows(IllegalArgumentException.class, () -> registry().promote(name, "1", bad));
        // Nothing was published by the refused call.
        assertEquals(Optional.empty(), registry().resolve(name, "champion"));
        registry().publish(RegistryTestModels.artifact(name, 13), "champion");
        assertEquals("1", registry().card(name, "champion").orElseThrow().version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "01", "-1", "1.0", "one", ""})
    void badVersionsAreRefusedByPromote(String bad) {
        String name = freshName();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry().promote(name, bad, "champion"));
        assertTrue(e.getMessage().startsWith("model version"), e.getMessage());
    }

    @Test
    void aModelWithoutOnnxBytesIsRefused() {
        String name = freshName();
        ModelArtifact empty = new ModelArtifact(RegistryTestModels.artifact(name, 14).card(), new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> registry().publish(empty, "champion"));
        assertEquals(Optional.empty(), registry().resolve(name, "champion"));
    }

    @Test
    void anIncompleteCardIsRefused() {
        String name = freshName();
        ModelCard full = RegistryTestModels.artifact(name, 15).card();
        ModelCard noDate = new ModelCard(name, null, full.featureOrderHash(), full.featureNames(), full.classCodes(),
                full.trainingData(), full.metrics(), full.params(), full.seed(), full.synthetic(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry().publish(new ModelArtifact(noDate, RegistryTestModels.onnxBytes(15)), "champion"));
        assertTrue(e.getMessage().contains("created_at"), e.getMessage());
        assertEquals(Optional.empty(), registry().resolve(name, "champion"));
    }

    @Test
    void concurrentPublishersGetDistinctVersions() throws Exception {
        String name = freshName();
        int threads = 4;
        int perThread = 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Map<String, byte[]> bytesByVersion = new ConcurrentHashMap<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ModelRegistry client = t % 2 == 0 ? registry() : secondClient();
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        ModelArtifact model = RegistryTestModels.artifact(name, 20 + thread * perThread + i);
                        String version = client.publish(model, "champion").card().version();
                        assertTrue(bytesByVersion.putIfAbsent(version, model.onnx()) == null,
                                "version " + version + " was given to two publishers");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // Distinct versions for every publish (checked as they arrived). MLflow numbers them 1..8; the bucket
        // registry does too unless a contender gives up on a number (see ObjectStoreModelRegistry), so only the
        // count and the range are asserted here.
        Set<String> expected = new HashSet<>(bytesByVersion.keySet());
        assertEquals(threads * perThread, expected.size());
        assertTrue(expected.stream().allMatch(v -> Long.parseLong(v) >= 1), expected.toString());
        // Every version holds what its publisher wrote.
        for (var e : bytesByVersion.entrySet()) {
            registry().promote(name, e.getKey(), "check");
            assertArrayEquals(e.getValue(), registry().resolve(name, "check").orElseThrow().onnx(), "version " + e.getKey());
        }
        String champion = registry().card(name, "champion").orElseThrow().version();
        assertTrue(expected.contains(champion), champion);
        assertNotEquals(Optional.empty(), secondClient().resolve(name, "champion"));
    }
}
