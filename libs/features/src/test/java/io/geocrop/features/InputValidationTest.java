package io.geocrop.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Season;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class InputValidationTest {

    private static final Season SEASON = new Season(2022);

    private static float[][][] reflectance(int t, int pixels) {
        float[][][] r = new float[Band.COUNT][t][pixels];
        for (float[][] band : r) {
            for (float[] row : band) {
                java.util.Arrays.fill(row, 0.1f);
            }
        }
        return r;
    }

    private static byte[][] quality(int t, int pixels, byte q) {
        byte[][] out = new byte[t][pixels];
        for (byte[] row : out) {
            java.util.Arrays.fill(row, q);
        }
        return out;
    }

    private static void rejects(String messagePart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should name " + messagePart);
    }

    @Test
    void daysMustBeStrictlyAscendingAndInsideTheSeason() {
        byte[][] q = quality(3, 4, SeasonTimeSeries.CLEAR);
        rejects("strictly ascending", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, new int[] {5, 3, 9}, reflectance(3, 4), q));
        rejects("strictly ascending", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, new int[] {5, 5, 9}, reflectance(3, 4), q));
        rejects("days[2] = 273", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, new int[] {5, 6, 273}, reflectance(3, 4), q));
        rejects("days[0] = -1", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, new int[] {-1, 6, 9}, reflectance(3, 4), q));
        // Day 273 exists in a leap season (31 May 2024).
        assertEquals(273, SeasonTimeSeries.ofReflectance(new Season(2023), 2, 2, new int[] {5, 6, 273}, reflectance(3, 4), q).lastDay());
    }

    @Test
    void shapesMustAgree() {
        int[] days = {1, 2, 3};
        byte[][] q = quality(3, 4, SeasonTimeSeries.CLEAR);
        rejects("block size must be positive", () -> SeasonTimeSeries.ofReflectance(SEASON, -2, 2, days, reflectance(3, 4), q));
        rejects("block size must be positive", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 0, days, reflectance(3, 4), q));
        rejects("too large", () -> SeasonTimeSeries.ofReflectance(SEASON, 65536, 65536, days, reflectance(3, 4), q));
        rejects("expected 10 bands", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, new float[9][3][4], q));
        float[][][] shortBand = reflectance(3, 4);
        shortBand[Band.B11.index()] = new float[2][4];
        rejects("reflectance[B11] must hold 3 acquisitions", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, shortBand, q));
        float[][][] shortRow = reflectance(3, 4);
        shortRow[Band.B8A.index()][1] = new float[3];
        rejects("reflectance[B8A][1] must hold 4 pixels", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, shortRow, q));
        rejects("quality must hold 3 acquisitions", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, reflectance(3, 4), quality(2, 4, SeasonTimeSeries.CLEAR)));
        rejects("quality[0] must hold 4 pixels", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, reflectance(3, 4), quality(3, 5, SeasonTimeSeries.CLEAR)));
        rejects("scaledReflectance[B02] must hold 3", () -> SeasonTimeSeries.ofScaledReflectance(SEASON, 2, 2, days, new short[10][1][4], q));
        byte[][] badCode = quality(3, 4, SeasonTimeSeries.CLEAR);
        badCode[2][3] = 7;
        rejects("quality[2][3] = 7", () -> SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, reflectance(3, 4), badCode));
    }

    @Test
    void clearSamplesMustBeValid() {
        int[] days = {1, 2, 3};
        float[][][] r = reflectance(3, 4);
        r[Band.B05.index()][1][2] = Float.NaN;
        SeasonTimeSeries clear = SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, r, quality(3, 4, SeasonTimeSeries.CLEAR));
        rejects("reflectance of B05 at acquisition 1 (day 2), pixel 2 is NaN", () -> new FeatureExtractor().extract(clear));
        rejects("reflectance of B05", () -> FeatureExtractor.extractTile(clear, 2));
        byte[][] q = quality(3, 4, SeasonTimeSeries.CLEAR);
        q[1][2] = SeasonTimeSeries.MASKED;
        new FeatureExtractor().extract(SeasonTimeSeries.ofReflectance(SEASON, 2, 2, days, r, q)); // masked NaN is fine

        short[][][] dn = new short[Band.COUNT][3][4];
        for (short[][] band : dn) {
            for (short[] row : band) {
                java.util.Arrays.fill(row, (short) 1200);
            }
        }
        dn[Band.B12.index()][2][0] = 0;
        dn[Band.B11.index()][1][0] = -35;
        // Zero and negative reflectance are data (water in the SWIR), not gaps: accepted and used.
        SeasonTimeSeries zero = SeasonTimeSeries.ofScaledReflectance(SEASON, 2, 2, days, dn, quality(3, 4, SeasonTimeSeries.CLEAR));
        float[][] out = new FeatureExtractor().extract(zero);
        assertEquals(1.0, out[Feature.CLEAR_FRACTION.index()][0]);
        assertEquals((0.12 + 0.0035) / (0.12 - 0.0035), out[Feature.NDMI_MAX.index()][0], 1e-6); // B11 < 0 kept
        assertEquals(0.0, out[Feature.NDMI_MIN.index()][0], 1e-6);
    }

    @Test
    void rangesOutputsAndParallelismAreChecked() {
        SeasonTimeSeries s = SeasonTimeSeries.ofReflectance(SEASON, 2, 2, new int[] {1, 2, 3}, reflectance(3, 4),
                quality(3, 4, SeasonTimeSeries.CLEAR));
        FeatureExtractor kernel = new FeatureExtractor();
        rejects("pixel range [2, 5)", () -> kernel.extract(s, 2, 5, new float[51][4]));
        rejects("pixel range [-1, 2)", () -> kernel.extract(s, -1, 2, new float[51][4]));
        rejects("out must hold 51", () -> kernel.extract(s, 0, 4, new float[50][4]));
        rejects("out[0] (ndvi_mean) must hold 4", () -> kernel.extract(s, 0, 4, new float[51][3]));
        rejects("parallelism must be at least 1", () -> FeatureExtractor.extractTile(s, 0));
    }

    @Test
    void sceneClassificationMapsToQuality() {
        assertEquals(SeasonTimeSeries.NO_DATA, SeasonTimeSeries.qualityOfScl(0));
        for (int clear : new int[] {2, 4, 5, 6, 7, 11}) {
            assertEquals(SeasonTimeSeries.CLEAR, SeasonTimeSeries.qualityOfScl(clear));
        }
        for (int masked : new int[] {1, 3, 8, 9, 10}) {
            assertEquals(SeasonTimeSeries.MASKED, SeasonTimeSeries.qualityOfScl(masked));
        }
        rejects("SCL value 12", () -> SeasonTimeSeries.qualityOfScl(12));
    }
}
