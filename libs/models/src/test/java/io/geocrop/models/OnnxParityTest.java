package io.geocrop.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.geocrop.domain.CropClass;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ONNX export reproduces XGBoost: on 120 000 rows with missing values (10 % NaN, 1 % mostly-NaN rows, some
 * all-NaN rows) ONNX Runtime's probabilities are within 1e-5 of xgboost4j's and the most probable class is
 * identical. The raw margins (before softmax) agree too, which proves the base score is handled as XGBoost does.
 */
class OnnxParityTest {

    static final int FEATURES = 51;
    static final int ROWS = 120_000;
    static final List<Integer> CODES = CropClass.all().stream().map(CropClass::code).toList();

    static Booster booster;
    static byte[] json;
    static float[] rows;

    @BeforeAll
    static void train() throws Exception {
        long t0 = System.nanoTime();
        // One thread everywhere: OpenMP and ONNX Runtime pools crawl on a busy shared machine.
        // Overlapping classes (noise 1.0) make full-depth trees; NaNs in training make both default directions occur.
        TrainingData data = SyntheticRows.generate(10_000, CODES, FEATURES, 1.0, 0.1, 100, 3);
        booster = TestModels.trainBooster(data, CODES, new TrainingParams(20, 6, 0.3, 1, 5, 0.25));
        long t1 = System.nanoTime();
        json = booster.toByteArray("json");
        System.out.printf("parity: trained in %.1f s%n", (t1 - t0) / 1e9);
        rows = SyntheticRows.scoringRows(ROWS, CODES, FEATURES, 1.0, 0.1, 99);
        for (int i = 0; i < 50; i++) {
            java.util.Arrays.fill(rows, i * 997 * FEATURES, (i * 997 + 1) * FEATURES, Float.NaN);
        }
    }

    @AfterAll
    static void dispose() {
        booster.dispose();
    }

