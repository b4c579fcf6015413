package io.geocrop.models;

import java.util.Arrays;
import java.util.List;

/**
 * Counts of pixels per bin of a {@link TrainingDistribution}, per feature: what a tile (or a whole job, as the sum of
 * its tiles) looked like, for {@link DriftReport}. Not thread-safe; one per tile being scored.
 */
public final class FeatureHistogram {
    private final double[][] edges;
    private final long[][] counts;
    private long pixels;

    /** An empty histogram over {@code distribution}'s bins. */
    public FeatureHistogram(TrainingDistribution distribution) {
        List<TrainingDistribution.FeatureBins> features = distribution.features();
        edges = new double[features.size()][];
        counts = new long[features.size()][];
        for (int j = 0; j < edges.length; j++) {
            edges[j] = features.get(j).edgeArray();
            counts[j] = new long[features.get(j).slots()];
        }
    }

    /** A histogram holding {@code counts[feature][slot]} (as read back from storage) for {@code distribution}. */
    public static FeatureHistogram of(TrainingDistribution distribution, long pixels, long[][] counts) {
        FeatureHistogram h = new FeatureHistogram(distribution);
        if (counts.length != h.counts.length) {
            throw new IllegalArgumentException("histogram has " + counts.length + " features, the distribution "
                    + h.counts.length);
        }
        for (int j = 0; j < counts.length; j++) {
            if (counts[j].length != h.counts[j].length) {
                throw new IllegalArgumentException("histogram feature " + j + " has " + counts[j].length
                        + " bins, the distribution " + h.counts[j].length);
            }
            System.arraycopy(counts[j], 0, h.counts[j], 0, counts[j].length);
        }
        h.pixels = pixels;
        return h;
    }

    /** The bin slot of {@code v}: the number of edges {@code <= v}, or the last slot (missing) for NaN. */
    static int slot(double[] edges, float v) {
        if (Float.isNaN(v)) {
            return edges.length + 1;
        }
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) { // first edge > v
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Adds one pixel whose features start at {@code rows[offset]} (interleaved rows, as classifiers take them).
     */
    public void addPixel(float[] rows, int offset) {
        for (int j = 0; j < edges.length; j++) {
            counts[j][slot(edges[j], rows[offset + j])]++;
        }
        pixels++;
    }

    /** Adds another histogram over the same distribution (a job sums its tiles). */
    public void add(FeatureHistogram other) {
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("histograms over different distributions");
        }
        for (int j = 0; j < counts.length; j++) {
            if (other.counts[j].length != counts[j].length) {
                throw new IllegalArgumentException("histograms over different distributions (feature " + j + ")");
            }
            for (int s = 0; s < counts[j].length; s++) {
                counts[j][s] += other.counts[j][s];
            }
        }
        pixels += other.pixels;
    }

    /** Pixels counted. */
    public long pixels() {
        return pixels;
    }

    /** A copy of the counts, {@code [feature][slot]}. */
    public long[][] counts() {
        long[][] out = new long[counts.length][];
        for (int j = 0; j < out.length; j++) {
            out[j] = Arrays.copyOf(counts[j], counts[j].length);
        }
        return out;
    }
}
