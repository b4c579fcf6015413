package io.geocrop.features;

import io.geocrop.domain.Season;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One season of Sentinel-2 surface reflectance for a block of {@code width x height} pixels (row-major pixel
 * index {@code row * width + col}), laid out for throughput: one primitive array per band and acquisition, no
 * per-pixel objects.
 *
 * <ul>
 *   <li>{@code days[t]}: day of acquisition {@code t} counted from 1 September of the season year (day 0),
 *       strictly ascending (merge same-day acquisitions before), within the season (0 .. {@link #lastDay()}).</li>
 *   <li>samples {@code [band][t][pixel]} with bands in {@link Band} order: either reflectance as float
 *       ({@link #ofReflectance}) or reflectance x 10000 as signed 16-bit integers ({@link #ofScaledReflectance},
 *       reflectance = value / 10000 rounded to float, so -3.2768 .. 3.2767 in steps of 0.0001; the same data in
 *       either form gives identical features). Zero and negative reflectance are data, not gaps: L2A
 *       reflectance of water in the SWIR or of deep shadow is often at or below zero after the atmospheric
 *       correction. Whether a sample is usable is said by its quality code alone.</li>
 *   <li>{@code quality[t][pixel]}: {@link #NO_DATA} (the acquisition does not cover the pixel),
 *       {@link #MASKED} (covered but cloud, shadow, ... ) or {@link #CLEAR}; see {@link #qualityOfScl}.</li>
 * </ul>
 *
 * The arrays are wrapped, not copied: the caller must not change them while features are computed. Shapes, days
 * and quality codes are checked here; reflectance values are checked by the kernel as it reads them (a clear
 * float sample must be finite).
 */
public final class SeasonTimeSeries {

    /** The acquisition does not cover the pixel (outside the swath, DN 0, SCL 0): not counted at all. */
    public static final byte NO_DATA = 0;
    /** The pixel was observed but is not usable (cloud, shadow, cirrus, saturated, ...). */
    public static final byte MASKED = 1;
    /** The pixel was observed under a clear sky: its reflectance enters the features. */
    public static final byte CLEAR = 2;

    private final Season season;
    private final int width;
    private final int height;
    private final int[] days;
    private final float[][][] reflectance;
    private final short[][][] scaledReflectance;
    private final byte[][] quality;

    private SeasonTimeSeries(Season season, int width, int height, int[] days, float[][][] reflectance,
                             short[][][] scaledReflectance, byte[][] quality) {
        this.season = season;
        this.width = width;
        this.height = height;
        this.days = days;
        this.reflectance = reflectance;
        this.scaledReflectance = scaledReflectance;
        this.quality = quality;
    }

    /**
     * A block whose samples are surface reflectance (DN / 10000 already applied), {@code [band][t][pixel]}.
     *
     * @throws IllegalArgumentException naming the first inconsistency in shapes, days or quality codes
     */
    public static SeasonTimeSeries ofReflectance(Season season, int width, int height, int[] days,
                                                 float[][][] reflectance, byte[][] quality) {
        int pixels = checkHeader(season, width, height, days, quality);
        Objects.requireNonNull(reflectance, "reflectance");
        checkBandCount(reflectance.length);
        for (int b = 0; b < Band.COUNT; b++) {
            float[][] band = reflectance[b];
            if (band == null || band.length != days.length) {
                throw new IllegalArgumentException("reflectance[" + Band.ALL.get(b) + "] must hold " + days.length
                        + " acquisitions, has " + (band == null ? "null" : band.length));
            }
            for (int t = 0; t < days.length; t++) {
                if (band[t] == null || band[t].length != pixels) {
                    throw new IllegalArgumentException("reflectance[" + Band.ALL.get(b) + "][" + t + "] must hold "
                            + pixels + " pixels, has " + (band[t] == null ? "null" : band[t].length));
                }
            }
        }
        return new SeasonTimeSeries(season, width, height, days, reflectance, null, quality);
    }

    /**
     * A block whose samples are surface reflectance x 10000 as signed 16-bit integers (reflectance = value /
     * 10000; the reader has already applied each asset's scale and offset), {@code [band][t][pixel]}. Half the
     * memory of float input, and identical features.
     *
     * @throws IllegalArgumentException naming the first inconsistency in shapes, days or quality codes
     */
    public static SeasonTimeSeries ofScaledReflectance(Season season, int width, int height, int[] days,
                                                       short[][][] scaledReflectance, byte[][] quality) {
        int pixels = checkHeader(season, width, height, days, quality);
        Objects.requireNonNull(scaledReflectance, "scaledReflectance");
        checkBandCount(scaledReflectance.length);
        for (int b = 0; b < Band.COUNT; b++) {
            short[][] band = scaledReflectance[b];
            if (band == null || band.length != days.length) {
                throw new IllegalArgumentException("scaledReflectance[" + Band.ALL.get(b) + "] must hold "
                        + days.length + " acquisitions, has " + (band == null ? "null" : band.length));
            }
            for (int t = 0; t < days.length; t++) {
                if (band[t] == null || band[t].length != pixels) {
                    throw new IllegalArgumentException("scaledReflectance[" + Band.ALL.get(b) + "][" + t
                            + "] must hold " + pixels + " pixels, has " + (band[t] == null ? "null" : band[t].length));
                }
            }
        }
        return new SeasonTimeSeries(season, width, height, days, null, scaledReflectance, quality);
    }

    /** Reflectance x 10000 as the signed 16-bit value {@link #ofScaledReflectance} holds, clamped to its range. */
    public static short scale(double reflectance) {
        return (short) Math.clamp(Math.round(reflectance * SCALE), Short.MIN_VALUE, Short.MAX_VALUE);
    }

    /** Scaled reflectance units per unit of reflectance. */
    public static final int SCALE = 10_000;

    /**
     * Quality code of a Sentinel-2 scene-classification (SCL) value: 0 is {@link #NO_DATA}; 2 (dark area),
     * 4 (vegetation), 5 (bare), 6 (water), 7 (unclassified) and 11 (snow) are {@link #CLEAR}; every other class
     * (1 saturated, 3 cloud shadow, 8/9 cloud, 10 cirrus) is {@link #MASKED}.
     *
     * @throws IllegalArgumentException if {@code scl} is not an SCL class (0 .. 11)
     */
    public static byte qualityOfScl(int scl) {
        return switch (scl) {
            case 0 -> NO_DATA;
            case 2, 4, 5, 6, 7, 11 -> CLEAR;
            case 1, 3, 8, 9, 10 -> MASKED;
            default -> throw new IllegalArgumentException("SCL value " + scl + " is not a scene class (0..11)");
        };
    }

    /** Last valid day index of a season: the day of 31 May (272, or 273 when February has 29 days). */
    public static int lastDayOf(Season season) {
        return (int) season.dayOfSeason(season.end());
    }

    private static int checkHeader(Season season, int width, int height, int[] days, byte[][] quality) {
        Objects.requireNonNull(season, "season");
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(quality, "quality");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("block size must be positive, got width " + width + ", height " + height);
        }
        int pixels;
        try {
            pixels = Math.multiplyExact(width, height);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("block of " + width + " x " + height + " pixels is too large", e);
        }
        int lastDay = lastDayOf(season);
        for (int t = 0; t < days.length; t++) {
            if (days[t] < 0 || days[t] > lastDay) {
                throw new IllegalArgumentException("days[" + t + "] = " + days[t] + " is outside season "
                        + season.year() + " (0 = " + season.start() + " .. " + lastDay + " = " + season.end() + ")");
            }
            if (t > 0 && days[t] <= days[t - 1]) {
                throw new IllegalArgumentException("days must be strictly ascending (merge same-day acquisitions): days["
                        + (t - 1) + "] = " + days[t - 1] + ", days[" + t + "] = " + days[t]);
            }
        }
        if (quality.length != days.length) {
            throw new IllegalArgumentException("quality must hold " + days.length + " acquisitions, has " + quality.length);
        }
        for (int t = 0; t < days.length; t++) {
            byte[] q = quality[t];
            if (q == null || q.length != pixels) {
                throw new IllegalArgumentException("quality[" + t + "] must hold " + pixels + " pixels, has "
                        + (q == null ? "null" : q.length));
            }
            for (int p = 0; p < pixels; p++) {
                if (q[p] != NO_DATA && q[p] != MASKED && q[p] != CLEAR) {
                    throw new IllegalArgumentException("quality[" + t + "][" + p + "] = " + q[p]
                            + " is not NO_DATA (0), MASKED (1) or CLEAR (2)");
                }
            }
        }
        return pixels;
    }

    private static void checkBandCount(int bands) {
        if (bands != Band.COUNT) {
            throw new IllegalArgumentException("expected " + Band.COUNT + " bands " + Band.ALL + ", got " + bands);
        }
    }

    public Season season() {
        return season;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of pixels in the block, {@code width * height}. */
    public int pixelCount() {
        return width * height;
    }

    /** Number of acquisitions T. */
    public int acquisitionCount() {
        return days.length;
    }

    /** Day (since 1 September) of acquisition {@code t}. */
    public int day(int t) {
        return days[t];
    }

    /** Last day of this series' season (see {@link #lastDayOf}). */
    public int lastDay() {
        return lastDayOf(season);
    }

    /** Day since 1 September of a calendar date of this season. */
    public int dayOf(LocalDate date) {
        return (int) season.dayOfSeason(date);
    }

    /** Quality code ({@link #NO_DATA}, {@link #MASKED}, {@link #CLEAR}) of acquisition {@code t} at a pixel. */
    public byte quality(int t, int pixel) {
        return quality[t][pixel];
    }

    /** Reflectance of a band at acquisition {@code t} and a pixel (value / 10000 for scaled input). */
    public float reflectance(Band band, int t, int pixel) {
        return scaledReflectance != null
                ? (float) (scaledReflectance[band.index()][t][pixel] / (double) SCALE)
                : reflectance[band.index()][t][pixel];
    }

    /** True if samples are scaled 16-bit reflectance, false if reflectance floats. */
    public boolean isScaledReflectance() {
        return scaledReflectance != null;
    }

    // Package-private raw access for the kernel: no copies, no bounds re-checks beyond the JVM's.
    int[] days() {
        return days;
    }

    float[][][] reflectance() {
        return reflectance;
    }

    short[][][] scaledReflectance() {
        return scaledReflectance;
    }

    byte[][] quality() {
        return quality;
    }
}
