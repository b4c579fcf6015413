package io.geocrop.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a model says about itself, stored beside its ONNX file as {@code model-card.json} and shown to users.
 * Scoring refuses a model whose {@link #featureOrderHash()} differs from the features it is given.
 *
 * @param name             registered model name, e.g. {@code geocrop-crop-type}
 * @param version          version within that name ("1", "2", ... as the registry assigns)
 * @param featureOrderHash hash of the feature order the model was trained on ({@code FeatureOrder.HASH_V1})
 * @param featureNames     the feature names in input order (51 for FEATURE_ORDER_V1)
 * @param classCodes       output index to {@code CropClass} code: probability column i is class classCodes[i]
 * @param trainingData     where the training rows came from (a CSV key and season, or "embedded ground truth, seed 42")
 * @param metrics          held-out metrics by name (overall_accuracy, kappa, f1_maize, ...)
 * @param params           training parameters by name (rounds, max_depth, eta, ...)
 * @param seed             the random seed of training and of the held-out split
 * @param synthetic        true when trained on simulated imagery: the UI and CLI must say so
 * @param createdAt        when training finished
 * @param heldOutConfusion the held-out confusion matrix, {@code heldOutConfusion[actual][predicted]} row counts in
 *                         {@code classCodes} order (what error-adjusted area estimates are computed from); empty when
 *                         the card does not record it (cards written before it was added)
 * @param trainingDistribution each feature's quantile bins and training shares, for drift; null when the card does not
 *                         record it (cards written before it was added: drift is then unavailable)
 */
public record ModelCard(
        String name,
        String version,
        String featureOrderHash,
        List<String> featureNames,
        List<Integer> classCodes,
        String trainingData,
        Map<String, Double> metrics,
        Map<String, String> params,
        long seed,
        boolean synthetic,
        Instant createdAt,
        List<List<Long>> heldOutConfusion,
        TrainingDistribution trainingDistribution) {

    public ModelCard {
        featureNames = List.copyOf(featureNames);
        classCodes = List.copyOf(classCodes);
        metrics = Map.copyOf(metrics);
        params = Map.copyOf(params);
        heldOutConfusion = heldOutConfusion == null ? List.of()
                : heldOutConfusion.stream().map(List::copyOf).toList();
        if (!heldOutConfusion.isEmpty()) {
            int c = classCodes.size();
            if (heldOutConfusion.size() != c || heldOutConfusion.stream().anyMatch(r -> r.size() != c)) {
                throw new IllegalArgumentException("heldOutConfusion must be " + c + " x " + c
                        + " (one row and column per class code)");
            }
        }
    }

    /** A card without a recorded training distribution. */
    public ModelCard(String name, String version, String featureOrderHash, List<String> featureNames,
                     List<Integer> classCodes, String trainingData, Map<String, Double> metrics,
                     Map<String, String> params, long seed, boolean synthetic, Instant createdAt,
                     List<List<Long>> heldOutConfusion) {
        this(name, version, featureOrderHash, featureNames, classCodes, trainingData, metrics, params, seed, synthetic,
                createdAt, heldOutConfusion, null);
    }

    /** The same card with a training distribution. */
    public ModelCard withTrainingDistribution(TrainingDistribution distribution) {
        return new ModelCard(name, version, featureOrderHash, featureNames, classCodes, trainingData, metrics,
                params, seed, synthetic, createdAt, heldOutConfusion, distribution);
    }

    /** A card without a recorded held-out confusion matrix. */
    public ModelCard(String name, String version, String featureOrderHash, List<String> featureNames,
                     List<Integer> classCodes, String trainingData, Map<String, Double> metrics,
                     Map<String, String> params, long seed, boolean synthetic, Instant createdAt) {
        this(name, version, featureOrderHash, featureNames, classCodes, trainingData, metrics, params, seed, synthetic,
                createdAt, List.of());
    }

    /** The same card with another version (registries assign versions when a model is published). */
    public ModelCard withVersion(String newVersion) {
        return new ModelCard(name, newVersion, featureOrderHash, featureNames, classCodes, trainingData, metrics,
                params, seed, synthetic, createdAt, heldOutConfusion, trainingDistribution);
    }

    /** The same card with other metrics. */
    public ModelCard withMetrics(Map<String, Double> newMetrics) {
        return new ModelCard(name, version, featureOrderHash, featureNames, classCodes, trainingData, newMetrics,
                params, seed, synthetic, createdAt, heldOutConfusion, trainingDistribution);
    }

    /** The held-out confusion as a {@code long[actual][predicted]} array; empty (length 0) when not recorded. */
    public long[][] heldOutConfusionArray() {
        long[][] out = new long[heldOutConfusion.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = heldOutConfusion.get(i).stream().mapToLong(Long::longValue).toArray();
        }
        return out;
    }

    /** {@code confusion[actual][predicted]} as the list form a card holds. */
    public static List<List<Long>> confusionList(long[][] confusion) {
        List<List<Long>> out = new java.util.ArrayList<>(confusion.length);
        for (long[] row : confusion) {
            out.add(java.util.Arrays.stream(row).boxed().toList());
        }
        return out;
    }
}
