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
        Instant createdAt) {

    public ModelCard {
        featureNames = List.copyOf(featureNames);
        classCodes = List.copyOf(classCodes);
        metrics = Map.copyOf(metrics);
        params = Map.copyOf(params);
    }

    /** The same card with another version (registries assign versions when a model is published). */
    public ModelCard withVersion(String newVersion) {
        return new ModelCard(name, newVersion, featureOrderHash, featureNames, classCodes, trainingData, metrics,
                params, seed, synthetic, createdAt);
    }
}
