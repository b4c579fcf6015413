package io.geocrop.features.bench;

import io.geocrop.domain.Season;
import io.geocrop.features.Band;
import io.geocrop.features.FeatureExtractor;
import io.geocrop.features.FeatureOrder;
import io.geocrop.features.SeasonTimeSeries;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-threaded throughput of the feature kernel in pixel-observations per second (pixels x acquisitions / s):
 * one operation is one pixel-acquisition, so JMH's ops/s is the figure. The block is a 512-pixel-wide strip of
 * 64 rows (what one worker of {@code extractTile} handles at a time, in 4-row chunks) with 60 acquisitions over the
 * season and about 30 % of observations cloudy, with seasonal NDVI curves and noise. Run by bench/features.sh;
 * not a test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FeatureKernelBenchmark {

    static final int WIDTH = 512;
    static final int ROWS = 64;
    static final int ACQUISITIONS = 60;
    static final int PIXEL_OBSERVATIONS = WIDTH * ROWS * ACQUISITIONS;

    /** REFLECTANCE = float32 input; SCALED = reflectance x 10000 in signed shorts (half the memory). */
    @Param({"REFLECTANCE", "SCALED"})
    public String input;

    private SeasonTimeSeries series;
    private FeatureExtractor kernel;
    private float[][] out;

    @Setup
    public void setUp() {
        Season season = new Season(2022);
        int pixels = WIDTH * ROWS;
        int[] days = new int[ACQUISITIONS];
        for (int t = 0; t < ACQUISITIONS; t++) {
            days[t] = t * 272 / (ACQUISITIONS - 1); // every 4-5 days, like two Sentinel-2 satellites
        }
        SplittableRandom rnd = new SplittableRandom(42);
        short[][][] dn = new short[Band.COUNT][ACQUISITIONS][pixels];
        float[][][] refl = new float[Band.COUNT][ACQUISITIONS][pixels];
        byte[][] quality = new byte[ACQUISITIONS][pixels];
        for (int p = 0; p < pixels; p++) {
            double base = 0.15 + 0.15 * rnd.nextDouble();
            double amp = 0.6 * rnd.nextDouble();
            double rise = 60 + 80 * rnd.nextDouble();
            double fall = rise + 50 + 80 * rnd.nextDouble();
            for (int t = 0; t < ACQUISITIONS; t++) {
                double d = days[t];
                double ndvi = base + amp * (1 / (1 + Math.exp(-(d - rise) / 8)) - 1 / (1 + Math.exp(-(d - fall) / 10)))
                        + 0.04 * (rnd.nextDouble() - 0.5);
                int red = 300 + rnd.nextInt(700);
                int nir = (int) Math.round(red * (1 + ndvi) / (1 - ndvi));
                int[] v = {200 + rnd.nextInt(600), 300 + rnd.nextInt(700), red, 500 + rnd.nextInt(900),
                        900 + rnd.nextInt(1500), 1000 + rnd.nextInt(2000), nir, nir + rnd.nextInt(100),
                        900 + rnd.nextInt(2000), 600 + rnd.nextInt(1500)};
                for (int b = 0; b < Band.COUNT; b++) {
                    dn[b][t][p] = (short) v[b];
                    refl[b][t][p] = (float) (v[b] / 10000.0);
                }
                quality[t][p] = rnd.nextDouble() < 0.3 ? SeasonTimeSeries.MASKED : SeasonTimeSeries.CLEAR;
            }
        }
        series = "SCALED".equals(input)
                ? SeasonTimeSeries.ofScaledReflectance(season, WIDTH, ROWS, days, dn, quality)
                : SeasonTimeSeries.ofReflectance(season, WIDTH, ROWS, days, refl, quality);
        kernel = new FeatureExtractor();
        out = new float[FeatureOrder.COUNT][pixels];
    }

    @Benchmark
    @OperationsPerInvocation(PIXEL_OBSERVATIONS)
    public float[][] extractBlock() {
        kernel.extract(series, 0, series.pixelCount(), out);
        return out;
    }
}
