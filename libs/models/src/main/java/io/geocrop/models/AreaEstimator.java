package io.geocrop.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Error-adjusted area estimates with confidence intervals: the stratified estimator of Olofsson et al. (2014), "Good
 * practices for estimating area and assessing accuracy of land change", Remote Sensing of Environment 148, 42-57,
 * equations 9-10, with the map classes as strata.
 *
 * <p>With {@code W_i} the share of the mapped area in map class i and {@code n_ij} the sample counts of map class i
 * and reference class j, the estimated area share of reference class j is {@code p̂_·j = Σ_i W_i n_ij / n_i·}, its
 * standard error {@code S(p̂_·j) = sqrt(Σ_i W_i² (n_ij/n_i·)(1 − n_ij/n_i·) / (n_i· − 1))}, and the area estimate
 * {@code A · p̂_·j ± z · A · S(p̂_·j)} (z = 1.96 for 95 %).
 *
 * <p>GeoCrop's sample is a model's spatially held-out rows, not a probability sample of the mapped area, so the
 * estimate assumes that the held-out error rates (the share of pixels mapped as i that really are j) hold in the
 * mapped area. A map class with no held-out row predicted as it has no error information: its mapped area is kept as
 * it is, without uncertainty, and the class is listed in {@link Estimate#unverifiedMapClasses()}; a map class with
 * one such row contributes no variance (n − 1 = 0) and is listed too.
 */
public final class AreaEstimator {

    /** z of a two-sided 95 % normal confidence interval. */
    public static final double Z_95 = 1.96;

    private AreaEstimator() {
    }

    /**
     * One class's estimate, areas in the unit of the mapped areas given.
     *
     * @param code              the class code
     * @param mapped            mapped area of the class
     * @param adjusted          error-adjusted area estimate {@code A · p̂_·j}
     * @param halfWidth95       half-width of its 95 % confidence interval {@code 1.96 · A · S(p̂_·j)}
     * @param standardError     {@code S(p̂_·j)}, the standard error of the estimated area share
     * @param usersAccuracy     {@code n_jj / n_j·} of the sample (share of pixels mapped as j that are j); NaN without
     *                          rows mapped as j
     */
    public record ClassEstimate(int code, double mapped, double adjusted, double halfWidth95, double standardError,
                                double usersAccuracy) {}

    /**
     * Estimates for every class that is mapped or estimated to be present.
     *
     * @param totalArea            the total mapped area A (of the classes given)
     * @param classes              per class, in class-code order of the matrix; classes with neither mapped nor
     *                             estimated area are left out
     * @param unverifiedMapClasses map classes with area whose error rates could not be estimated (fewer than two
     *                             sample rows mapped as them)
     */
    public record Estimate(double totalArea, List<ClassEstimate> classes, List<Integer> unverifiedMapClasses) {
        public Estimate {
            classes = List.copyOf(classes);
            unverifiedMapClasses = List.copyOf(unverifiedMapClasses);
        }
    }

    /**
     * Estimates from a model's held-out confusion matrix, {@code confusion[actual][predicted]} as a model card records
     * it (the transpose of the paper's map-by-reference matrix).
     *
     * @param classCodes    the class code of each row and column
     * @param confusion     held-out counts, rows actual (reference), columns predicted (map)
     * @param mappedByClass mapped area of each class, indexed like {@code classCodes}
     */
    public static Estimate fromHeldOut(List<Integer> classCodes, long[][] confusion, double[] mappedByClass) {
        int c = classCodes.size();
        checkSquare(confusion, c, "confusion");
        long[][] mapByReference = new long[c][c];
        for (int actual = 0; actual < c; actual++) {
            for (int predicted = 0; predicted < c; predicted++) {
                mapByReference[predicted][actual] = confusion[actual][predicted];
            }
        }
        return estimate(classCodes, mapByReference, mappedByClass);
    }

    /**
     * Estimates from sample counts in the paper's orientation, {@code counts[map class i][reference class j]}.
     *
     * @param classCodes    the class code of each row and column
     * @param counts        sample counts, rows map class, columns reference class
     * @param mappedByClass mapped area of each map class (the strata sizes), indexed like {@code classCodes}
     * @throws IllegalArgumentException for mismatched sizes, negative counts or areas, or no mapped area
     */
    public static Estimate estimate(List<Integer> classCodes, long[][] counts, double[] mappedByClass) {
        Objects.requireNonNull(classCodes, "classCodes");
        int c = classCodes.size();
        checkSquare(counts, c, "counts");
        if (mappedByClass.length != c) {
            throw new IllegalArgumentException("mappedByClass has " + mappedByClass.length + " entries, not " + c);
        }
        double total = 0;
        for (double a : mappedByClass) {
            if (!(a >= 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("mapped areas must be finite and >= 0, got " + a);
            }
            total += a;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("no mapped area to adjust");
        }
        double[] share = new double[c];
        double[] variance = new double[c];
        List<Integer> unverified = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            double w = mappedByClass[i] / total;
            long rowTotal = 0;
            for (long n : counts[i]) {
                rowTotal += n;
            }
            if (w == 0) {
                continue;
            }
            if (rowTotal == 0) {
                // No sample mapped as i: nothing says where its pixels really belong, so they stay where mapped.
                share[i] += w;
                unverified.add(classCodes.get(i));
                continue;
            }
            if (rowTotal < 2) {
                unverified.add(classCodes.get(i));
            }
            for (int j = 0; j < c; j++) {
                double p = (double) counts[i][j] / rowTotal;
                share[j] += w * p;
                if (rowTotal > 1) {
                    variance[j] += w * w * p * (1 - p) / (rowTotal - 1);
                }
            }
        }
        List<ClassEstimate> out = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            if (mappedByClass[j] == 0 && share[j] == 0) {
                continue;
            }
            long rowTotal = 0;
            for (long n : counts[j]) {
                rowTotal += n;
            }
            double se = Math.sqrt(variance[j]);
            out.add(new ClassEstimate(classCodes.get(j), mappedByClass[j], total * share[j], Z_95 * total * se, se,
                    rowTotal == 0 ? Double.NaN : (double) counts[j][j] / rowTotal));
        }
        return new Estimate(total, out, unverified);
    }

    private static void checkSquare(long[][] m, int c, String what) {
        Objects.requireNonNull(m, what);
        if (m.length != c) {
            throw new IllegalArgumentException(what + " has " + m.length + " rows, not " + c);
        }
        for (long[] row : m) {
            if (row.length != c) {
                throw new IllegalArgumentException(what + " has a row of " + row.length + " counts, not " + c);
            }
            for (long n : row) {
                if (n < 0) {
                    throw new IllegalArgumentException(what + " holds a negative count " + n);
                }
            }
        }
    }
}
