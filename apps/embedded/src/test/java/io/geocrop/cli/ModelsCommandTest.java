package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.features.FeatureOrder;
import io.geocrop.models.HoldOutComparison;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.SyntheticRows;
import io.geocrop.models.TestModels;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import io.geocrop.registry.ModelAuditEntry;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geocrop models}: list, evaluate, promote and rollback on the bucket registry under --home. */
class ModelsCommandTest {

    private static final String NAME = "geocrop-crop-type";
    private static final String SMALL = TestModels.SMALL_NAME;

    private static ModelRegistry bucket(Path home) {
        LocalObjectStore store = new LocalObjectStore(home.resolve("storage"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        return new ObjectStoreModelRegistry(store);
    }

    private static TrainingData rows() {
        return SyntheticRows.generate(3_000, TestModels.CLASS_CODES, FeatureOrder.COUNT, 0.6, 0.05, 40, 5);
    }

    private static ModelArtifact trained(TrainingData data, int rounds, int depth) {
        return new XgbTrainer().train(data, new TrainingParams(rounds, depth, 0.3, 1, 42, 0.25), NAME, "synthetic rows",
                true, ProgressListener.NONE).artifact();
    }

    @Test
    void evaluateScoresBothOnTheSameHoldOutAndPromoteRefusesAWorseChallenger() {
        TrainingData data = rows();
        ModelArtifact strong = trained(data, 30, 5);
        ModelArtifact weak = trained(data, 1, 1);
        HoldOutComparison.Comparison c = ModelsCommand.compare(weak, strong, data, 0.25, 42);
        assertEquals(c.challenger().evaluation().testRows(), c.champion().evaluation().testRows(), "same rows");
        assertTrue(c.kappaDifference().value() < -0.01, "a 1-round stump is worse: " + c.kappaDifference());
        String report = ModelsCommand.report(c, weak.card().withVersion("2"), strong.card().withVersion("1"), "champion");
        assertTrue(report.contains("Overall accuracy"), report);
        assertTrue(report.contains("F1 maize"), report);
        assertTrue(report.matches("(?s).*Kappa\\s+\\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\].*"), report);

        ModelsCommand.Decision refused = ModelsCommand.decide(c, 0.01, false);
        assertFalse(refused.promote(), refused.note());
        assertTrue(refused.note().contains("--force"), refused.note());
        ModelsCommand.Decision forced = ModelsCommand.decide(c, 0.01, true);
        assertTrue(forced.promote());
        assertTrue(forced.note().startsWith("forced:"), forced.note());
        assertTrue(ModelsCommand.decide(ModelsCommand.compare(strong, weak, data, 0.25, 42), 0.01, false).promote(),
                "a better challenger is promoted");
        assertTrue(ModelsCommand.decide(c, 1.0, false).promote(), "within a wide margin");
        String env = System.getenv("GEOCROP_MODELS_PROMOTE_MARGIN");
        assertEquals(env == null || env.isBlank() ? 0.01 : Double.parseDouble(env), ModelsCommand.configuredMargin(), 1e-12,
                "geocrop.models.promote-margin from application.yml");
    }

    @Test
    void promoteRollbackAndListThroughTheCommandLine(@TempDir Path home) {
        ModelRegistry registry = bucket(home);
        registry.publish(TestModels.small(), "champion");
        registry.publish(TestModels.small(), "challenger");
        String h = home.toString();

        CliRun refused = CliRun.of("models", "promote", "2", "--home", h, "--name", SMALL, "--user", "alice");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("labelled hold-out first"), refused.err());
        assertEquals("1", registry.aliases(SMALL).get("champion"), "nothing moved");

        CliRun forced = CliRun.of("models", "promote", "challenger", "--force", "--home", h, "--name", SMALL, "--user", "alice");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("2", registry.aliases(SMALL).get("champion"));

        CliRun back = CliRun.of("models", "rollback", "--home", h, "--name", SMALL, "--user", "bob");
        assertEquals(0, back.code(), back.err());
        assertTrue(back.out().contains("version 1 (was 2)"), back.out());
        assertEquals("1", registry.aliases(SMALL).get("champion"));

        List<ModelAuditEntry> audit = registry.audit(SMALL);
        assertEquals(2, audit.size());
        assertEquals(List.of("promote", "rollback"), audit.stream().map(ModelAuditEntry::action).toList());
        assertEquals("alice", audit.get(0).user());
        assertEquals("1", audit.get(0).previousVersion());
        assertEquals("bob", audit.get(1).user());
        assertEquals("2", audit.get(1).previousVersion());

        CliRun list = CliRun.of("models", "list", "--home", h, "--name", SMALL);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().matches("(?s).*\\n1\\s+champion\\s+yes.*"), list.out());
        assertTrue(list.out().matches("(?s).*\\n2\\s+challenger\\s+yes.*"), list.out());
        assertTrue(list.out().contains("promote  champion: 1 -> 2 by alice"), list.out());
        assertTrue(list.out().contains("rollback champion: 2 -> 1 by bob"), list.out());

        CliRun nothing = CliRun.of("models", "rollback", "--home", h, "--name", SMALL);
        assertEquals(3, nothing.code(), nothing.err());
        assertTrue(nothing.err().contains("use --to VERSION"), nothing.err());
    }

    @Test
    void theAuditNamesWhatCameBeforeAPromotion() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        List<ModelAuditEntry> audit = List.of(
                new ModelAuditEntry("promote", "champion", "2", "1", "a", t, Map.of(), ""),
                new ModelAuditEntry("promote", "champion", "3", "2", "a", t.plusSeconds(1), Map.of(), ""));
        assertEquals("2", ModelsCommand.previousVersion(audit, "champion", "3").orElseThrow());
        assertEquals("1", ModelsCommand.previousVersion(audit, "champion", "2").orElseThrow());
        assertTrue(ModelsCommand.previousVersion(audit, "staging", "3").isEmpty());
        List<ModelAuditEntry> rolledBack = List.of(audit.get(0),
                new ModelAuditEntry("rollback", "champion", "1", "2", "b", t.plusSeconds(2), Map.of(), ""));
        assertTrue(ModelsCommand.previousVersion(rolledBack, "champion", "1").isEmpty(), "a rollback is not undone");
        assertTrue(Clock.fixed(t, ZoneOffset.UTC).instant().equals(t));
    }
}
