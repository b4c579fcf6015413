package io.geocrop.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.geocrop.domain.Season;
import io.geocrop.features.ReferenceFeatures.Obs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: on random blocks (random phenology, clouds, gaps, swath edges, zero bands) the kernel's block
 * output equals the naive per-pixel {@link ReferenceFeatures} for every feature, and the tile method, the scaled
 * 16-bit input (negative and zero reflectance included) and any parallelism give the same numbers.
 */
class KernelMatchesReferenceTest {

    private static final int WIDTH = 24;
    private static final int HEIGHT = 20;

    /** A random block in both representations: reflectance x 10000 (signed shorts) and the same values as floats. */
    private record Block(Season season, int[] days, short[][][] dn, float[][][] reflectance, byte[][] quality) {
        SeasonTimeSeries asReflectance() {
            return SeasonTimeSeries.ofReflectance(season, WIDTH, HEIGHT, days, reflectance, quality);
        }

        SeasonTimeSeries asScaledReflectance() {
            return SeasonTimeSeries.ofScaledReflectance(season, WIDTH, HEIGHT, days, dn, quality);
        }

        List<Obs> pixel(int p) {
            List<Obs> obs = new ArrayList<>();
            for (int t = 0; t < days.length; t++) {
                double[] bands = new double[Band.COUNT];
                for (int b = 0; b < Band.COUNT; b++) {
                    bands[b] = reflectance[b][t][p];
                }
                obs.add(new Obs(days[t], quality[t][p], bands));
            }
            return obs;
        }
    }

