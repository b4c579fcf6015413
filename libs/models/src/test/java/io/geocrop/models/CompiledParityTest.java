package io.geocrop.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.geocrop.domain.CropClass;
import io.geocrop.features.FeatureOrder;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled evaluator equals ONNX Runtime, the reference, on one million rows (generated deterministically, chunk
 * by chunk) of a full-depth 11-class model: 10 % missing values, 1 % mostly-missing rows, all-NaN rows, values equal
 * to split thresholds, infinities and negative zero. Margins are equal bit for bit; probabilities within 4 units in
 * the last place (about 1e-7; measured: at most 3, in under 0.1 % of the values); classes and confidences, the bytes a tile
 * holds, identical. (The margins are compared with ONNX Runtime on one intra-op thread, see {@link Reference}; the
 * last bits of the probabilities come from {@code exp}: glibc's {@code expf} in ONNX Runtime, {@code Math.exp} here.)
 */
class CompiledParityTest {

    static final int F = FeatureOrder.COUNT;
    static final int ROWS = 1_000_000;
    static final int CHUNK = 62_500;
    static final List<Integer> CODES = CropClass.all().stream().map(CropClass::code).toList();

    static byte[] json;
    static float[][] thresholdsByFeature;

    @BeforeAll
    static void train() throws Exception {
        // Overlapping classes make full-depth trees; NaNs in training give both default directions.
        TrainingData data = SyntheticRows.generate(10_000, CODES, F, 1.0, 0.1, 100, 13);
        Booster booster = TestModels.trainBooster(data, CODES, new TrainingParams(20, 6, 0.3, 1, 5, 0.25));
        json = booster.toByteArray("json");
        booster.dispose();
        List<List<Float>> byFeature = new ArrayList<>();
        for (int j = 0; j < F; j++) {
            byFeature.add(new ArrayList<>());
        }
        for (XgbTrees.Tree tree : XgbTrees.parse(json).trees()) {
            for (int node = 0; node < tree.left().length; node++) {
                if (!tree.isLeaf(node)) {
                    byFeature.get(tree.feature()[node]).add(tree.value()[node]);
                }
            }
        }
        thresholdsByFeature = new float[F][];
        for (int j = 0; j < F; j++) {
            List<Float> t = byFeature.get(j);
            thresholdsByFeature[j] = new float[t.size()];
            for (int i = 0; i < t.size(); i++) {
                thresholdsByFeature[j][i] = t.get(i);
            }
        }
    }

    /** Chunk {@code c} of the million rows: a pure function of {@code c}. */
    static float[] chunk(int c) {
        float[] x = SyntheticRows.scoringRows(CHUNK, CODES, F, 1.0, 0.1, 1_000 + c);
        SplittableRandom random = new SplittableRandom(77 + c);
        for (int i = 0; i < CHUNK; i++) {
            double u = random.nextDouble();
            int off = i * F;
            if (u < 0.002) {
                java.util.Arrays.fill(x, off, off + F, Float.NaN); // nodata
            } else if (u < 0.05) {
                // Values exactly on split thresholds (x < t is false: the false branch), and odd floats.
                for (int j = 0; j < F; j++) {
                    float[] t = thresholdsByFeature[j];
                    int pick = random.nextInt(12);
                    if (pick < 8 && t.length > 0) {
                        x[off + j] = t[random.nextInt(t.length)];
                    } else if (pick == 8) {
                        x[off + j] = Float.POSITIVE_INFINITY;
                    } else if (pick == 9) {
                        x[off + j] = Float.NEGATIVE_INFINITY;
                    } else if (pick == 10) {
                        x[off + j] = -0.0f;
                    }
                }
            }
        }
        return x;
    }

    @Test
    void marginsEqualOnnxRuntimeBitForBit() throws Exception {
        byte[] onnx = OnnxExporter.export(json, CODES, F, Map.of(), OnnxExporter.PostTransform.NONE);
        CompiledTrees trees = CompiledTrees.compile(onnx, F);
        assertEquals(CODES.size() * 20, trees.treeCount());
        long differing = 0;
        double maxMargin = 0;
        try (Reference ort = new Reference(onnx)) {
            float[] mine = new float[CHUNK * CODES.size()];
            for (int c = 0; c < ROWS / CHUNK; c++) {
                float[] x = chunk(c);
                float[] expected = ort.run(x, CHUNK);
                trees.evaluate(x, 0, CHUNK, mine);
                for (int i = 0; i < expected.length; i++) {
                    if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(mine[i])) {
                        differing++;
                    }
                    maxMargin = Math.max(maxMargin, Math.abs(expected[i]));
                }
            }
        }
        System.out.printf("compiled parity: %d rows, margins up to %.3g, %d margins differ from ONNX Runtime%n", ROWS,
                maxMargin, differing);
        assertTrue(maxMargin > 1, "the margins must be far from the base score, max " + maxMargin);
        assertEquals(0, differing, "margins that differ from ONNX Runtime's in any bit");
    }

    @Test
    void probabilitiesClassesAndConfidencesEqualOnnxRuntime() throws Exception {
        byte[] onnx = OnnxExporter.export(json, CODES, F, Map.of());
        List<String> names = FeatureOrder.FEATURE_ORDER_V1;
        ModelCard card = new ModelCard("parity", "1", FeatureOrder.HASH_V1, names, CODES, "CompiledParityTest",
                Map.of(), Map.of(), 5, true, Instant.EPOCH);
        int k = CODES.size();
        byte[] codes = ClassDecision.codes(card);
        long nodata = 0;
        long mostlyMissing = 0;
        long ulpOver0 = 0;
        int maxUlps = 0;
        double maxAbs = 0;
        long classDiffs = 0;
        long confidenceDiffs = 0;
        try (Reference ort = new Reference(onnx);
             CompiledPixelClassifier compiled = CompiledPixelClassifier.load(new ModelArtifact(card, onnx), 2)) {
            CompiledTrees trees = CompiledTrees.compile(onnx, F);
            float[] mine = new float[CHUNK * k];
            byte[] classes = new byte[CHUNK];
            byte[] confidence = new byte[CHUNK];
            byte[] expectedClasses = new byte[CHUNK];
            byte[] expectedConfidence = new byte[CHUNK];
            for (int c = 0; c < ROWS / CHUNK; c++) {
                float[] x = chunk(c);
                float[] expected = ort.run(x, CHUNK);
                trees.evaluate(x, 0, CHUNK, mine);
                for (int i = 0; i < expected.length; i++) {
                    int ulps = Math.abs(Float.floatToIntBits(expected[i]) - Float.floatToIntBits(mine[i]));
                    maxUlps = Math.max(maxUlps, ulps);
                    maxAbs = Math.max(maxAbs, Math.abs(expected[i] - mine[i]));
                    if (ulps > 0) {
                        ulpOver0++;
                    }
                }
                // The production rule on ONNX Runtime's probabilities (OnnxPixelClassifier's), against the compiled
                // classifier end to end.
                for (int i = 0; i < CHUNK; i++) {
                    if (ClassDecision.allNaN(x, i * F, F)) {
                        expectedClasses[i] = 0;
                        expectedConfidence[i] = 0;
                        nodata++;
                    } else {
                        ClassDecision.decide(j -> expected[j], i * k, k, codes, i, expectedClasses,
                                expectedConfidence);
                        int present = 0;
                        for (int j = 0; j < F; j++) {
                            present += Float.isNaN(x[i * F + j]) ? 0 : 1;
                        }
                        mostlyMissing += present <= F / 4 ? 1 : 0;
                    }
                }
                compiled.classify(x, CHUNK, classes, confidence);
                for (int i = 0; i < CHUNK; i++) {
                    classDiffs += classes[i] != expectedClasses[i] ? 1 : 0;
                    confidenceDiffs += confidence[i] != expectedConfidence[i] ? 1 : 0;
                }
            }
        }
        System.out.printf("compiled parity: %d rows (%d nodata, %d mostly missing), probabilities: %d differ, by at "
                        + "most %d ulp (%.3g); classes differing %d, confidences differing %d%n", ROWS, nodata,
                mostlyMissing, ulpOver0, maxUlps, maxAbs, classDiffs, confidenceDiffs);
        assertTrue(nodata > 1_000 && mostlyMissing > 5_000, "the rows must exercise missing values");
        assertTrue(maxUlps <= 4, "probabilities differ from ONNX Runtime's by up to " + maxUlps + " ulp");
        assertEquals(0, classDiffs, "rows whose class differs from ONNX Runtime's");
        assertEquals(0, confidenceDiffs, "rows whose confidence differs from ONNX Runtime's");
    }

    /**
     * ONNX Runtime on one model, its second output read back as floats. One intra-op thread: each row then sums its
     * trees in order; with more threads ONNX Runtime sums each thread's share of the trees and then the shares, so
     * its own margins move in the last bits with the thread count.
     */
    static final class Reference implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        Reference(byte[] onnx) throws Exception {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                session = env.createSession(onnx, o);
            }
        }

        float[] run(float[] rows, int n) throws Exception {
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows, 0, n * F), new long[] {n, F});
                 OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, in))) {
                FloatBuffer p = ((OnnxTensor) r.get(OnnxExporter.PROBABILITIES).orElseThrow()).getFloatBuffer();
                float[] values = new float[p.remaining()];
                p.get(values);
                return values;
            }
        }

        @Override
        public void close() throws Exception {
            session.close();
        }
    }
}
