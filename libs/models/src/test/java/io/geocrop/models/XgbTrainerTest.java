package io.geocrop.models;

import io.geocrop.features.FeatureOrder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XgbTrainerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    static final TrainingParams PARAMS = new TrainingParams(8, 4, 0.3, 1, 42, 0.25);
    /** Two threads: hist must be deterministic with the thread count production uses. */
    static final TrainingParams TWO_THREADS = new TrainingParams(5, 4, 0.3, 2, 42, 0.25);

    static TrainingData data(List<Integer> codes, long seed) {
        return SyntheticRows.generate(3_000, codes, FeatureOrder.COUNT, 0.4, 0.05, 50, seed);
    }

    @Test
    void sameDataAndParamsGiveTheSameModelAndMetrics() {
        TrainingData d = SyntheticRows.generate(2_000, TestModels.CLASS_CODES, FeatureOrder.COUNT, 0.6, 0.05, 50, 1);
        TrainedModel a = new XgbTrainer(CLOCK).train(d, TWO_THREADS, "m", "ref", true, ProgressListener.NONE);
        TrainedModel b = new XgbTrainer(CLOCK).train(d, TWO_THREADS, "m", "ref", true, ProgressListener.NONE);
        assertArrayEquals(a.artifact().onnx(), b.artifact().onnx(), "ONNX bytes");
        assertEquals(a.artifact().card(), b.artifact().card());
        assertEquals(a.evaluation().overallAccuracy(), b.evaluation().overallAccuracy());
        assertArrayEquals(a.evaluation().confusion(), b.evaluation().confusion());
        assertArrayEquals(a.evaluation().confusion(), a.artifact().card().heldOutConfusionArray(),
                "the card records the held-out confusion for error-adjusted areas");
        TrainedModel other = new XgbTrainer(CLOCK).train(d, new TrainingParams(5, 4, 0.3, 1, 43, 0.25), "m", "ref",
                true, ProgressListener.NONE);
        assertTrue(!Arrays.equals(a.artifact().onnx(), other.artifact().onnx()), "another seed, another split");
    }

    @Test
    void cardAndEvaluationDescribeTheModel() {
        List<Integer> codes = List.of(2, 5, 9);   // not contiguous: indices 0..2 map back to these codes
        TrainingData d = data(codes, 2);
        List<String> stages = new ArrayList<>();
        List<Long> rounds = new ArrayList<>();
        TrainedModel m = new XgbTrainer(CLOCK).train(d, PARAMS, "geocrop-crop-type", "s3://x/train.csv", false,
                (stage, done, total) -> {
                    stages.add(stage);
                    if (stage.equals(XgbTrainer.STAGE_TRAIN)) {
                        assertEquals(PARAMS.rounds(), total);
                        rounds.add(done);
                    }
                });
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), rounds, "one report per boosting round");
        assertEquals(XgbTrainer.STAGE_EXPORT, stages.getLast());

        ModelCard card = m.artifact().card();
        assertEquals("geocrop-crop-type", card.name());
        assertEquals("0", card.version());
        assertEquals(FeatureOrder.HASH_V1, card.featureOrderHash());
        assertEquals(FeatureOrder.FEATURE_ORDER_V1, card.featureNames());
        assertEquals(codes, card.classCodes());
        assertEquals("s3://x/train.csv", card.trainingData());
        assertEquals(42, card.seed());
        assertEquals(CLOCK.instant(), card.createdAt());
        assertEquals("8", card.params().get("rounds"));
        assertEquals("3", card.params().get("num_class"));

        Evaluation e = m.evaluation();
        assertEquals(codes, e.classCodes());
        assertEquals(d.size(), e.trainRows() + e.testRows());
        assertTrue(e.testRows() > 0);
        // The classes are well separated: a broken label mapping would score near 1/3.
        assertTrue(e.overallAccuracy() > 0.9, "OA " + e.overallAccuracy());
        assertTrue(e.kappa() > 0.85, "kappa " + e.kappa());
        assertEquals(e.overallAccuracy(), card.metrics().get("overall_accuracy"));
        assertEquals(e.kappa(), card.metrics().get("kappa"));
        assertEquals(e.f1ByClass().get(5), card.metrics().get("f1_cotton"));

        try (OnnxPixelClassifier c = OnnxPixelClassifier.load(m.artifact(), 1)) {
            byte[] cls = new byte[3];
            byte[] conf = new byte[3];
            float[] rows = new float[3 * FeatureOrder.COUNT];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(SyntheticRows.prototype(codes.get(i), FeatureOrder.COUNT), 0, rows,
                        i * FeatureOrder.COUNT, FeatureOrder.COUNT);
            }
            c.classify(rows, 3, cls, conf);
            assertArrayEquals(new byte[] {2, 5, 9}, cls, "class codes, not indices");
        }
    }

    @Test
    void rejectsBadInput() {
        XgbTrainer t = new XgbTrainer(CLOCK);
        TrainingData good = data(List.of(1, 2), 3);
        int[] labels = good.labels().clone();
        labels[0] = 12;
        TrainingData badLabel = new TrainingData(good.rows(), labels, good.groups(), good.featureCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.train(badLabel, PARAMS, "m", "r", true, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("12"), e.getMessage());

        TrainingData narrow = SyntheticRows.generate(100, List.of(1, 2), 10, 0.1, 0, 10, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> t.train(narrow, PARAMS, "m", "r", true, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("51"), e.getMessage());

        TrainingData oneClass = SyntheticRows.generate(100, List.of(4), FeatureOrder.COUNT, 0.1, 0, 10, 1);
        assertThrows(IllegalArgumentException.class,
                () -> t.train(oneClass, PARAMS, "m", "r", true, ProgressListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> t.train(good, new TrainingParams(0, 4, 0.3, 1, 1, 0.25),
                "m", "r", true, ProgressListener.NONE));
    }
}
