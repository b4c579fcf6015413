package io.geocrop.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The distribution of each feature over the pixels a model was trained on, recorded in its card so that every job can
 * be compared with it ({@link FeatureHistogram}, {@link DriftReport}). Per feature: ascending, distinct quantile bin
 * edges (at most {@code bins - 1}; ties collapse, so a near-constant feature has fewer bins) and the share of training
 * pixels in each bin, followed by the share whose value was missing (NaN) as the last entry. A value {@code v} falls in
 * bin {@code i} = the number of edges {@code <= v}.
 *
 * @param bins     the number of quantile bins asked for (10 by default)
 * @param pixels   training pixels counted
 * @param features one entry per model feature, in the model's feature order
 */
public record TrainingDistribution(int bins, long pixels, List<FeatureBins> features) {

    /** Quantile bins asked for by default. */
    public static final int DEFAULT_BINS = 10;

    public TrainingDistribution {
        if (bins < 2) {
            throw new IllegalArgumentException("a training distribution needs at least 2 bins, got " + bins);
        }
        features = List.copyOf(features);
    }

    /**
     * One feature's bins.
     *
     * @param name   the feature name
     * @param edges  ascending distinct bin edges
     * @param shares {@code edges.size() + 2} shares summing to 1: one per value bin, then the missing share
     */
    public record FeatureBins(String name, List<Double> edges, List<Double> shares) {
        public FeatureBins {
            Objects.requireNonNull(name, "name");
            edges = List.copyOf(edges);
            shares = List.copyOf(shares);
            if (shares.size() != edges.size() + 2) {
                throw new IllegalArgumentException("feature " + name + ": " + edges.size() + " edges need "
                        + (edges.size() + 2) + " shares (value bins and the missing share), got " + shares.size());
            }
            for (int i = 1; i < edges.size(); i++) {
                if (!(edges.get(i) > edges.get(i - 1))) {
                    throw new IllegalArgumentException("feature " + name + ": bin edges must be ascending and distinct");
                }
            }
        }

        /** Bin slots including the missing one. */
        public int slots() {
            return shares.size();
        }

        /** The edges as an array (for the per-pixel binary search). */
        double[] edgeArray() {
            return edges.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * Computes the distribution of {@code data}'s rows: quantile edges at {@code k / bins} of each feature's finite
     * values, then each bin's share. Deterministic for the same rows.
     */
    public static TrainingDistribution of(TrainingData data, List<String> featureNames, int bins) {
        int f = data.featureCount();
        int n = data.size();
        List<FeatureBins> out = new ArrayList<>(f);
        float[] column = new float[n];
        for (int j = 0; j < f; j++) {
            int finite = 0;
            for (int i = 0; i < n; i++) {
                float v = data.rows()[i * f + j];
                if (!Float.isNaN(v)) {
                    column[finite++] = v;
                }
            }
            float[] sorted = Arrays.copyOf(column, finite);
            Arrays.sort(sorted);
            List<Double> edges = new ArrayList<>();
            for (int k = 1; k < bins && finite > 0; k++) {
                double q = sorted[(int) Math.min(finite - 1, (long) k * finite / bins)];
                if (edges.isEmpty() || q > edges.get(edges.size() - 1)) {
                    edges.add(q);
                }
            }
            double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
            long[] counts = new long[e.length + 2];
            for (int i = 0; i < n; i++) {
                counts[FeatureHistogram.slot(e, data.rows()[i * f + j])]++;
            }
            List<Double> shares = new ArrayList<>(counts.length);
            for (long c : counts) {
                shares.add(n == 0 ? 0.0 : (double) c / n);
            }
            out.add(new FeatureBins(featureNames.get(j), edges, shares));
        }
        return new TrainingDistribution(bins, n, out);
    }
}