    @Test
    void probabilitiesAndLabelsMatchXgboost() throws Exception {
        float[][] expected = xgboost(false);
        byte[] onnx = OnnxExporter.export(json, CODES, FEATURES, Map.of());
        Ort ort = run(onnx);
        double maxDiff = 0;
        int argmaxDifferences = 0;
        int nanRows = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < CODES.size(); k++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i][k] - ort.values[i * CODES.size() + k]));
            }
            if (CODES.get(XgbTrainer.argmax(expected[i])) != ort.labels[i]) {
                argmaxDifferences++;
            }
            if (Float.isNaN(rows[i * FEATURES]) && Float.isNaN(rows[i * FEATURES + 1])) {
                nanRows++;
            }
        }
        System.out.printf("parity: %d rows, max |p_onnx - p_xgboost| = %.3g, argmax differences %d%n", ROWS, maxDiff,
                argmaxDifferences);
        assertTrue(nanRows > 500, "the rows must exercise missing values, " + nanRows);
        assertTrue(maxDiff <= 1e-5, "max |p_onnx - p_xgboost| = " + maxDiff);
        assertEquals(0, argmaxDifferences, "rows whose most probable class differs");
    }

    @Test
    void marginsMatchXgboostIncludingBaseScore() throws Exception {
        float[][] expected = xgboost(true);
        byte[] onnx = OnnxExporter.export(json, CODES, FEATURES, Map.of(), OnnxExporter.PostTransform.NONE);
        Ort ort = run(onnx);
        double maxDiff = 0;
        double maxMargin = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < CODES.size(); k++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i][k] - ort.values[i * CODES.size() + k]));
                maxMargin = Math.max(maxMargin, Math.abs(expected[i][k]));
            }
        }
        System.out.printf("parity: max |margin_onnx - margin_xgboost| = %.3g (margins up to %.3g)%n", maxDiff,
                maxMargin);
        assertTrue(maxMargin > 1, "margins should be far from the base score, max " + maxMargin);
        assertTrue(maxDiff <= 1e-4, "max |margin_onnx - margin_xgboost| = " + maxDiff);
    }

    @Test
    void theOpset5TreeEnsembleVariantMatchesXgboostToo() throws Exception {
        float[][] expected = xgboost(false);
        Ort ort = run(OnnxExporter.export(json, CODES, FEATURES, Map.of(), OnnxExporter.Operator.TREE_ENSEMBLE));
        double maxDiff = 0;
        int argmaxDifferences = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int k = 0; k < CODES.size(); k++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i][k] - ort.values[i * CODES.size() + k]));
            }
            argmaxDifferences += CODES.get(XgbTrainer.argmax(expected[i])) != ort.labels[i] ? 1 : 0;
        }
        System.out.printf("parity, TreeEnsemble (ai.onnx.ml 5): max |p_onnx - p_xgboost| = %.3g%n", maxDiff);
        assertTrue(maxDiff <= 1e-5, "max |p_onnx - p_xgboost| = " + maxDiff);
        assertEquals(0, argmaxDifferences, "rows whose most probable class differs");
    }

    @Test
    void exportIsDeterministic() {
        byte[] a = OnnxExporter.export(json, CODES, FEATURES, Map.of("k", "v"));
        byte[] b = OnnxExporter.export(json.clone(), CODES, FEATURES, Map.of("k", "v"));
        assertTrue(java.util.Arrays.equals(a, b), "same model, same bytes");
    }

    @Test
    void twoClassModelsKeepBothColumns() throws Exception {
        // ONNX Runtime has a special "binary" path; XGBoost softprob with 2 classes must not fall into it.
        List<Integer> codes = List.of(3, 7);
        TrainingData data = SyntheticRows.generate(3_000, codes, FEATURES, 1.0, 0.1, 100, 4);
        Booster two = TestModels.trainBooster(data, codes, new TrainingParams(10, 4, 0.3, 1, 5, 0.25));
        int n = 20_000;
        float[] x = SyntheticRows.scoringRows(n, codes, FEATURES, 1.0, 0.1, 8);
        DMatrix m = new DMatrix(x, n, FEATURES, Float.NaN);
        float[][] expected = two.predict(m);
        byte[] onnx = OnnxExporter.export(two.toByteArray("json"), codes, FEATURES, Map.of());
        Ort ort = runRows(onnx, x, n, FEATURES);
        m.dispose();
        two.dispose();
        double maxDiff = 0;
        int argmaxDifferences = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i][k] - ort.values[i * 2 + k]));
            }
            if (codes.get(XgbTrainer.argmax(expected[i])) != ort.labels[i]) {
                argmaxDifferences++;
            }
        }
        assertEquals(2 * n, ort.values.length);
        // The classifier reads the two-class graph like any other.
        List<String> names = java.util.stream.IntStream.range(0, FEATURES).mapToObj(i -> "f" + i).toList();
        ModelCard card = new ModelCard("two", "1", io.geocrop.features.FeatureOrder.hashOf(names), names, codes, "t",
                Map.of(), Map.of(), 5, true, java.time.Instant.EPOCH);
        try (OnnxPixelClassifier c = OnnxPixelClassifier.load(new ModelArtifact(card, onnx), 1)) {
            byte[] classes = new byte[n];
            c.classify(x, n, classes, new byte[n]);
            for (int i = 0; i < n; i++) {
                boolean allNaN = true;
                for (int j = 0; j < FEATURES && allNaN; j++) {
                    allNaN = Float.isNaN(x[i * FEATURES + j]);
                }
                assertEquals(allNaN ? 0 : ort.labels[i], classes[i], "row " + i);
            }
        }
        assertTrue(maxDiff <= 1e-5, "max |p_onnx - p_xgboost| = " + maxDiff);
        assertEquals(0, argmaxDifferences);
    }

    private float[][] xgboost(boolean margins) throws Exception {
        // A fresh DMatrix: XGBoost caches predictions per DMatrix.
        DMatrix m = new DMatrix(rows, ROWS, FEATURES, Float.NaN);
        try {
            return booster.predict(m, margins);
        } finally {
            m.dispose();
        }
    }

    record Ort(long[] labels, float[] values) {}

    static Ort run(byte[] onnx) throws Exception {
        return runRows(onnx, rows, ROWS, FEATURES);
    }

    /** Runs an ONNX model on {@code n} rows in one call, returning its label and probability outputs. */
    static Ort runRows(byte[] onnx, float[] rows, int n, int features) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx, o);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows, 0, n * features),
                         new long[] {n, features});
                 OrtSession.Result r = s.run(Map.of(OnnxExporter.INPUT, in))) {
                LongBuffer l = ((OnnxTensor) r.get(OnnxExporter.LABEL).orElseThrow()).getLongBuffer();
                FloatBuffer p = ((OnnxTensor) r.get(OnnxExporter.PROBABILITIES).orElseThrow()).getFloatBuffer();
                long[] labels = new long[l.remaining()];
                l.get(labels);
                float[] values = new float[p.remaining()];
                p.get(values);
                return new Ort(labels, values);
            }
        }
    }
}
