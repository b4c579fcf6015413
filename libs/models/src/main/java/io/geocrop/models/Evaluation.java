package io.geocrop.models;

import java.util.List;
import java.util.Map;

/**
 * Metrics on the spatially held-out rows.
 *
 * @param overallAccuracy share of held-out rows classified right
 * @param kappa           Cohen's kappa
 * @param f1ByClass       F1 score by {@code CropClass} code (classes present in the held-out set or predicted)
 * @param classCodes      row/column order of {@code confusion}
 * @param confusion       confusion[actual][predicted] counts, indexed like {@code classCodes}
 * @param trainRows       rows used for training
 * @param testRows        rows held out
 */
public record Evaluation(double overallAccuracy, double kappa, Map<Integer, Double> f1ByClass, List<Integer> classCodes,
                         long[][] confusion, long trainRows, long testRows) {}
