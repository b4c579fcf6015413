package io.geocrop.models;

import io.geocrop.features.FeatureOrder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxPixelClassifierTest {

    static final int F = FeatureOrder.COUNT;

    @Test
    void prototypesAreClassifiedAndAllNaNRowsAreNodata() {
        float[] rows = new float[13 * F];
        for (int code = 1; code <= 11; code++) {
            System.arraycopy(TestModels.prototypeRow(code), 0, rows, (code - 1) * F, F);
        }
        java.util.Arrays.fill(rows, 11 * F, 12 * F, Float.NaN);          // row 11: nodata
        System.arraycopy(TestModels.prototypeRow(4), 0, rows, 12 * F, F);
        java.util.Arrays.fill(rows, 12 * F, 12 * F + 20, Float.NaN);     // row 12: partly missing, still scored
        byte[] classes = new byte[13];
        byte[] confidence = new byte[13];
        java.util.Arrays.fill(classes, (byte) -1);
        java.util.Arrays.fill(confidence, (byte) -1);
        try (OnnxPixelClassifier c = OnnxPixelClassifier.load(TestModels.small(), 1)) {
            c.classify(rows, 13, classes, confidence);
            assertEquals(TestModels.small().card(), c.card());
        }
        for (int code = 1; code <= 11; code++) {
            assertEquals(code, classes[code - 1], "prototype of class " + code);
            assertTrue(confidence[code - 1] >= 50 && confidence[code - 1] <= 100, "confidence " + confidence[code - 1]);
        }
        assertEquals(0, classes[11]);
        assertEquals(0, confidence[11]);
        assertTrue(classes[12] >= 1 && classes[12] <= 11 && confidence[12] > 0);
    }

    @Test
    void batchesAgreeWithOneOnnxRuntimeCallAndAcrossThreads() throws Exception {
        int n = OnnxPixelClassifier.BATCH_ROWS * 2 + 1_000;
        float[] rows = SyntheticRows.scoringRows(n, TestModels.CLASS_CODES, F, 0.8, 0.1, 5);
        for (int i = 0; i < n; i += 101) {
            java.util.Arrays.fill(rows, i * F, (i + 1) * F, Float.NaN);
        }
        // Reference: the raw ONNX model on all rows at once.
        OnnxParityTest.Ort ort = runAll(rows, n);
        byte[] classes = new byte[n];
        byte[] confidence = new byte[n];
        try (OnnxPixelClassifier c = OnnxPixelClassifier.load(TestModels.small(), 2)) {
            c.classify(rows, n, classes, confidence);
            int nodata = 0;
            for (int i = 0; i < n; i++) {
                boolean allNaN = true;
                for (int j = 0; j < F; j++) {
                    allNaN &= Float.isNaN(rows[i * F + j]);
                }
                if (allNaN) {
                    nodata++;
                    assertEquals(0, classes[i]);
                    assertEquals(0, confidence[i]);
                    continue;
                }
                assertTrue(i % 101 != 0, "row " + i + " is all NaN");
                assertEquals(ort.labels()[i], classes[i], "row " + i);
                float max = 0;
                for (int k = 0; k < 11; k++) {
                    max = Math.max(max, ort.values()[i * 11 + k]);
                }
                assertEquals(Math.round(100 * max), confidence[i], "row " + i);
            }
            assertTrue(nodata >= n / 101, nodata + " nodata rows");
            // Four threads classifying at once get the same answers.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<byte[]>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        byte[] cl = new byte[n];
                        c.classify(rows, n, cl, new byte[n]);
                        return cl;
                    }));
                }
                for (Future<byte[]> f : futures) {
                    assertArrayEquals(classes, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThrows(IllegalArgumentException.class, () -> c.classify(rows, n + 1, classes, confidence));
            assertThrows(IllegalArgumentException.class, () -> c.classify(rows, 10, new byte[5], confidence));
        }
    }

    @Test
    void refusesAModelWhoseInputWidthDiffersFromItsCard() {
        ModelArtifact small = TestModels.small();
        ModelCard c = small.card();
        ModelCard narrow = new ModelCard(c.name(), c.version(), c.featureOrderHash(), c.featureNames().subList(0, 50),
                c.classCodes(), c.trainingData(), c.metrics(), c.params(), c.seed(), c.synthetic(), c.createdAt());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxPixelClassifier.load(new ModelArtifact(narrow, small.onnx()), 1));
        assertTrue(e.getMessage().contains("51 features wide") && e.getMessage().contains("50 features"),
                e.getMessage());

        ModelCard fewerClasses = new ModelCard(c.name(), c.version(), c.featureOrderHash(), c.featureNames(),
                c.classCodes().subList(0, 10), c.trainingData(), c.metrics(), c.params(), c.seed(), c.synthetic(),
                c.createdAt());
        e = assertThrows(ModelFormatException.class,
                () -> OnnxPixelClassifier.load(new ModelArtifact(fewerClasses, small.onnx()), 1));
        assertTrue(e.getMessage().contains("11 class probabilities"), e.getMessage());
    }

    @Test
    void badOnnxBytesGiveAClearError() {
        ModelCard card = TestModels.small().card();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxPixelClassifier.load(new ModelArtifact(card, new byte[] {1, 2, 3, 4, 5}), 1));
        assertTrue(e.getMessage().startsWith("model geocrop-test-small version 1: ONNX Runtime cannot load"),
                e.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(TestModels.small().onnx(), 1000);
        e = assertThrows(ModelFormatException.class,
                () -> OnnxPixelClassifier.load(new ModelArtifact(card, truncated), 1));
        assertTrue(e.getMessage().contains("cannot load"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> OnnxPixelClassifier.load(new ModelArtifact(card, new byte[0]), 1));
        // XGBoost JSON that is not a model is refused by the exporter with a reason.
        e = assertThrows(ModelFormatException.class,
                () -> OnnxExporter.export("{\"learner\": {}}".getBytes(), List.of(1, 2), F, Map.of()));
        assertTrue(e.getMessage().contains("learner_model_param"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> OnnxExporter.export("{".getBytes(), List.of(1, 2), F, Map.of()));
    }

    private static OnnxParityTest.Ort runAll(float[] rows, int n) throws Exception {
        return OnnxParityTest.runRows(TestModels.small().onnx(), rows, n, F);
    }
}
