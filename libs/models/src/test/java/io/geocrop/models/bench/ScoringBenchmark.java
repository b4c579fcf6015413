package io.geocrop.models.bench;

import io.geocrop.domain.CropClass;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCards;
import io.geocrop.models.OnnxExporter;
import io.geocrop.models.CompiledPixelClassifier;
import io.geocrop.models.OnnxPixelClassifier;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.SyntheticRows;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingParams;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scoring throughput (bench/scoring.sh): one operation scores {@value #ROWS} rows (a 256 x 256 px block) of 51
 * features with a realistic model (11 classes, 100 rounds, depth 6: 1 100 trees), either with ONNX Runtime through
 * {@link OnnxPixelClassifier} (the production path: nodata check, batches, argmax, confidence) or with xgboost4j's
 * own predictor on the same model and rows, building a fresh {@code DMatrix} each time (XGBoost caches predictions
 * per DMatrix, so re-predicting one would measure the cache). {@code threads} is ONNX Runtime's intra-op thread
 * count or XGBoost's nthread.
 * <p>
 * The model is trained once and kept in {@code geocrop.bench.modelDir} (default {@code target/bench-model}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoringBenchmark {

    public static final int ROWS = 65_536;
    static final int F = FeatureOrder.COUNT;
    static final List<Integer> CODES = CropClass.all().stream().map(CropClass::code).toList();
    // One training thread: OpenMP barriers crawl when a shared machine is oversubscribed.
    static final TrainingParams PARAMS = new TrainingParams(100, 6, 0.3, 1, 42, 0.25);

    /**
     * {@code xgboost}: xgboost4j's predict; {@code ort}: ONNX Runtime with the production settings;
     * {@code ort-nospin}: idle intra-op threads sleep; {@code ort-batch4k} / {@code ort-batch64k}: 4 096 / 65 536
     * rows per ONNX Runtime call instead of 16 384; {@code ort-te5}: the model exported with the opset-5
     * {@code TreeEnsemble} operator; {@code compiled}: {@link CompiledPixelClassifier}.
     */
    @Param({"xgboost", "ort", "ort-nospin", "ort-batch4k", "ort-batch64k", "ort-te5", "compiled"})
    public String engine;

    @Param({"1", "2"})
    public int threads;

    private float[] rows;
    private byte[] classes;
    private byte[] confidence;
    private PixelClassifier classifier;
    private Booster booster;

    @Setup
    public void setUp() throws Exception {
        byte[] xgboostJson = Files.readAllBytes(modelFile(
                Path.of(System.getProperty("geocrop.bench.modelDir", "target/bench-model"))));
        // Realistic feature rows: few missing values, classes overlapping as real crops do.
        rows = SyntheticRows.scoringRows(ROWS, CODES, F, 1.2, 0.02, 2024);
        classes = new byte[ROWS];
        confidence = new byte[ROWS];
        if (!engine.equals("xgboost")) {
            byte[] onnx = OnnxExporter.export(xgboostJson, CODES, F, Map.of());
            var card = new io.geocrop.models.ModelCard("bench", "1", FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1,
                    CODES, "SyntheticRows", Map.of(), Map.of(), 42, true, Instant.EPOCH);
            ModelCards.requireFeatureOrderV1(card);
            ModelArtifact artifact = new ModelArtifact(card, onnx);
            classifier = switch (engine) {
                case "ort" -> OnnxPixelClassifier.load(artifact, threads);
                case "ort-nospin" -> OnnxPixelClassifier.load(artifact,
                        new OnnxPixelClassifier.Options(threads, OnnxPixelClassifier.BATCH_ROWS, false));
                case "ort-batch4k" -> OnnxPixelClassifier.load(artifact, new OnnxPixelClassifier.Options(threads, 4096, true));
                case "ort-batch64k" -> OnnxPixelClassifier.load(artifact, new OnnxPixelClassifier.Options(threads, 65536, true));
                case "ort-te5" -> OnnxPixelClassifier.load(new ModelArtifact(card, OnnxExporter.export(xgboostJson,
                        CODES, F, Map.of(), OnnxExporter.Operator.TREE_ENSEMBLE)), threads);
                case "compiled" -> CompiledPixelClassifier.load(artifact, threads);
                default -> throw new IllegalArgumentException("unknown engine " + engine);
            };
        } else {
            booster = XGBoost.loadModel(xgboostJson);
            booster.setParam("nthread", threads);
        }
    }

    /**
     * Trains the benchmark model into {@code args[0]} (a directory) unless it is already there; bench/scoring.sh
     * runs this before JMH so that training time and output stay out of the measurement.
     */
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path json = modelFile(Path.of(args[0]));
        System.out.printf("Benchmark model %s ready in %.0f s%n", json, (System.nanoTime() - t0) / 1e9);
    }

    static Path modelFile(Path dir) throws Exception {
        Path json = dir.resolve("xgboost-100x6-11c.json");
        if (!Files.exists(json)) {
            trainModel(json);
        }
        return json;
    }

    private static void trainModel(Path json) throws Exception {
        TrainingData d = SyntheticRows.generate(20_000, CODES, F, 1.2, 0.02, 100, 7);
        float[] labels = new float[d.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = CODES.indexOf(d.labels()[i]);
        }
        DMatrix m = new DMatrix(d.rows(), d.size(), F, Float.NaN);
        m.setLabel(labels);
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "multi:softprob");
        p.put("num_class", CODES.size());
        p.put("tree_method", "hist");
        p.put("max_depth", PARAMS.maxDepth());
        p.put("eta", PARAMS.eta());
        p.put("nthread", PARAMS.threads());
        p.put("seed", PARAMS.seed());
        Booster b = XGBoost.train(m, p, PARAMS.rounds(), Map.of(), null, null);
        Files.createDirectories(json.getParent());
        Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
        Files.write(tmp, b.toByteArray("json"));
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        b.dispose();
        m.dispose();
    }

    @TearDown
    public void tearDown() {
        if (classifier != null) {
            classifier.close();
        }
        if (booster != null) {
            booster.dispose();
        }
    }

    @Benchmark
    public void score(Blackhole bh) throws Exception {
        bh.consume(scoreOnce());
    }

    /** Scores the {@value #ROWS} rows once with the engine set up; returns its output. */
    public Object scoreOnce() throws Exception {
        if (classifier != null) {
            classifier.classify(rows, ROWS, classes, confidence);
            return classes;
        }
        DMatrix m = new DMatrix(rows, ROWS, F, Float.NaN);
        try {
            return booster.predict(m);
        } finally {
            m.dispose();
        }
    }
}
