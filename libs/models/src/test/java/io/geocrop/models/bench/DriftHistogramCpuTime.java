package io.geocrop.models.bench;

import io.geocrop.features.FeatureOrder;
import io.geocrop.models.FeatureHistogram;
import io.geocrop.models.SyntheticRows;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingDistribution;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What drift costs scoring (issue 19, bench/drift.sh): CPU time of counting rows into a training distribution's bins
 * ({@link FeatureHistogram#addPixel}, what {@code TileScorer} does per classified pixel) against classifying the same
 * rows with the production classifier (compiled evaluator, 1 thread) on {@link ScoringBenchmark}'s model (11 classes,
 * 1 100 trees). Both in this thread's CPU time, alternated, so a loaded machine skews them alike.
 * <p>
 * Usage: {@code DriftHistogramCpuTime MODEL_DIR CPU_SECONDS}.
 */
public final class DriftHistogramCpuTime {

    private DriftHistogramCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("geocrop.bench.modelDir", args[0]);
        double seconds = Double.parseDouble(args[1]);
        ScoringBenchmark b = new ScoringBenchmark();
        b.engine = "compiled";
        b.threads = 1;
        b.setUp();
        int n = ScoringBenchmark.ROWS;
        int f = FeatureOrder.COUNT;
        float[] rows = SyntheticRows.scoringRows(n, ScoringBenchmark.CODES, f, 1.2, 0.02, 2024);
        TrainingDistribution d = TrainingDistribution.of(new TrainingData(rows, new int[n], new int[n], f),
                FeatureOrder.FEATURE_ORDER_V1, TrainingDistribution.DEFAULT_BINS);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long classifyNs = 0;
        long histogramNs = 0;
        long calls = 0;
        long sink = 0;
        try {
            for (int warm = 0; warm < 3; warm++) {
                b.scoreOnce();
                sink += histogram(d, rows, n, f).pixels();
            }
            while ((classifyNs + histogramNs) < seconds * 1e9) {
                long t0 = cpu.getCurrentThreadCpuTime();
                b.scoreOnce();
                long t1 = cpu.getCurrentThreadCpuTime();
                sink += histogram(d, rows, n, f).pixels();
                long t2 = cpu.getCurrentThreadCpuTime();
                classifyNs += t1 - t0;
                histogramNs += t2 - t1;
                calls++;
            }
        } finally {
            b.tearDown();
        }
        System.out.println("| Step (CPU time, 1 thread) | rows per CPU second | share of classifying |");
        System.out.println("|---|---|---|");
        System.out.printf("| classify (compiled, 1 100 trees) | %.0f k | 1.00 |%n", calls * n / (classifyNs / 1e9) / 1e3);
        System.out.printf("| drift histogram (51 features, 10 bins) | %.0f k | %.3f |%n",
                calls * n / (histogramNs / 1e9) / 1e3, (double) histogramNs / classifyNs);
        System.err.println(calls + " calls of " + n + " rows (" + sink + ")");
    }

    private static FeatureHistogram histogram(TrainingDistribution d, float[] rows, int n, int f) {
        FeatureHistogram h = new FeatureHistogram(d);
        for (int p = 0; p < n; p++) {
            h.addPixel(rows, p * f);
        }
        return h;
    }
}
