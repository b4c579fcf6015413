package io.geocrop.models;

import io.geocrop.features.FeatureOrder;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled classifier as score-tile uses it: the same bytes as ONNX Runtime's classifier on the test model (with
 * one thread or two, nodata rows included), the runtime setting, the fallback to ONNX Runtime for a graph it does
 * not compile, and clear errors. Its equality with ONNX Runtime on a million rows is {@link CompiledParityTest}.
 */
class CompiledPixelClassifierTest {

    static final int F = FeatureOrder.COUNT;

    @Test
    void classifiesExactlyAsOnnxRuntimeWithOneOrTwoThreads() {
        int n = 30_000;
        float[] rows = SyntheticRows.scoringRows(n, TestModels.CLASS_CODES, F, 0.5, 0.1, 5);
        for (int i = 0; i < n; i += 97) {
            Arrays.fill(rows, i * F, (i + 1) * F, Float.NaN);
        }
        byte[] expectedClasses = new byte[n];
        byte[] expectedConfidence = new byte[n];
        try (OnnxPixelClassifier ort = OnnxPixelClassifier.load(TestModels.small(), 1)) {
            ort.classify(rows, n, expectedClasses, expectedConfidence);
        }
        for (int threads : new int[] {1, 2}) {
            try (CompiledPixelClassifier compiled = CompiledPixelClassifier.load(TestModels.small(), threads)) {
                byte[] classes = new byte[n];
                byte[] confidence = new byte[n];
                compiled.classify(rows, n, classes, confidence);
                assertArrayEquals(expectedClasses, classes, "classes with " + threads + " thread(s)");
                assertArrayEquals(expectedConfidence, confidence, "confidences with " + threads + " thread(s)");
                assertEquals(0, classes[97], "an all-NaN row is nodata");
                assertEquals(TestModels.small().card(), compiled.card());
            }
        }
    }

    @Test
    void prototypeRowsGetTheirClass() {
        try (PixelClassifier c = ScoringRuntime.COMPILED.load(TestModels.small(), 1)) {
            assertInstanceOf(CompiledPixelClassifier.class, c);
            for (int code : TestModels.CLASS_CODES) {
                byte[] cls = new byte[1];
                byte[] conf = new byte[1];
                c.classify(TestModels.prototypeRow(code), 1, cls, conf);
                assertEquals(code, cls[0]);
                assertTrue(conf[0] > 50, "confidence " + conf[0]);
            }
        }
    }

    @Test
    void theRuntimeSettingNamesOneOfTwoRuntimes() {
        assertEquals(ScoringRuntime.COMPILED, ScoringRuntime.parse("compiled"));
        assertEquals(ScoringRuntime.ONNXRUNTIME, ScoringRuntime.parse(" OnnxRuntime "));
        assertEquals(ScoringRuntime.COMPILED, ScoringRuntime.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoringRuntime.parse("gpu"));
        assertTrue(e.getMessage().contains("geocrop.scoring.runtime") && e.getMessage().contains("onnxruntime"),
                e.getMessage());
        try (PixelClassifier c = ScoringRuntime.ONNXRUNTIME.load(TestModels.small(), 1)) {
            assertInstanceOf(OnnxPixelClassifier.class, c);
        }
    }

    @Test
    void aGraphTheCompilerDoesNotTakeIsScoredByOnnxRuntime() throws Exception {
        // Two classes: OnnxExporter writes a regressor, Softmax, ArgMax and Gather, which the compiler leaves alone.
        List<Integer> codes = List.of(3, 7);
        TrainingData data = SyntheticRows.generate(1_000, codes, F, 0.5, 0.1, 100, 4);
        Booster two = TestModels.trainBooster(data, codes, new TrainingParams(3, 3, 0.3, 1, 5, 0.25));
        byte[] onnx = OnnxExporter.export(two.toByteArray("json"), codes, F, Map.of());
        two.dispose();
        ModelCard card = new ModelCard("two", "1", FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1, codes, "t",
                Map.of(), Map.of(), 5, true, Instant.EPOCH);
        ModelArtifact artifact = new ModelArtifact(card, onnx);
        CompiledTrees.UnsupportedModelException e = assertThrows(CompiledTrees.UnsupportedModelException.class,
                () -> CompiledPixelClassifier.load(artifact, 1));
        assertTrue(e.getMessage().contains("TreeEnsembleRegressor"), e.getMessage());
        try (PixelClassifier c = ScoringRuntime.COMPILED.load(artifact, 1)) {
            assertInstanceOf(OnnxPixelClassifier.class, c);
        }
    }

    @Test
    void unusableModelsAndCallsAreRefusedWithReasons() {
        ModelArtifact small = TestModels.small();
        ModelFormatException notOnnx = assertThrows(ModelFormatException.class,
                () -> CompiledPixelClassifier.load(new ModelArtifact(small.card(), new byte[] {1, 2, 3}), 1));
        assertTrue(notOnnx.getMessage().contains("version 1"), notOnnx.getMessage());
        ModelCard fewerClasses = new ModelCard(small.card().name(), "1", FeatureOrder.HASH_V1,
                FeatureOrder.FEATURE_ORDER_V1, List.of(1, 2, 3), "t", Map.of(), Map.of(), 1, true, Instant.EPOCH);
        ModelFormatException classes = assertThrows(ModelFormatException.class,
                () -> CompiledPixelClassifier.load(new ModelArtifact(fewerClasses, small.onnx()), 1));
        assertTrue(classes.getMessage().contains("11 classes but the card lists 3"), classes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompiledPixelClassifier.load(small, 0));
        try (CompiledPixelClassifier c = CompiledPixelClassifier.load(small, 2)) {
            assertThrows(IllegalArgumentException.class, () -> c.classify(new float[F], 2, new byte[2], new byte[2]));
        }
    }

    @Test
    void keysOrderFloatsAsFloatsDo() {
        float[] v = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1f,
                Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                assertEquals(Float.compare(v[i], v[j]), Integer.compare(CompiledTrees.key(v[i]),
                        CompiledTrees.key(v[j])), v[i] + " vs " + v[j]);
            }
        }
        assertEquals(CompiledTrees.key(0f), CompiledTrees.key(-0f), "-0 < t exactly when +0 < t");
        assertTrue(CompiledTrees.key(Float.NEGATIVE_INFINITY) > Integer.MIN_VALUE
                && CompiledTrees.key(Float.POSITIVE_INFINITY) < Integer.MAX_VALUE, "room for NaN at both ends");
    }
}
