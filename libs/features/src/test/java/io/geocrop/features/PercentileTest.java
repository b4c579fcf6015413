package io.geocrop.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The kernel's quickselect percentiles against a full sort, numpy's linear method written out. */
class PercentileTest {

    private static double sortedPercentile(double[] values, double percent) {
        double[] x = values.clone();
        Arrays.sort(x);
        double h = (x.length - 1) * percent / 100;
        int lo = (int) Math.floor(h);
        return lo + 1 < x.length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
    }

    @Test
    void numpyLinearMethodByHand() {
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = [1.3, 2.5, 3.7]
        assertEquals(1.3, FeatureExtractor.percentile(new double[] {4, 1, 3, 2}, 4, 0, 3, 10), 1e-12);
        assertEquals(2.5, FeatureExtractor.percentile(new double[] {4, 1, 3, 2}, 4, 0, 3, 50), 1e-12);
        assertEquals(3.7, FeatureExtractor.percentile(new double[] {4, 1, 3, 2}, 4, 0, 3, 90), 1e-12);
        assertEquals(7, FeatureExtractor.percentile(new double[] {7}, 1, 0, 0, 90));
        assertTrue(Double.isNaN(FeatureExtractor.percentile(new double[0], 0, 0, -1, 50)));
    }

    @Test
    void quickselectAgreesWithSortingOnRandomTiedSortedAndReversedInput() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + rnd.nextInt(90);
            double[] values = new double[n];
            int shape = trial % 4;
            for (int i = 0; i < n; i++) {
                values[i] = switch (shape) {
                    case 0 -> rnd.nextDouble();
                    case 1 -> rnd.nextInt(4);  // many ties
                    case 2 -> i;               // sorted
                    default -> n - i;          // reversed
                };
            }
            for (double p : new double[] {0, 10, 50, 90, 100, 37.5}) {
                double[] work = values.clone();
                assertEquals(sortedPercentile(values, p), FeatureExtractor.percentile(work, n, 0, n - 1, p), 1e-12,
                        "n " + n + ", p " + p);
                double[] sorted = values.clone();
                Arrays.sort(sorted);
                Arrays.sort(work);
                assertEquals(Arrays.toString(sorted), Arrays.toString(work), "selection must only reorder");
            }
            // The kernel's NDVI path: median first, then p10 left of it and p90 right of it on the same array.
            double[] work = values.clone();
            int mid = (int) ((n - 1) * 50 / 100.0);
            assertEquals(sortedPercentile(values, 50), FeatureExtractor.percentile(work, n, 0, n - 1, 50), 1e-12);
            assertEquals(sortedPercentile(values, 10), FeatureExtractor.percentile(work, n, 0, mid, 10), 1e-12);
            assertEquals(sortedPercentile(values, 90), FeatureExtractor.percentile(work, n, mid, n - 1, 90), 1e-12);
        }
    }
}
