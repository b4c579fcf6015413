package io.geocrop.features;

import static io.geocrop.features.Series.clear;
import static io.geocrop.features.Series.featuresOf;
import static io.geocrop.features.Series.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Season;
import io.geocrop.features.ReferenceFeatures.Obs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every one of the 51 features pinned on hand-built series whose answers follow from docs/features.md by hand. */
class FeatureExtractorTest {

    private static final Season NON_LEAP = new Season(2022); // ends 2023-05-31 = day 272, February = days 153..180
    private static final Season LEAP = new Season(2023);     // ends 2024-05-31 = day 273, February = days 153..181
    private static final double EPS = 1e-6;

    /** Features pinned by at least one test here; the last test checks all 51 are. */
    private static final Set<Feature> PINNED = EnumSet.noneOf(Feature.class);

    private static void pin(double[] f, Feature feature, double expected) {
        PINNED.add(feature);
        double actual = f[feature.index()];
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), feature.featureName() + " should be NaN, was " + actual);
        } else {
            assertEquals(expected, actual, EPS * Math.max(1, Math.abs(expected)), feature.featureName());
        }
    }

    // ---- raw index statistics -------------------------------------------------------------------------------

    /** Bands of the five clear observations of {@link #indexStatisticsOfClearObservations()}, by hand. */
    private static final double[][] FIVE = {
            // B02   B03   B04   B05   B06   B07   B08   B8A   B11   B12
            {0.05, 0.08, 0.10, 0.12, 0.20, 0.24, 0.30, 0.32, 0.25, 0.18}, // day 10
            {0.04, 0.07, 0.08, 0.11, 0.25, 0.30, 0.40, 0.42, 0.22, 0.15}, // day 40
            {0.03, 0.06, 0.05, 0.09, 0.30, 0.38, 0.50, 0.52, 0.20, 0.12}, // day 95 (December)
            {0.03, 0.05, 0.04, 0.08, 0.32, 0.42, 0.55, 0.56, 0.18, 0.10}, // day 130
            {0.06, 0.09, 0.12, 0.14, 0.22, 0.25, 0.28, 0.30, 0.27, 0.20}, // day 200
    };
    private static final int[] FIVE_DAYS = {10, 40, 95, 130, 200};

    @Test
    void indexStatisticsOfClearObservations() {
        List<Obs> series = new ArrayList<>();
        for (int i = 0; i < FIVE.length; i++) {
            series.add(clear(FIVE_DAYS[i], FIVE[i]));
            if (i == 1) {
                // A cloud (bright everywhere) and an acquisition that missed the pixel: both must be ignored.
                series.add(obs(60, SeasonTimeSeries.MASKED, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.9, 0.9, 0.5, 0.5));
                series.add(obs(70, SeasonTimeSeries.NO_DATA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            }
        }
        double[] f = featuresOf(NON_LEAP, series);

        double[] ndvi = new double[5];
        double[] evi = new double[5];
        double[] savi = new double[5];
        double[] ndre = new double[5];
        double[] ndmi = new double[5];
        double[] mndwi = new double[5];
        double[] bsi = new double[5];
        for (int i = 0; i < 5; i++) {
            double[] b = series.get(i < 2 ? i : i + 2).bands(); // the float-rounded bands the kernel saw
            double b02 = b[0], b03 = b[1], b04 = b[2], b05 = b[3], b08 = b[6], b8a = b[7], b11 = b[8];
            ndvi[i] = (b08 - b04) / (b08 + b04);
            evi[i] = 2.5 * (b08 - b04) / (b08 + 6 * b04 - 7.5 * b02 + 1);
            savi[i] = 1.5 * (b08 - b04) / (b08 + b04 + 0.5);
            ndre[i] = (b8a - b05) / (b8a + b05);
            ndmi[i] = (b08 - b11) / (b08 + b11);
            mndwi[i] = (b03 - b11) / (b03 + b11);
            bsi[i] = ((b11 + b04) - (b08 + b02)) / ((b11 + b04) + (b08 + b02));
        }
        // NDVI by hand: 0.2/0.4 = 0.5, 0.32/0.48 = 0.667, 0.45/0.55 = 0.818, 0.51/0.59 = 0.864, 0.16/0.40 = 0.4
        assertEquals(0.5, ndvi[0], EPS);
        assertEquals(0.4, ndvi[4], EPS);
        double mean = (ndvi[0] + ndvi[1] + ndvi[2] + ndvi[3] + ndvi[4]) / 5;
        double var = 0;
        for (double v : ndvi) {
            var += (v - mean) * (v - mean);
        }
        pin(f, Feature.NDVI_MEAN, mean);
        pin(f, Feature.NDVI_STD, Math.sqrt(var / 5));
        pin(f, Feature.NDVI_MIN, ndvi[4]);
        pin(f, Feature.NDVI_MAX, ndvi[3]);
        // Sorted NDVI: [0.4 (d200), 0.5 (d10), 0.667 (d40), 0.818 (d95), 0.864 (d130)]; n = 5, h = 4p/100.
        pin(f, Feature.NDVI_P10, ndvi[4] + 0.4 * (ndvi[0] - ndvi[4]));
        pin(f, Feature.NDVI_P50, ndvi[1]);
        pin(f, Feature.NDVI_P90, ndvi[2] + 0.6 * (ndvi[3] - ndvi[2]));

        // EVI by hand: 0.5/1.475, 0.8/1.58, 1.125/1.575, 1.275/1.565, 0.4/1.55 -> sorted d200 < d10 < d40 < d95 < d130
        pin(f, Feature.EVI_MEAN, Arrays.stream(evi).sum() / 5);
        pin(f, Feature.EVI_MAX, evi[3]);
        pin(f, Feature.EVI_P90, evi[2] + 0.6 * (evi[3] - evi[2]));
        pin(f, Feature.EVI_AMPLITUDE, evi[3] - evi[4]);
        pin(f, Feature.EVI_PEAK_DAY, 130);
        pin(f, Feature.SAVI_MEAN, Arrays.stream(savi).sum() / 5);
        pin(f, Feature.SAVI_MAX, savi[3]);
        // NDRE by hand: 0.2/0.44, 0.31/0.53, 0.43/0.61, 0.48/0.64, 0.16/0.44 -> sorted d200 < d10 < d40 < d95 < d130
        pin(f, Feature.NDRE_MEAN, Arrays.stream(ndre).sum() / 5);
        pin(f, Feature.NDRE_MAX, ndre[3]);
        pin(f, Feature.NDRE_P90, ndre[2] + 0.6 * (ndre[3] - ndre[2]));
        pin(f, Feature.NDRE_PEAK_DAY, 130);
        // NDMI: 0.05/0.55, 0.18/0.62, 0.3/0.7, 0.37/0.73, 0.01/0.55 -> min d200, max d130
        pin(f, Feature.NDMI_MEAN, Arrays.stream(ndmi).sum() / 5);
        pin(f, Feature.NDMI_MIN, ndmi[4]);
        pin(f, Feature.NDMI_MAX, ndmi[3]);
        pin(f, Feature.NDMI_AMPLITUDE, ndmi[3] - ndmi[4]);
        // MNDWI: -0.17/0.33, -0.15/0.29, -0.14/0.26, -0.13/0.23, -0.18/0.36 -> max d200 (-0.5)
        pin(f, Feature.MNDWI_MEAN, Arrays.stream(mndwi).sum() / 5);
        pin(f, Feature.MNDWI_MAX, -0.5);
        // BSI: 0/0.7, -0.14/0.74, -0.28/0.78, -0.36/0.80, 0.05/0.73 -> max d200
        pin(f, Feature.BSI_MEAN, Arrays.stream(bsi).sum() / 5);
        pin(f, Feature.BSI_MAX, bsi[4]);

        // Sep-Nov (days 0..90): days 10 and 40, the median of two is their mean.
        pin(f, Feature.B04_SEP_NOV_MEDIAN, (0.10 + 0.08) / 2);
        pin(f, Feature.B08_SEP_NOV_MEDIAN, (0.30 + 0.40) / 2);
        pin(f, Feature.B11_SEP_NOV_MEDIAN, (0.25 + 0.22) / 2);
        pin(f, Feature.B12_SEP_NOV_MEDIAN, (0.18 + 0.15) / 2);
        // December (days 91..121) holds day 95 only; February (153..180) holds nothing -> NaN.
        pin(f, Feature.NDVI_DEC_MEDIAN, ndvi[2]);
        pin(f, Feature.NDVI_FEB_MEDIAN, Double.NaN);
        // 5 clear of 6 observed; the NO_DATA acquisition is not counted.
        pin(f, Feature.CLEAR_FRACTION, 5.0 / 6);
    }

    // ---- phenology on a trapezoid ---------------------------------------------------------------------------

    /** NDVI of the trapezoid: 0.2 to day 60, +0.01/day to 0.8 at day 120, flat to 160, -0.01/day to 0.2 at 220. */
    private static double trapezoid(int day) {
        if (day <= 60) {
            return 0.2;
        }
        if (day <= 120) {
            return 0.2 + 0.01 * (day - 60);
        }
        if (day <= 160) {
            return 0.8;
        }
        if (day <= 220) {
            return 0.8 - 0.01 * (day - 160);
        }
        return 0.2;
    }

    /** B04 = 0.1 and B08 chosen so that NDVI = v; B02 and B11 drift with the day so window medians are checkable. */
    private static Obs trapezoidObservation(int day, byte quality, double ndvi) {
        double b08 = 0.1 * (1 + ndvi) / (1 - ndvi);
        return obs(day, quality, 0.02 + day / 10000.0, 0.05, 0.1, 0.1 + day / 20000.0, 0.2, 0.25, b08, b08,
                0.3 - day / 10000.0, 0.2);
    }

    private static List<Obs> trapezoidSeries() {
        List<Obs> series = new ArrayList<>();
        for (int day = 0; day <= 270; day += 10) {
            series.add(trapezoidObservation(day, SeasonTimeSeries.CLEAR, trapezoid(day)));
            if (day == 10 || day == 120 || day == 200) {
                // Clouds that would move the peak, the troughs and the windows if they were used.
                series.add(trapezoidObservation(day + 5, SeasonTimeSeries.MASKED, 0.99));
            }
            if (day == 30 || day == 250) {
                series.add(trapezoidObservation(day + 5, SeasonTimeSeries.NO_DATA, -0.5));
            }
        }
        return series;
    }

    @Test
    void trapezoidPhenologyWindowsAndClearFraction() {
        double[] f = featuresOf(NON_LEAP, trapezoidSeries());
        // Observations every 10 days sit on every kink, so the daily interpolation is the trapezoid itself. The
        // 15-day average keeps straight stretches; it reaches 0.8 only where the whole window is on the plateau,
        // first on day 120 + 7.
        pin(f, Feature.NDVI_PEAK_DAY, 127);
        pin(f, Feature.NDVI_AMPLITUDE, 0.6);
        // 50 % of 0.6 above 0.2 = 0.5: day 90 on the rise, day 190 on the fall (both far from the kinks).
        pin(f, Feature.NDVI_SOS_DAY, 90);
        pin(f, Feature.NDVI_EOS_DAY, 190);
        pin(f, Feature.NDVI_SEASON_LENGTH, 100);
        pin(f, Feature.NDVI_GREENUP_RATE, (0.8 - 0.5) / (127 - 90));
        pin(f, Feature.NDVI_SENESCENCE_RATE, (0.8 - 0.5) / (190 - 127));
        // A box average moves no area: 0.2 * 270 + the trapezoid's (160 + 40) / 2 * 0.6 = 60, plus days 270..272
        // held at 0.2.
        pin(f, Feature.NDVI_INTEGRAL, 0.2 * 270 + 60 + 0.2 * 2);

        // Within 20 days of day 127: the clear days 110, 120, 130, 140 (the cloud on day 125 is out); median of
        // four = mean of the middle two (days 120 and 130).
        pin(f, Feature.B02_PEAK_MEDIAN, 0.02 + 125 / 10000.0);
        pin(f, Feature.B03_PEAK_MEDIAN, 0.05);
        pin(f, Feature.B04_PEAK_MEDIAN, 0.1);
        pin(f, Feature.B05_PEAK_MEDIAN, 0.1 + 125 / 20000.0);
        pin(f, Feature.B06_PEAK_MEDIAN, 0.2);
        pin(f, Feature.B07_PEAK_MEDIAN, 0.25);
        pin(f, Feature.B08_PEAK_MEDIAN, 0.9);  // NDVI 0.8 on days 120 and 130 -> B08 = 0.1 * 1.8 / 0.2
        pin(f, Feature.B8A_PEAK_MEDIAN, 0.9);
        pin(f, Feature.B11_PEAK_MEDIAN, 0.3 - 125 / 10000.0);
        pin(f, Feature.B12_PEAK_MEDIAN, 0.2);

        // Sep-Nov = days 0..90: ten clear days; B08 is 0.15 on seven of them (NDVI 0.2), so the median is 0.15.
        pin(f, Feature.B04_SEP_NOV_MEDIAN, 0.1);
        pin(f, Feature.B08_SEP_NOV_MEDIAN, 0.15);
        pin(f, Feature.B11_SEP_NOV_MEDIAN, 0.3 - 45 / 10000.0);
        pin(f, Feature.B12_SEP_NOV_MEDIAN, 0.2);
        // December = days 91..121: 100, 110, 120 -> NDVI 0.6, 0.7, 0.8. February = 153..180: 160, 170, 180 ->
        // 0.8, 0.7, 0.6. (Including day 90 or day 150 by mistake would give 0.65 or 0.75.)
        pin(f, Feature.NDVI_DEC_MEDIAN, 0.7);
        pin(f, Feature.NDVI_FEB_MEDIAN, 0.7);
        // 28 clear + 3 clouds observed; the 2 NO_DATA acquisitions are not counted.
        pin(f, Feature.CLEAR_FRACTION, 28.0 / 31);
        pin(f, Feature.NDVI_MIN, 0.2);
        pin(f, Feature.NDVI_MAX, 0.8);
        // 13 of the 28 clear NDVI values are 0.2, the next two (days 70 and 210) 0.3: h = 13.5 -> 0.3.
        pin(f, Feature.NDVI_P50, 0.3);
    }

    @Test
    void seasonThatOnlyRisesHasNoEndAndOneThatOnlyFallsHasNoStart() {
        List<Obs> rising = new ArrayList<>();
        List<Obs> falling = new ArrayList<>();
        for (int day = 0; day <= 100; day += 10) {
            rising.add(trapezoidObservation(day, SeasonTimeSeries.CLEAR, 0.2 + 0.005 * day));
            falling.add(trapezoidObservation(day, SeasonTimeSeries.CLEAR, 0.7 - 0.005 * day));
        }
        double[] up = featuresOf(NON_LEAP, rising);
        // Smoothed curve: linear except the last 7 days, whose cut window averages over fewer, lower days; the
        // last day (100) holds the mean of days 93..100 = NDVI at 96.5.
        pin(up, Feature.NDVI_PEAK_DAY, 100);
        pin(up, Feature.NDVI_AMPLITUDE, 0.005 * 96.5 - 0.005 * 3.5);
        pin(up, Feature.NDVI_EOS_DAY, Double.NaN);
        pin(up, Feature.NDVI_SENESCENCE_RATE, Double.NaN);
        pin(up, Feature.NDVI_SEASON_LENGTH, Double.NaN);
        // Threshold = mean of the two end values = NDVI at day 50 (the curve is linear there).
        pin(up, Feature.NDVI_SOS_DAY, 50);
        pin(up, Feature.NDVI_GREENUP_RATE, (0.005 * 96.5 - 0.005 * 50) / (100 - 50));

        double[] down = featuresOf(NON_LEAP, falling);
        pin(down, Feature.NDVI_PEAK_DAY, 0);
        pin(down, Feature.NDVI_SOS_DAY, Double.NaN);
        pin(down, Feature.NDVI_GREENUP_RATE, Double.NaN);
        pin(down, Feature.NDVI_EOS_DAY, 50);
        pin(down, Feature.NDVI_SENESCENCE_RATE, (0.005 * 96.5 - 0.005 * 50) / 50);
    }

    // ---- special cases ----------------------------------------------------------------------------------------

    @Test
    void constantSeriesHasZeroSpreadAndNoSeason() {
        List<Obs> series = new ArrayList<>();
        for (int day = 5; day <= 265; day += 20) {
            series.add(clear(day, 0.04, 0.06, 0.1, 0.12, 0.2, 0.25, 0.3, 0.31, 0.22, 0.15));
        }
        double[] f = featuresOf(NON_LEAP, series);
        double ndvi = (double) (0.3f - 0.1f) / (0.3f + 0.1f);
        pin(f, Feature.NDVI_MEAN, ndvi);
        pin(f, Feature.NDVI_STD, 0);
        pin(f, Feature.NDVI_P10, ndvi);
        pin(f, Feature.NDVI_P90, ndvi);
        pin(f, Feature.NDVI_AMPLITUDE, 0);
        pin(f, Feature.EVI_AMPLITUDE, 0);
        pin(f, Feature.NDMI_AMPLITUDE, 0);
        // Flat: every day is a maximum and the earliest wins; no start, end, length or rates.
        pin(f, Feature.NDVI_PEAK_DAY, 5);
        pin(f, Feature.EVI_PEAK_DAY, 5);
        pin(f, Feature.NDRE_PEAK_DAY, 5);
        pin(f, Feature.NDVI_SOS_DAY, Double.NaN);
        pin(f, Feature.NDVI_EOS_DAY, Double.NaN);
        pin(f, Feature.NDVI_SEASON_LENGTH, Double.NaN);
        pin(f, Feature.NDVI_GREENUP_RATE, Double.NaN);
        pin(f, Feature.NDVI_SENESCENCE_RATE, Double.NaN);
        pin(f, Feature.NDVI_INTEGRAL, ndvi * 272); // the whole season, day 0 .. 272
        pin(f, Feature.B08_PEAK_MEDIAN, 0.3);       // days 5 and 25 are within 20 days of day 5
        pin(f, Feature.CLEAR_FRACTION, 1);
    }

    @Test
    void fewerThanThreeClearObservationsIsNodata() {
        List<Obs> series = new ArrayList<>(List.of(
                clear(20, FIVE[0]), obs(30, SeasonTimeSeries.MASKED, FIVE[1]), clear(40, FIVE[2]),
                obs(50, SeasonTimeSeries.MASKED, FIVE[3])));
        double[] f = featuresOf(NON_LEAP, series);
        for (Feature feature : Feature.values()) {
            assertTrue(Double.isNaN(f[feature.index()]), feature.featureName() + " must be NaN with 2 clear");
        }
        series.add(clear(60, FIVE[4]));
        double[] three = featuresOf(NON_LEAP, series);
        assertEquals(3.0 / 5, three[Feature.CLEAR_FRACTION.index()], EPS);
        assertTrue(Double.isFinite(three[Feature.NDVI_MEAN.index()]));
    }

    @Test
    void februaryEndsOnThe29thInALeapSeason() {
        List<Obs> series = List.of(
                clear(150, 0.03, 0.05, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2),
                clear(181, 0.03, 0.05, 0.05, 0.1, 0.2, 0.2, 0.95, 0.2, 0.2, 0.2),
                clear(200, 0.03, 0.05, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2));
        double ndvi181 = (double) (0.95f - 0.05f) / (0.95f + 0.05f);
        assertEquals(ndvi181, featuresOf(LEAP, series)[Feature.NDVI_FEB_MEDIAN.index()], EPS); // 29 Feb 2024
        assertTrue(Double.isNaN(featuresOf(NON_LEAP, series)[Feature.NDVI_FEB_MEDIAN.index()])); // 1 Mar 2023
    }

    @Test
    void pixelWithoutAnyFiniteNdviHasNoNdviFeaturesButTheOthers() {
        // B04 = B08 = 0: NDVI is 0/0 on every clear day. EVI = 0 / (1 - 7.5 B02) and SAVI = 0 stay finite.
        List<Obs> series = new ArrayList<>();
        for (int day = 0; day <= 200; day += 25) {
            series.add(clear(day, 0.02, 0.05, 0, 0.1, 0.2, 0.2, 0, 0.3, 0.2, 0.1));
        }
        double[] f = featuresOf(NON_LEAP, series);
        for (Feature ndviFeature : List.of(Feature.NDVI_MEAN, Feature.NDVI_P50, Feature.NDVI_PEAK_DAY,
                Feature.NDVI_INTEGRAL, Feature.NDVI_DEC_MEDIAN, Feature.B02_PEAK_MEDIAN, Feature.B12_PEAK_MEDIAN)) {
            pin(f, ndviFeature, Double.NaN);
        }
        pin(f, Feature.EVI_MEAN, 0);
        pin(f, Feature.SAVI_MAX, 0);
        pin(f, Feature.B04_SEP_NOV_MEDIAN, 0);
        pin(f, Feature.CLEAR_FRACTION, 1);
    }

    @Test
    void nonFiniteReflectanceIsAcceptedWhenNotClear() {
        List<Obs> series = new ArrayList<>(trapezoidSeries());
        double[] expected = featuresOf(NON_LEAP, series);
        double[] nan = new double[Band.COUNT];
        Arrays.fill(nan, Double.NaN);
        series.add(1, obs(3, SeasonTimeSeries.MASKED, nan));
        series.add(1, obs(2, SeasonTimeSeries.NO_DATA, nan));
        double[] actual = featuresOf(NON_LEAP, series);
        expected[Feature.CLEAR_FRACTION.index()] = 28.0 / 32; // one more masked observation
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }

    @Test
    void handBuiltSeriesAgreeWithTheReference() {
        // The reference must read the docs the same way as the hand-made expectations above.
        for (List<Obs> series : List.of(trapezoidSeries())) {
            double[] kernel = featuresOf(NON_LEAP, series);
            double[] reference = Series.reference(NON_LEAP, series);
            for (Feature feature : Feature.values()) {
                assertEquals(reference[feature.index()], kernel[feature.index()], 1e-5, feature.featureName());
            }
        }
    }

    @Test
    void everyFeatureIsPinnedByAHandBuiltCase() {
        indexStatisticsOfClearObservations();
        trapezoidPhenologyWindowsAndClearFraction();
        assertEquals(EnumSet.allOf(Feature.class), EnumSet.copyOf(PINNED));
    }
}