    private static Block randomBlock(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Season season = new Season(2019 + rnd.nextInt(6)); // includes leap seasons (2019, 2023)
        int lastDay = SeasonTimeSeries.lastDayOf(season);
        // Acquisitions every 2..9 days from a random start, like a Sentinel-2 revisit with missing scenes.
        List<Integer> dayList = new ArrayList<>();
        for (int d = rnd.nextInt(8); d <= lastDay; d += 2 + rnd.nextInt(8)) {
            dayList.add(d);
        }
        int[] days = dayList.stream().mapToInt(Integer::intValue).toArray();
        int t = days.length;
        int pixels = WIDTH * HEIGHT;
        short[][][] dn = new short[Band.COUNT][t][pixels];
        float[][][] refl = new float[Band.COUNT][t][pixels];
        byte[][] quality = new byte[t][pixels];
        for (int p = 0; p < pixels; p++) {
            // Per pixel: a double-logistic season (or none), its own cloudiness and swath coverage.
            double base = 0.1 + 0.25 * rnd.nextDouble();
            double amp = rnd.nextDouble() < 0.15 ? 0 : 0.65 * rnd.nextDouble();
            double rise = 40 + 120 * rnd.nextDouble();
            double fall = rise + 30 + 120 * rnd.nextDouble();
            double cloudiness = rnd.nextDouble() < 0.1 ? 0.97 : 0.3 * rnd.nextDouble() + 0.1;
            boolean edge = rnd.nextDouble() < 0.2;
            boolean zeroRedNir = rnd.nextDouble() < 0.05;
            // Open water after the atmospheric correction: dark NIR, SWIR at or below zero.
            boolean water = rnd.nextDouble() < 0.08;
            for (int i = 0; i < t; i++) {
                double d = days[i];
                double ndvi = base + amp * (1 / (1 + Math.exp(-(d - rise) / 8)) - 1 / (1 + Math.exp(-(d - fall) / 10)))
                        + 0.03 * (rnd.nextDouble() - 0.5);
                ndvi = Math.min(0.95, Math.max(-0.3, ndvi));
                int red = 300 + rnd.nextInt(900);
                int nir = (int) Math.round(red * (1 + ndvi) / (1 - ndvi));
                int[] v = new int[Band.COUNT];
                v[Band.B02.index()] = 200 + rnd.nextInt(800);
                v[Band.B03.index()] = 300 + rnd.nextInt(900);
                v[Band.B04.index()] = red;
                v[Band.B05.index()] = 500 + rnd.nextInt(1200);
                v[Band.B06.index()] = 800 + rnd.nextInt(2000);
                v[Band.B07.index()] = 900 + rnd.nextInt(2500);
                v[Band.B08.index()] = Math.min(Short.MAX_VALUE, Math.max(1, nir));
                v[Band.B8A.index()] = Math.min(Short.MAX_VALUE, Math.max(1, nir + rnd.nextInt(200) - 100));
                v[Band.B11.index()] = 800 + rnd.nextInt(2500);
                v[Band.B12.index()] = 500 + rnd.nextInt(2000);
                if (water) {
                    v[Band.B08.index()] = rnd.nextInt(400) - 50;
                    v[Band.B8A.index()] = rnd.nextInt(400) - 60;
                    v[Band.B11.index()] = rnd.nextInt(300) - 250; // often below zero; near -B08 the ratio is left out
                    v[Band.B12.index()] = rnd.nextInt(200) - 180;
                }
                byte q;
                if (edge && i % 3 == 0) {
                    q = SeasonTimeSeries.NO_DATA;
                } else {
                    q = rnd.nextDouble() < cloudiness ? SeasonTimeSeries.MASKED : SeasonTimeSeries.CLEAR;
                }
                if (q == SeasonTimeSeries.MASKED && rnd.nextBoolean()) {
                    v[Band.B02.index()] = 6000 + rnd.nextInt(4000); // bright cloud
                }
                for (int b = 0; b < Band.COUNT; b++) {
                    dn[b][i][p] = (short) v[b];
                    refl[b][i][p] = (float) (v[b] / 10000.0);
                }
                if (zeroRedNir && q == SeasonTimeSeries.CLEAR && i % 2 == 0) {
                    // B04 = B08 = 0: NDVI 0/0 must be skipped alone.
                    for (Band zero : new Band[] {Band.B04, Band.B08, Band.B05, Band.B8A}) {
                        refl[zero.index()][i][p] = 0;
                        dn[zero.index()][i][p] = 0;
                    }
                }
                quality[i][p] = q;
            }
        }
        return new Block(season, days, dn, refl, quality);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void blockOutputEqualsPerPixelReference(long seed) {
        Block block = randomBlock(seed);
        SeasonTimeSeries series = block.asReflectance();
        float[][] out = new FeatureExtractor().extract(series);
        int nodata = 0;
        for (int p = 0; p < series.pixelCount(); p++) {
            double[] expected = Series.reference(block.season(), block.pixel(p));
            if (Double.isNaN(expected[Feature.CLEAR_FRACTION.index()])) {
                nodata++;
            }
            for (Feature f : Feature.values()) {
                double e = expected[f.index()];
                float a = out[f.index()][p];
                boolean ok = Double.isNaN(e) ? Float.isNaN(a)
                        : Math.abs(a - e) <= 2e-6 * Math.max(1, Math.abs(e));
                if (!ok) {
                    fail("seed " + seed + ", pixel " + p + ", " + f.featureName() + ": kernel " + a + ", reference " + e);
                }
            }
        }
        assertTrue(nodata > 0 && nodata < series.pixelCount() / 2, "the random blocks should hold some nodata pixels");
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void tileMethodAndScaledReflectanceGiveTheSameFeatures(long seed) throws InterruptedException {
        Block block = randomBlock(seed);
        float[][] fromScaled = FeatureExtractor.extractTile(block.asScaledReflectance(), 1);
        SeasonTimeSeries series = block.asReflectance();
        float[][] single = new FeatureExtractor().extract(series);
        for (int parallelism : new int[] {1, 2, 3, 7}) {
            float[][] tile = FeatureExtractor.extractTile(series, parallelism);
            for (int f = 0; f < FeatureOrder.COUNT; f++) {
                assertArrayEquals(single[f], tile[f], "parallelism " + parallelism + ", " + FeatureOrder.FEATURE_ORDER_V1.get(f));
            }
        }
        // Scaled values are read as float32 reflectance (value / 10000 rounded to float): the same features to the bit.
        for (int f = 0; f < FeatureOrder.COUNT; f++) {
            assertArrayEquals(single[f], fromScaled[f], "scaled input, " + FeatureOrder.FEATURE_ORDER_V1.get(f));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21})
    void partialRangesWriteOnlyTheirPixels(long seed) {
        SeasonTimeSeries series = randomBlock(seed).asReflectance();
        float[][] whole = new FeatureExtractor().extract(series);
        float[][] parts = new float[FeatureOrder.COUNT][series.pixelCount()];
        for (float[] band : parts) {
            java.util.Arrays.fill(band, -12345f);
        }
        FeatureExtractor kernel = new FeatureExtractor();
        kernel.extract(series, 0, 100, parts);
        for (int f = 0; f < FeatureOrder.COUNT; f++) {
            assertEquals(-12345f, parts[f][100]);
        }
        kernel.extract(series, 100, series.pixelCount(), parts);
        for (int f = 0; f < FeatureOrder.COUNT; f++) {
            assertArrayEquals(whole[f], parts[f]);
        }
    }
}
