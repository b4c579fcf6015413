package io.geocrop.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTest {
    static final String NAME = "geocrop-crop-type";

    @Test
    void concurrentCallersTrainOnceThenTheModelIsResolved(@TempDir Path dir) throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir, ObjectCreatedListener.NONE);
        store.ensureBuckets();
        ObjectStoreModelRegistry registry = new ObjectStoreModelRegistry(store);
        DemoModel.Config config = new DemoModel.Config(SimFixture.CACHE, SimFixture.SEED, SimFixture.OPTIONS,
                new TrainingParams(8, 4, 0.3, 2, SimFixture.SEED, 0.25), 2);
        AtomicInteger trainings = new AtomicInteger();
        AtomicInteger imageryEvents = new AtomicInteger();
        ProgressListener counting = (stage, done, total) -> {
            if (stage.equals(XgbTrainer.STAGE_TRAIN) && done == total) {
                trainings.incrementAndGet();
            }
            if (stage.equals(Stages.IMAGERY)) {
                imageryEvents.incrementAndGet();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ModelArtifact>> calls = List.of(
                    pool.submit(() -> {
                        go.await();
                        return DemoModel.ensure(registry, NAME, "champion", config, counting);
                    }),
                    pool.submit(() -> {
                        go.await();
                        return DemoModel.ensure(registry, NAME, "champion", config, counting);
                    }));
            go.countDown();
            ModelArtifact a = calls.get(0).get();
            ModelArtifact b = calls.get(1).get();
            assertEquals(1, trainings.get(), "two concurrent callers train once");
            assertEquals(List.of("1"), registry.versions(NAME));
            assertEquals("1", a.card().version());
            assertEquals("1", b.card().version());
        } finally {
            pool.shutdownNow();
        }

        int eventsBefore = imageryEvents.get();
        ModelArtifact again = DemoModel.ensure(registry, NAME, "champion", config, counting);
        assertEquals(1, trainings.get(), "a later call resolves the published model");
        assertEquals(eventsBefore, imageryEvents.get());
        assertEquals(List.of("1"), registry.versions(NAME));

        ModelCard card = again.card();
        assertTrue(card.synthetic(), "the demo model says it was trained on simulated imagery");
        assertEquals(FeatureOrder.HASH_V1, card.featureOrderHash());
        assertEquals(11, card.classCodes().size(), "every class is learnt");
        // Deterministic: the rows that trained it are the fixture's rows, built separately with the same options.
        assertEquals(SimFixture.truthDataset().reference(), card.trainingData());
        assertTrue(card.trainingData().startsWith("embedded ground truth, seed 42, season 2024, tiles "), card.trainingData());
        assertTrue(card.metrics().get("overall_accuracy") > 0.5, "held-out accuracy " + card.metrics());
        assertTrue(again.onnx().length > 1000);

    }

    @Test
    void aDemoModelOfAnOlderLandscapeIsNotCurrentButAnOperatorsModelAlwaysIs() {
        // One feature, two bins: a card that records its training distribution (drift), as XgbTrainer's do.
        io.geocrop.models.TrainingDistribution distribution = new io.geocrop.models.TrainingDistribution(2, 10,
                List.of(new io.geocrop.models.TrainingDistribution.FeatureBins(FeatureOrder.FEATURE_ORDER_V1.get(0),
                        List.of(0.5), List.of(0.5, 0.5, 0.0))));
        java.util.function.BiFunction<String, Boolean, ModelArtifact> model = (data, synthetic) -> new ModelArtifact(
                new ModelCard(NAME, "1", FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1, List.of(1), data,
                        java.util.Map.of(), java.util.Map.of(), 42, synthetic, java.time.Instant.EPOCH,
                        List.of(List.of(5L))).withTrainingDistribution(distribution), new byte[0]);
        String v1 = "embedded ground truth, seed 42, season 2024, tiles 32736-57-1563, at most 3000 px per class, 64 px blocks, rows ab";
        String v2 = "embedded ground truth, seed 42, season 2024, tiles 32736-57-1563, at most 3000 px per class, 64 px blocks, "
                + EmbeddedTruthDataset.SIMULATION_TAG + ", rows ab";
        assertTrue(!DemoModel.current(model.apply(v1, true)), "trained on generator v1: train again");
        assertTrue(DemoModel.current(model.apply(v2, true)));
        ModelArtifact current = model.apply(v2, true);
        assertTrue(!DemoModel.current(new ModelArtifact(current.card().withTrainingDistribution(null), current.onnx())),
                "no training distribution for drift: train again");
        ModelArtifact noConfusion = model.apply(v2, true);
        assertTrue(!DemoModel.current(new ModelArtifact(new ModelCard(NAME, "1", FeatureOrder.HASH_V1,
                FeatureOrder.FEATURE_ORDER_V1, List.of(1), v2, java.util.Map.of(), java.util.Map.of(), 42, true,
                java.time.Instant.EPOCH), noConfusion.onnx())), "no held-out confusion for honest areas: train again");
        assertTrue(DemoModel.current(model.apply("geocrop-datasets/train/2023.csv", false)), "real labels always serve");
    }
}
