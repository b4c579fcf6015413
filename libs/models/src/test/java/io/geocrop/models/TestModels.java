package io.geocrop.models;

import io.geocrop.domain.CropClass;
import io.geocrop.features.FeatureOrder;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Small real models for tests of any module (published in the geocrop-models test-jar).
 * <p>
 * {@link #small()} is an XGBoost model trained by {@link XgbTrainer} and exported to ONNX like any production
 * model, on {@link SyntheticRows} (all 11 crop classes, 51 features in {@code FEATURE_ORDER_V1} order, 5 % NaN):
 * its card has {@code featureOrderHash = FeatureOrder.HASH_V1}, the 51 {@code FEATURE_ORDER_V1} names, class
 * codes 1..11, {@code synthetic = true}, version "1" and a fixed {@code createdAt}. It is trained once per JVM (well
 * under a second) and is the same, byte for byte, on every call and every run. A row equal to
 * {@link #prototypeRow(int)} is classified as that class with high confidence; an all-NaN row is nodata.
 */
public final class TestModels {

    /** Name in the small model's card. */
    public static final String SMALL_NAME = "geocrop-test-small";
    /** The fixed training time recorded in the small model's card. */
    public static final Instant CREATED_AT = Instant.parse("2025-01-01T00:00:00Z");
    /** The class codes of the small model: every crop class, 1..11. */
    public static final List<Integer> CLASS_CODES = CropClass.all().stream().map(CropClass::code).toList();

    private static TrainedModel small;

    private TestModels() {
    }

    /** The small model: ONNX bytes (a fresh copy each call) and its card. */
    public static ModelArtifact small() {
        TrainedModel m = smallTrained();
        return new ModelArtifact(m.artifact().card(), m.artifact().onnx().clone());
    }

    /** The small model with its held-out evaluation. */
    public static synchronized TrainedModel smallTrained() {
        if (small == null) {
            TrainingData data = SyntheticRows.generate(4_400, CLASS_CODES, FeatureOrder.COUNT, 0.25, 0.05, 100, 11);
            TrainingParams params = new TrainingParams(10, 3, 0.3, 1, 7, 0.25);
            TrainedModel trained = new XgbTrainer(Clock.fixed(CREATED_AT, ZoneOffset.UTC)).train(data, params,
                    SMALL_NAME, "SyntheticRows.generate(4400 rows, 11 classes, noise 0.25, 5 % NaN, seed 11)", true,
                    ProgressListener.NONE);
            ModelArtifact a = trained.artifact();
            small = new TrainedModel(new ModelArtifact(a.card().withVersion("1"), a.onnx()), trained.evaluation());
        }
        return small;
    }

    /**
     * An XGBoost booster trained on {@code data} with {@link XgbTrainer#xgboostParams} (class index i = code
     * {@code classCodes[i]}): for tests that compare runtimes on the raw booster. The caller disposes it.
     */
    public static ml.dmlc.xgboost4j.java.Booster trainBooster(TrainingData data, List<Integer> classCodes,
                                                              TrainingParams params) throws Exception {
        float[] labels = new float[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = classCodes.indexOf(data.labels()[i]);
        }
        ml.dmlc.xgboost4j.java.DMatrix train = new ml.dmlc.xgboost4j.java.DMatrix(data.rows(), data.size(),
                data.rows().length / data.size(), Float.NaN);
        try {
            train.setLabel(labels);
            return ml.dmlc.xgboost4j.java.XGBoost.train(train, XgbTrainer.xgboostParams(params, classCodes.size()),
                    params.rounds(), Map.of(), null, null);
        } finally {
            train.dispose();
        }
    }

    /** A 51-feature row the small model classifies as {@code classCode} (1..11) with high confidence. */
    public static float[] prototypeRow(int classCode) {
        return SyntheticRows.prototype(classCode, FeatureOrder.COUNT);
    }
}
