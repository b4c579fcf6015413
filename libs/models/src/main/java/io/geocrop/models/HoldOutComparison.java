package io.geocrop.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A champion and a challenger scored on the same labelled, spatially held-out rows, with 95 % confidence intervals
 * from a block bootstrap: the held-out spatial blocks are resampled with replacement (pixels of one block are not
 * independent, so resampling pixels would give intervals far too narrow), and both models are scored on the same
 * resampled blocks, so the interval of their difference is paired.
 */
public final class HoldOutComparison {

    /** Bootstrap replicates used by the CLI. */
    public static final int DEFAULT_REPLICATES = 500;

    private HoldOutComparison() {
    }

    /** A metric with the 2.5 and 97.5 percentiles of its bootstrap replicates. */
    public record Interval(double value, double low, double high) {}

    /**
     * One model's metrics on the hold-out.
     *
     * @param evaluation      the plain evaluation (OA, kappa, F1, confusion)
     * @param overallAccuracy OA with its interval
     * @param kappa           kappa with its interval
     * @param f1              F1 with its interval, by class code
     */
    public record Score(Evaluation evaluation, Interval overallAccuracy, Interval kappa, Map<Integer, Interval> f1) {}

    /**
     * The comparison.
     *
     * @param challenger      the challenger's score
     * @param champion        the champion's score
     * @param kappaDifference challenger minus champion kappa, with its paired interval
     * @param oaDifference    challenger minus champion OA, with its paired interval
     * @param rows            held-out rows
     * @param blocks          held-out spatial blocks (the bootstrap's units)
     * @param replicates      bootstrap replicates
     */
    public record Comparison(Score challenger, Score champion, Interval kappaDifference, Interval oaDifference,
                             int rows, int blocks, int replicates) {}

    /**
     * Compares two models' predictions of the same rows.
     *
     * @param actual     true {@code CropClass} code of each held-out row
     * @param challenger the challenger's predicted code of each row
     * @param champion   the champion's predicted code of each row
     * @param groups     the spatial block of each row
     * @param replicates bootstrap replicates (at least 1)
     * @param seed       seed of the resampling
     */
    public static Comparison compare(int[] actual, int[] challenger, int[] champion, int[] groups, int replicates,
                                     long seed) {
        int n = actual.length;
        if (challenger.length != n || champion.length != n || groups.length != n) {
            throw new IllegalArgumentException("actual, predictions and groups must have the same length");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no held-out rows to compare on");
        }
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates must be at least 1, got " + replicates);
        }
        TreeSet<Integer> codeSet = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            codeSet.add(actual[i]);
            codeSet.add(challenger[i]);
            codeSet.add(champion[i]);
        }
        List<Integer> codes = List.copyOf(codeSet);
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < codes.size(); i++) {
            index.put(codes.get(i), i);
        }
        int[] blockIds = Arrays.stream(groups).distinct().sorted().toArray();
        Map<Integer, Integer> blockIndex = new LinkedHashMap<>();
        for (int b = 0; b < blockIds.length; b++) {
            blockIndex.put(blockIds[b], b);
        }
        int c = codes.size();
        long[][][] a = new long[blockIds.length][c][c];
        long[][][] b = new long[blockIds.length][c][c];
        for (int i = 0; i < n; i++) {
            int blk = blockIndex.get(groups[i]);
            a[blk][index.get(actual[i])][index.get(challenger[i])]++;
            b[blk][index.get(actual[i])][index.get(champion[i])]++;
        }
        Evaluation evalA = Metrics.fromConfusion(sum(a, null, c), codes, 0);
        Evaluation evalB = Metrics.fromConfusion(sum(b, null, c), codes, 0);

        Random random = new Random(seed);
        double[] oaA = new double[replicates];
        double[] oaB = new double[replicates];
        double[] kA = new double[replicates];
        double[] kB = new double[replicates];
        Map<Integer, double[]> f1A = new LinkedHashMap<>();
        Map<Integer, double[]> f1B = new LinkedHashMap<>();
        int[] pick = new int[blockIds.length];
        for (int r = 0; r < replicates; r++) {
            for (int k = 0; k < pick.length; k++) {
                pick[k] = random.nextInt(blockIds.length);
            }
            Evaluation ra = Metrics.fromConfusion(sum(a, pick, c), codes, 0);
            Evaluation rb = Metrics.fromConfusion(sum(b, pick, c), codes, 0);
            oaA[r] = ra.overallAccuracy();
            oaB[r] = rb.overallAccuracy();
            kA[r] = ra.kappa();
            kB[r] = rb.kappa();
            record(f1A, evalA, ra, r, replicates);
            record(f1B, evalB, rb, r, replicates);
        }
        double[] dK = new double[replicates];
        double[] dOa = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            dK[r] = kA[r] - kB[r];
            dOa[r] = oaA[r] - oaB[r];
        }
        return new Comparison(score(evalA, oaA, kA, f1A), score(evalB, oaB, kB, f1B),
                interval(evalA.kappa() - evalB.kappa(), dK), interval(evalA.overallAccuracy() - evalB.overallAccuracy(), dOa),
                n, blockIds.length, replicates);
    }

    private static void record(Map<Integer, double[]> into, Evaluation full, Evaluation replicate, int r, int replicates) {
        for (Integer code : full.f1ByClass().keySet()) {
            // A class absent from a replicate's blocks (neither actual nor predicted) has no F1 there: NaN, skipped.
            into.computeIfAbsent(code, k -> new double[replicates])[r] =
                    replicate.f1ByClass().getOrDefault(code, Double.NaN);
        }
    }

    private static Score score(Evaluation e, double[] oa, double[] kappa, Map<Integer, double[]> f1) {
        Map<Integer, Interval> f = new LinkedHashMap<>();
        e.f1ByClass().keySet().stream().sorted().forEach(code -> f.put(code, interval(e.f1ByClass().get(code), f1.get(code))));
        return new Score(e, interval(e.overallAccuracy(), oa), interval(e.kappa(), kappa), f);
    }

    private static long[][] sum(long[][][] perBlock, int[] pick, int c) {
        long[][] out = new long[c][c];
        int count = pick == null ? perBlock.length : pick.length;
        for (int k = 0; k < count; k++) {
            long[][] m = perBlock[pick == null ? k : pick[k]];
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    out[i][j] += m[i][j];
                }
            }
        }
        return out;
    }

    /** The value and the 2.5 / 97.5 percentiles (nearest rank) of the finite replicates. */
    static Interval interval(double value, double[] replicates) {
        List<Double> finite = new ArrayList<>();
        for (double v : replicates) {
            if (Double.isFinite(v)) {
                finite.add(v);
            }
        }
        if (finite.isEmpty()) {
            return new Interval(value, Double.NaN, Double.NaN);
        }
        finite.sort(null);
        int m = finite.size();
        double low = finite.get(Math.max(0, (int) Math.ceil(0.025 * m) - 1));
        double high = finite.get(Math.min(m - 1, (int) Math.ceil(0.975 * m) - 1));
        return new Interval(value, low, high);
    }
}
