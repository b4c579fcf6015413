package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.Season;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.Month;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedSeasonTest {
    private static final SimulatedLandscape LAND = new SimulatedLandscape(SimTestSupport.SEED, SimTestSupport.ZONE_36S);
    private static final SimulatedSeason SEASON = new SimulatedSeason(LAND, new Season(2023));
    /** Season months Sep..May as indexes 0..8. */
    private static final int MONTHS = 9;
    /** Mean NDVI of clear pixels per class code and season month, from a 40 km sample grid. */
    private static double[][] monthlyNdvi;

    @BeforeAll
    static void samplePhenology() {
        double[][] sum = new double[12][MONTHS];
        int[][] count = new int[12][MONTHS];
        List<Acquisition> dates = SEASON.acquisitions();
        for (int j = 0; j < 60; j++) {
            for (int i = 0; i < 60; i++) {
                double e = 265_000 + 650 * i + 5, n = 8_015_000 + 650 * j + 5;
                int code = LAND.classAt(e, n).code();
                for (Acquisition a : dates) {
                    int scl = SEASON.sceneClassification(a.date(), e, n);
                    if (scl == 3 || scl >= 8) {
                        continue; // masked, as a user of SCL would
                    }
                    double red = SEASON.reflectance(S2Band.B04, a.date(), e, n);
                    double nir = SEASON.reflectance(S2Band.B08, a.date(), e, n);
                    int m = seasonMonth(a.date());
                    sum[code][m] += (nir - red) / (nir + red);
                    count[code][m]++;
                }
            }
        }
        monthlyNdvi = new double[12][MONTHS];
        for (int c = 1; c < 12; c++) {
            for (int m = 0; m < MONTHS; m++) {
                assertTrue(count[c][m] >= 10, "too few clear samples of class " + c + " in month " + m);
                monthlyNdvi[c][m] = sum[c][m] / count[c][m];
            }
        }
    }

    private static int seasonMonth(LocalDate d) {
        return (d.getMonthValue() + 3) % 12; // Sep -> 0 .. May -> 8
    }

    private static int peakMonth(CropClass c) {
        int best = 0;
        for (int m = 1; m < MONTHS; m++) {
            if (monthlyNdvi[c.code()][m] > monthlyNdvi[c.code()][best]) {
                best = m;
            }
        }
        return best;
    }

    private static double ndvi(CropClass c, Month month) {
        return monthlyNdvi[c.code()][(month.getValue() + 3) % 12];
    }

    @Test
    void maizePeaksInJanuaryOrFebruaryAndIsLowInSeptemberAndOctober() {
        assertTrue(List.of(4, 5).contains(peakMonth(CropClass.MAIZE)), "maize peaks in season month " + peakMonth(CropClass.MAIZE));
        assertTrue(ndvi(CropClass.MAIZE, Month.SEPTEMBER) < 0.3 && ndvi(CropClass.MAIZE, Month.OCTOBER) < 0.3);
        assertTrue(ndvi(CropClass.MAIZE, Month.FEBRUARY) > 0.6, "maize Feb NDVI " + ndvi(CropClass.MAIZE, Month.FEBRUARY));
    }

    @Test
    void tobaccoPeaksEarlierThanMaize() {
        int tobacco = peakMonth(CropClass.TOBACCO);
        assertTrue(tobacco >= 2 && tobacco <= 4, "tobacco peaks in season month " + tobacco + " (Nov..Jan expected)");
        assertTrue(tobacco < peakMonth(CropClass.MAIZE));
        assertTrue(ndvi(CropClass.TOBACCO, Month.APRIL) < 0.3, "tobacco is reaped by April");
    }

    @Test
    void soybeanGroundnutAndCottonFollowTheirCalendars() {
        for (CropClass c : List.of(CropClass.SOYBEAN, CropClass.GROUNDNUT)) {
            assertTrue(ndvi(c, Month.OCTOBER) < 0.3, c + " is not planted in October");
            assertTrue(ndvi(c, Month.FEBRUARY) > 0.5, c + " is green in February");
        }
        assertTrue(ndvi(CropClass.COTTON, Month.APRIL) > 0.45, "cotton is still green in April");
        assertTrue(ndvi(CropClass.COTTON, Month.APRIL) > ndvi(CropClass.MAIZE, Month.APRIL));
    }

    @Test
    void perennialAndStableClasses() {
        for (int m = 0; m < MONTHS; m++) {
            assertTrue(monthlyNdvi[CropClass.SUGARCANE.code()][m] > 0.6, "sugarcane month " + m);
            assertTrue(monthlyNdvi[CropClass.WATER.code()][m] < 0, "water month " + m);
            assertTrue(monthlyNdvi[CropClass.BARE_BUILT.code()][m] < 0.3, "bare month " + m);
        }
        // Miombo flushes in Oct-Nov before the rains; grass greens with the rains.
        assertTrue(ndvi(CropClass.TREES, Month.NOVEMBER) > ndvi(CropClass.TREES, Month.SEPTEMBER) + 0.15);
        assertTrue(ndvi(CropClass.GRASSLAND_SHRUB, Month.JANUARY) > ndvi(CropClass.GRASSLAND_SHRUB, Month.SEPTEMBER) + 0.15);
        assertTrue(ndvi(CropClass.TREES, Month.NOVEMBER) > ndvi(CropClass.GRASSLAND_SHRUB, Month.NOVEMBER));
    }

    @Test
    void rowsAreWindowIndependentAndMatchThePointFunctions() {
        LocalDate cloudy = cloudiestDate();
        for (S2Band band : List.of(S2Band.B02, S2Band.B08, S2Band.B11)) {
            float[] wide = new float[400], narrow = new float[57];
            SEASON.reflectanceRow(band, cloudy, 28_400, 803_512, wide);
            SEASON.reflectanceRow(band, cloudy, 28_400 + 123, 803_512, narrow);
            for (int i = 0; i < narrow.length; i++) {
                assertEquals(wide[123 + i], narrow[i], band + " pixel " + i);
            }
            assertEquals(wide[7], (float) SEASON.reflectance(band, cloudy, (28_400 + 7) * 10 + 3, 803_512 * 10 + 9));
        }
        byte[] wide = new byte[400], narrow = new byte[57];
        SEASON.sceneClassificationRow(cloudy, 28_400, 803_512, wide);
        SEASON.sceneClassificationRow(cloudy, 28_400 + 123, 803_512, narrow);
        assertArrayEquals(java.util.Arrays.copyOfRange(wide, 123, 180), narrow);
    }

    @Test
    void cloudsAreBrightAndMarkedInScl() {
        LocalDate cloudy = cloudiestDate();
        double cloudBlue = 0, clearBlue = 0, shadowNir = 0, clearNir = 0;
        int clouds = 0, clear = 0, shadows = 0;
        float[] blue = new float[1000], nir = new float[1000];
        byte[] scl = new byte[1000];
        for (long row = 803_000; row < 804_000; row += 25) {
            SEASON.reflectanceRow(S2Band.B02, cloudy, 28_000, row, blue);
            SEASON.reflectanceRow(S2Band.B08, cloudy, 28_000, row, nir);
            SEASON.sceneClassificationRow(cloudy, 28_000, row, scl);
            for (int i = 0; i < 1000; i++) {
                if (scl[i] == 9) {
                    cloudBlue += blue[i];
                    clouds++;
                    assertTrue(blue[i] > 0.3, "high-probability cloud must be bright, B02 " + blue[i]);
                } else if (scl[i] == 3) {
                    shadowNir += nir[i];
                    shadows++;
                } else if (scl[i] == 4 || scl[i] == 5) {
                    clearBlue += blue[i];
                    clearNir += nir[i];
                    clear++;
                }
            }
        }
        assertTrue(clouds > 1000 && clear > 1000 && shadows > 100, clouds + " cloud, " + clear + " clear, " + shadows + " shadow");
        assertTrue(cloudBlue / clouds > 3 * (clearBlue / clear));
        assertTrue(shadowNir / shadows < 0.7 * (clearNir / clear), "shadows darken the ground");
    }

    @Test
    void rainySeasonIsCloudier() {
        double rainy = 0, dry = 0;
        int nRainy = 0, nDry = 0;
        for (int year = 2018; year <= 2023; year++) {
            SimulatedSeason s = new SimulatedSeason(LAND, new Season(year));
            for (Acquisition a : s.acquisitions()) {
                double f = s.conditions(a.date()).targetCloudFraction();
                switch (a.date().getMonth()) {
                    case DECEMBER, JANUARY, FEBRUARY -> { rainy += f; nRainy++; }
                    case SEPTEMBER, MAY -> { dry += f; nDry++; }
                    default -> { }
                }
            }
        }
        assertTrue(rainy / nRainy > 0.35 && dry / nDry < 0.1, "rainy " + rainy / nRainy + " dry " + dry / nDry);
    }

    @Test
    void acquisitionsEveryFiveDaysAlternatingPlatforms() {
        List<Acquisition> all = SEASON.acquisitions();
        assertTrue(all.size() >= 54 && all.size() <= 55, "acquisitions " + all.size());
        for (int k = 1; k < all.size(); k++) {
            assertEquals(5, all.get(k).date().toEpochDay() - all.get(k - 1).date().toEpochDay());
            assertNotEquals(all.get(k).platform(), all.get(k - 1).platform());
        }
        assertFalse(all.getFirst().date().isBefore(LocalDate.of(2023, 9, 1)));
        assertFalse(all.getLast().date().isAfter(LocalDate.of(2024, 5, 31)));
    }

    @Test
    void seasonsDifferInTheirRains() {
        java.util.Set<Double> onsets = new java.util.HashSet<>();
        for (int year = 2017; year <= 2026; year++) {
            Phenology.Rainfall rain = Phenology.Rainfall.of(SimTestSupport.SEED, year);
            assertTrue(rain.onsetShiftDays() >= -12 && rain.onsetShiftDays() <= 18, year + ": " + rain);
            assertTrue(rain.vigour() >= 0.85 && rain.vigour() <= 1.05, year + ": " + rain);
            onsets.add(rain.onsetShiftDays());
        }
        assertTrue(onsets.size() >= 5, "onsets vary between seasons: " + onsets);
        // A late season plants later: a maize parcel's green-up moves with the onset.
        Parcel maize = new Parcel(1, CropClass.MAIZE, 0, 1, 1, 0.5);
        double[] early = new double[2], late = new double[2];
        Phenology.cover(maize, 120, new Phenology.Rainfall(-10, 1), early);
        Phenology.cover(maize, 120, new Phenology.Rainfall(15, 1), late);
        assertTrue(early[0] > late[0] + 0.2, "green on day 120: early rains " + early[0] + ", late " + late[0]);
    }

    @Test
    void pixelsOnAFieldEdgeMixBothFields() {
        // Walk a row until the parcel at the pixel centre changes; the quarter-pixel samples of pixels next to
        // that edge see both parcels, so somewhere along many rows an edge pixel lies between its neighbours.
        LocalDate date = LocalDate.of(2024, 2, 10);
        int mixed = 0;
        for (int r = 0; r < 60; r++) {
            double northing = 8_035_005 + 10 * r;
            float[] nir = new float[200];
            SEASON.reflectanceRow(S2Band.B08, date, 28_500, (long) Math.floor(northing / 10), nir);
            for (int x = 2; x < 198; x++) {
                long left = LAND.parcelAt(285_005 + 10 * (x - 1), northing).id();
                long self = LAND.parcelAt(285_005 + 10 * x, northing).id();
                long right = LAND.parcelAt(285_005 + 10 * (x + 1), northing).id();
                boolean edge = left != right && (self == left || self == right);
                if (edge && Math.abs(nir[x - 1] - nir[x + 1]) > 0.08) {
                    float lo = Math.min(nir[x - 1], nir[x + 1]), hi = Math.max(nir[x - 1], nir[x + 1]);
                    mixed += nir[x] > lo + 0.02 && nir[x] < hi - 0.02 ? 1 : 0;
                }
            }
        }
        assertTrue(mixed > 10, "edge pixels between their two fields: " + mixed);
    }

    @Test
    void datesOutsideTheSeasonAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SEASON.reflectance(S2Band.B04, LocalDate.of(2024, 9, 1), 285_000, 8_035_000));
        assertTrue(e.getMessage().contains("2024-09-01"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SEASON.reflectanceRow(S2Band.SCL, LocalDate.of(2024, 1, 1), 0, 0, new float[1]));
    }

    /** The acquisition with the most (but not total) cloud over the test cell. */
    private static LocalDate cloudiestDate() {
        LocalDate best = null;
        double bestF = -1;
        for (Acquisition a : SEASON.acquisitions()) {
            double f = SEASON.conditions(a.date()).targetCloudFraction();
            if (f < 0.7 && f > bestF) {
                bestF = f;
                best = a.date();
            }
        }
        return best;
    }
}
