package io.geocrop.features;

import io.geocrop.domain.Season;
import io.geocrop.features.ReferenceFeatures.Obs;
import java.util.List;

/** Test helpers: single-pixel series from observations, and reading one pixel's features. */
final class Series {

    private Series() {
    }

    /** One observation; bands in {@link Band} order: B02 B03 B04 B05 B06 B07 B08 B8A B11 B12. */
    static Obs obs(int day, byte quality, double... bands) {
        if (bands.length != Band.COUNT) {
            throw new IllegalArgumentException("need 10 bands");
        }
        // The kernel sees float32 reflectance; the expectations must use the same rounded values.
        double[] asFloat = new double[bands.length];
        for (int b = 0; b < bands.length; b++) {
            asFloat[b] = (float) bands[b];
        }
        return new Obs(day, quality, asFloat);
    }

    static Obs clear(int day, double... bands) {
        return obs(day, SeasonTimeSeries.CLEAR, bands);
    }

    static SeasonTimeSeries onePixel(Season season, List<Obs> observations) {
        int t = observations.size();
        int[] days = new int[t];
        float[][][] refl = new float[Band.COUNT][t][1];
        byte[][] quality = new byte[t][1];
        for (int i = 0; i < t; i++) {
            Obs o = observations.get(i);
            days[i] = o.day();
            quality[i][0] = o.quality();
            for (int b = 0; b < Band.COUNT; b++) {
                refl[b][i][0] = (float) o.bands()[b];
            }
        }
        return SeasonTimeSeries.ofReflectance(season, 1, 1, days, refl, quality);
    }

    /** Features of pixel 0 of a single-pixel series, as doubles in feature order. */
    static double[] featuresOf(Season season, List<Obs> observations) {
        float[][] out = new FeatureExtractor().extract(onePixel(season, observations));
        double[] f = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            f[i] = out[i][0];
        }
        return f;
    }

    /** The reference features for the calendar windows of a season. */
    static double[] reference(Season season, List<Obs> observations) {
        SeasonTimeSeries s = onePixel(season, observations);
        int y = season.year();
        java.time.YearMonth feb = java.time.YearMonth.of(y + 1, 2);
        return ReferenceFeatures.compute(observations, s.lastDay(),
                s.dayOf(java.time.LocalDate.of(y, 11, 30)),
                s.dayOf(java.time.LocalDate.of(y, 12, 1)), s.dayOf(java.time.LocalDate.of(y, 12, 31)),
                s.dayOf(feb.atDay(1)), s.dayOf(feb.atEndOfMonth()));
    }
}
