package io.geocrop.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geocrop.domain.Season;
import org.junit.jupiter.api.Test;

/**
 * Open water after the atmospheric correction: SWIR reflectance at or below zero must reach the kernel as it is
 * (not clamped to a small positive value), and an index whose denominator is within 0.001 of zero is left out.
 * The expected NDMI and MNDWI are worked out by hand below, observation by observation.
 */
class WaterReflectanceTest {
    private static final Season SEASON = new Season(2024);
    private static final int[] DAYS = {10, 20, 30, 40};

    //                                    B02     B03     B04     B05     B06     B07     B08     B8A     B11      B12
    private static final double[][] OBS = {
            {0.0700, 0.0600, 0.0400, 0.0300, 0.0200, 0.0200, 0.0200, 0.0180, -0.0030, -0.0020},
            {0.0700, 0.0550, 0.0400, 0.0300, 0.0200, 0.0200, 0.0150, 0.0180, 0.0000, -0.0010},
            {0.0700, 0.0500, 0.0400, 0.0300, 0.0200, 0.0200, 0.0100, 0.0180, -0.0095, -0.0040},
            {0.0700, 0.0650, 0.0400, 0.0300, 0.0200, 0.0200, 0.0250, 0.0180, -0.0010, 0.0000},
    };

    // NDMI = (B08 - B11) / (B08 + B11):
    //   day 10: 0.0230 / 0.0170 = 1.3529412;  day 20: 0.0150 / 0.0150 = 1;
    //   day 30: denominator 0.0005 is within 0.001 of zero: left out;  day 40: 0.0260 / 0.0240 = 1.0833333.
    private static final double NDMI_MEAN = (1.3529412 + 1 + 1.0833333) / 3; // 1.1454248
    private static final double NDMI_MIN = 1.0;
    private static final double NDMI_MAX = 1.3529412;
    // MNDWI = (B03 - B11) / (B03 + B11):
    //   0.0630 / 0.0570 = 1.1052632;  0.0550 / 0.0550 = 1;  0.0595 / 0.0405 = 1.4691358;  0.0660 / 0.0640 = 1.03125.
    private static final double MNDWI_MEAN = (1.1052632 + 1 + 1.4691358 + 1.03125) / 4; // 1.1514123
    private static final double MNDWI_MAX = 1.4691358;
    // B12 median of the four (all in Sep-Nov): (-0.0020 + -0.0010) / 2.
    private static final double B12_SEP_NOV = -0.0015;

    @Test
    void negativeSwirReachesTheIndicesAsFloatAndAsScaledInput() {
        float[][][] reflectance = new float[Band.COUNT][DAYS.length][1];
        short[][][] scaled = new short[Band.COUNT][DAYS.length][1];
        byte[][] quality = new byte[DAYS.length][1];
        for (int t = 0; t < DAYS.length; t++) {
            quality[t][0] = SeasonTimeSeries.CLEAR;
            for (int b = 0; b < Band.COUNT; b++) {
                reflectance[b][t][0] = (float) OBS[t][b];
                scaled[b][t][0] = SeasonTimeSeries.scale(OBS[t][b]);
            }
        }
        assertEquals(-95, scaled[Band.B11.index()][2][0], "signed storage keeps -0.0095");
        float[][] fromFloat = new FeatureExtractor().extract(
                SeasonTimeSeries.ofReflectance(SEASON, 1, 1, DAYS, reflectance, quality));
        float[][] fromScaled = new FeatureExtractor().extract(
                SeasonTimeSeries.ofScaledReflectance(SEASON, 1, 1, DAYS, scaled, quality));
        for (float[][] out : new float[][][] {fromFloat, fromScaled}) {
            assertEquals(NDMI_MEAN, out[Feature.NDMI_MEAN.index()][0], 1e-6);
            assertEquals(NDMI_MIN, out[Feature.NDMI_MIN.index()][0], 1e-6);
            assertEquals(NDMI_MAX, out[Feature.NDMI_MAX.index()][0], 1e-6);
            assertEquals(NDMI_MAX - NDMI_MIN, out[Feature.NDMI_AMPLITUDE.index()][0], 1e-6);
            assertEquals(MNDWI_MEAN, out[Feature.MNDWI_MEAN.index()][0], 1e-6);
            assertEquals(MNDWI_MAX, out[Feature.MNDWI_MAX.index()][0], 1e-6);
            assertEquals(B12_SEP_NOV, out[Feature.B12_SEP_NOV_MEDIAN.index()][0], 1e-7);
            assertEquals(1.0, out[Feature.CLEAR_FRACTION.index()][0]);
        }
        for (int f = 0; f < FeatureOrder.COUNT; f++) {
            assertArrayEquals(fromFloat[f], fromScaled[f], FeatureOrder.FEATURE_ORDER_V1.get(f));
        }
    }

    @Test
    void scalingClampsToTheSignedRange() {
        assertEquals(Short.MAX_VALUE, SeasonTimeSeries.scale(6.5));
        assertEquals(Short.MIN_VALUE, SeasonTimeSeries.scale(-4));
        assertEquals(0, SeasonTimeSeries.scale(0));
        assertEquals(-1, SeasonTimeSeries.scale(-0.0001));
    }
}
