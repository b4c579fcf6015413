package io.geocrop.models;

import io.geocrop.domain.CropClass;
import io.geocrop.features.FeatureOrder;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Trains an XGBoost multi-class model (multi:softprob, hist) on labelled feature rows, evaluates it on a spatially
 * held-out split ({@link SpatialSplit}), exports it to ONNX ({@link OnnxExporter}) and writes its card.
 * <p>
 * Deterministic: the same rows and parameters give the same ONNX bytes and the same metrics (only the card's
 * {@code createdAt} comes from the clock). Progress is reported once per boosting round (stage
 * {@value #STAGE_TRAIN}), then for evaluation and export.
 */
public final class XgbTrainer {

    /** Progress stage of the boosting rounds. */
    public static final String STAGE_TRAIN = "train";
    /** Progress stage of the held-out evaluation. */
    public static final String STAGE_EVALUATE = "evaluate";
    /** Progress stage of the ONNX export. */
    public static final String STAGE_EXPORT = "export";
    /** The xgboost4j version that trains; recorded in each card's params. */
    public static final String XGBOOST_VERSION = "3.0.4";

    private final Clock clock;

    /** A trainer stamping cards with the system clock. */
    public XgbTrainer() {
        this(Clock.systemUTC());
    }

    /** A trainer stamping cards with {@code clock} (tests use a fixed one). */
    public XgbTrainer(Clock clock) {
        this.clock = clock;
    }

    /**
     * Trains on rows in {@code FEATURE_ORDER_V1} (51 features).
     *
     * @param data            labelled rows with their spatial groups; labels are {@code CropClass} codes
     * @param params          training parameters
     * @param modelName       registered model name recorded in the card
     * @param trainingDataRef where the rows came from, recorded in the card
     * @param synthetic       whether the rows come from simulated imagery
     * @param progress        told after each boosting round
     * @throws IllegalArgumentException for rows of another width, labels that are not crop classes, fewer than two
     *                                  classes or two spatial groups, or parameters out of range
     */
    public TrainedModel train(TrainingData data, TrainingParams params, String modelName, String trainingDataRef,
                              boolean synthetic, ProgressListener progress) {
        return train(data, FeatureOrder.FEATURE_ORDER_V1, params, modelName, trainingDataRef, synthetic, progress);
    }

    /** Trains on rows whose columns are {@code featureNames}, in that order. */
    public TrainedModel train(TrainingData data, List<String> featureNames, TrainingParams params, String modelName,
                              String trainingDataRef, boolean synthetic, ProgressListener progress) {
        int f = data.featureCount();
        if (featureNames.size() != f) {
            throw new IllegalArgumentException("training rows have " + f + " features but the feature order has "
                    + featureNames.size());
        }
        validate(params);
        List<Integer> classCodes = classCodes(data.labels());
        Map<Integer, Integer> indexOfCode = new HashMap<>();
        for (int i = 0; i < classCodes.size(); i++) {
            indexOfCode.put(classCodes.get(i), i);
        }
        SpatialSplit split = SpatialSplit.split(data.groups(), data.labels(), params.holdOutFraction(), params.seed());
        int[] train = split.trainRows();
        int[] test = split.testRows();

        Booster booster = null;
        DMatrix dtrain = null;
        DMatrix dtest = null;
        try {
            dtrain = matrix(data, train);
            dtrain.setLabel(labelIndices(data.labels(), train, indexOfCode));
            booster = XGBoost.train(dtrain, xgboostParams(params, classCodes.size()), 0, Map.of(), null, null);
            // Round by round so a progress bar can move; this is exactly what XGBoost.train does internally.
            for (int round = 0; round < params.rounds(); round++) {
                booster.update(dtrain, round);
                progress.progress(STAGE_TRAIN, round + 1, params.rounds());
            }
            dtrain.dispose();
            dtrain = null;

            progress.progress(STAGE_EVALUATE, 0, 1);
            int[] actual = new int[test.length];
            int[] predicted = new int[test.length];
            if (test.length > 0) {
                dtest = matrix(data, test);
                float[][] probabilities = booster.predict(dtest);
                for (int i = 0; i < test.length; i++) {
                    actual[i] = indexOfCode.get(data.labels()[test[i]]);
                    predicted[i] = argmax(probabilities[i]);
                }
            }
            Evaluation evaluation = Metrics.evaluate(actual, predicted, classCodes, train.length);
            progress.progress(STAGE_EVALUATE, 1, 1);

            progress.progress(STAGE_EXPORT, 0, 1);
            String hash = FeatureOrder.hashOf(featureNames);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("geocrop.model_name", modelName);
            metadata.put("geocrop.feature_order_hash", hash);
            byte[] onnx = OnnxExporter.export(booster.toByteArray("json"), classCodes, f, metadata);
            ModelCard card = new ModelCard(modelName, "0", hash, featureNames, classCodes, trainingDataRef,
                    Metrics.cardMetrics(evaluation), cardParams(params, classCodes.size(), split), params.seed(),
                    synthetic, clock.instant(), ModelCard.confusionList(evaluation.confusion()),
                    // Every row, held-out ones too: the distribution describes the imagery, not the split.
                    TrainingDistribution.of(data, featureNames, TrainingDistribution.DEFAULT_BINS));
            progress.progress(STAGE_EXPORT, 1, 1);
            return new TrainedModel(new ModelArtifact(card, onnx), evaluation);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train " + modelName + ": " + e.getMessage(), e);
        } finally {
            if (dtrain != null) {
                dtrain.dispose();
            }
            if (dtest != null) {
                dtest.dispose();
            }
            if (booster != null) {
                booster.dispose();
            }
        }
    }

    /** The XGBoost parameters used for {@code params} and {@code numClass} classes. */
    static Map<String, Object> xgboostParams(TrainingParams params, int numClass) {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "multi:softprob");
        p.put("num_class", numClass);
        p.put("tree_method", "hist");
        p.put("max_depth", params.maxDepth());
        p.put("eta", params.eta());
        p.put("nthread", params.threads());
        p.put("seed", Long.toString(params.seed()));
        p.put("verbosity", 0);
        return p;
    }

    private static Map<String, String> cardParams(TrainingParams params, int numClass, SpatialSplit split) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rounds", Integer.toString(params.rounds()));
        m.put("max_depth", Integer.toString(params.maxDepth()));
        m.put("eta", Double.toString(params.eta()));
        m.put("threads", Integer.toString(params.threads()));
        m.put("hold_out_fraction", Double.toString(params.holdOutFraction()));
        m.put("held_out_groups", Integer.toString(split.testGroups().length));
        m.put("objective", "multi:softprob");
        m.put("tree_method", "hist");
        m.put("num_class", Integer.toString(numClass));
        m.put("xgboost_version", XGBOOST_VERSION);
        return m;
    }

    private static void validate(TrainingParams p) {
        if (p.rounds() < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + p.rounds());
        }
        if (p.maxDepth() < 1 || p.maxDepth() > 16) {
            throw new IllegalArgumentException("maxDepth must be 1..16, got " + p.maxDepth());
        }
        if (!(p.eta() > 0 && p.eta() <= 1)) {
            throw new IllegalArgumentException("eta must be in (0, 1], got " + p.eta());
        }
        if (p.threads() < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + p.threads());
        }
    }

    private static List<Integer> classCodes(int[] labels) {
        TreeSet<Integer> codes = new TreeSet<>();
        for (int label : labels) {
            if (CropClass.ofCode(label).isEmpty()) {
                throw new IllegalArgumentException("label " + label + " is not a crop class code (1.."
                        + CropClass.values().length + ")");
            }
            codes.add(label);
        }
        if (codes.size() < 2) {
            throw new IllegalArgumentException("training needs at least 2 classes, the labels hold " + codes);
        }
        return new ArrayList<>(codes);
    }

    private static DMatrix matrix(TrainingData data, int[] rowIndices) throws XGBoostError {
        int f = data.featureCount();
        float[] rows = new float[rowIndices.length * f];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(data.rows(), rowIndices[i] * f, rows, i * f, f);
        }
        // NaN, not 0, is the missing value: 0 is a legitimate feature value.
        return new DMatrix(rows, rowIndices.length, f, Float.NaN);
    }

    private static float[] labelIndices(int[] labels, int[] rowIndices, Map<Integer, Integer> indexOfCode) {
        float[] out = new float[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            out[i] = indexOfCode.get(labels[rowIndices[i]]);
        }
        return out;
    }

    /** Index of the largest value; the first one on ties. */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
