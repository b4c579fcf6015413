package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;

/**
 * Seasonal ground cover per class, timed for Zimbabwe's summer season (day 0 = 1 September): the green
 * (photosynthetic) fraction, the dry (senescent or woody) fraction, and bare soil as the rest.
 *
 * <p>Green cover is a double logistic: it rises around {@code sos} (start of season, after planting and
 * emergence) and falls around {@code eos} (senescence or reaping). Planting dates and vigour vary per parcel.
 * Calendar (from the FAO/FEWS NET Zimbabwe crop calendars): tobacco transplanted Sept-Oct and reaped Jan-Mar;
 * maize planted Nov-Dec with the rains, peaking in February, drying in the field from late March; soybean and
 * groundnut Dec-Apr; cotton running into May; sorghum and millet Dec-Mar; sugarcane irrigated and green all year;
 * miombo woodland flushing Oct-Nov, before the rains; grass green with the rains Nov-Apr.
 */
final class Phenology {
    private Phenology() {}

    /**
     * @param plantDay   mean planting day (day of season); parcels shift it by up to {@code plantSpread} days
     * @param greenUp    days from planting to the middle of the green-up
     * @param rise       logistic width of the green-up, days
     * @param eosDay     mean middle of senescence / reaping (shifted with planting)
     * @param fall       logistic width of the decline, days
     * @param greenMin   green fraction outside the season
     * @param greenMax   green fraction at the peak (before vigour)
     * @param dryPeak    dry fraction left standing after senescence (stalks, straw)
     * @param harvestDay mean day the dry material is removed (harvest, stalk destruction)
     * @param dryBase    dry fraction before planting (stubble, litter) or permanent (wood)
     */
    record Calendar(double plantDay, double plantSpread, double greenUp, double rise, double eosDay, double fall,
                    double greenMin, double greenMax, double dryPeak, double harvestDay, double dryBase) {}

    // Planting spread of several weeks (the rains arrive field by field, labour and seed run short), and two
    // confusable pairs as on real crop maps: sorghum/millet follows maize days later with a slightly thinner canopy, and
    // groundnut follows soybean with a slightly lower, earlier-reaped canopy. Vigour (0.55 .. 1.1) overlaps them.
    static final Calendar MAIZE = new Calendar(85, 30, 30, 9, 200, 10, 0.02, 0.86, 0.50, 265, 0.10);
    static final Calendar TOBACCO = new Calendar(40, 18, 30, 8, 150, 14, 0.02, 0.80, 0.15, 200, 0.05);
    static final Calendar SOYBEAN = new Calendar(100, 18, 28, 7, 205, 6, 0.02, 0.90, 0.45, 232, 0.08);
    static final Calendar GROUNDNUT = new Calendar(97, 18, 29, 8, 201, 7, 0.02, 0.80, 0.40, 224, 0.07);
    static final Calendar COTTON = new Calendar(90, 18, 35, 9, 236, 12, 0.02, 0.76, 0.40, 275, 0.10);
    static final Calendar SORGHUM_MILLET = new Calendar(90, 30, 30, 8, 198, 9, 0.02, 0.78, 0.48, 258, 0.10);
    static final Calendar GRASS = new Calendar(80, 14, 0, 10, 215, 15, 0.08, 0.58, 0.0, 0, 0.0);
    static final Calendar TREES = new Calendar(60, 8, 0, 8, 270, 15, 0.30, 0.78, 0.0, 0, 0.15);

    /** Total vegetation cover of grassland: what is not green is standing dry grass. */
    private static final double GRASS_TOTAL_COVER = 0.78;

    static Calendar calendar(CropClass c) {
        return switch (c) {
            case MAIZE -> MAIZE;
            case TOBACCO -> TOBACCO;
            case SOYBEAN -> SOYBEAN;
            case GROUNDNUT -> GROUNDNUT;
            case COTTON -> COTTON;
            case SORGHUM_MILLET -> SORGHUM_MILLET;
            case GRASSLAND_SHRUB -> GRASS;
            case TREES -> TREES;
            case SUGARCANE, WATER, BARE_BUILT -> null;
        };
    }

    /**
     * Green and dry cover of a parcel on a day of the season, written into {@code out[0]} (green) and
     * {@code out[1]} (dry). Their sum is at most 1; the rest is soil (or water, or built surface). The season's
     * {@link Rainfall} moves the rain-fed calendars and scales their canopy.
     */
    static void cover(Parcel parcel, double day, Rainfall rain, double[] out) {
        CropClass c = parcel.cropClass();
        double green, dry;
        switch (c) {
            case SUGARCANE -> {
                // Irrigated, ratooned cane: a closed canopy all season, a little greener in the hot wet months.
                green = (0.72 + 0.15 * (logistic(day, 90, 20) - logistic(day, 260, 20))) * parcel.vigour();
                dry = 0.08;
            }
            case WATER -> {
                green = 0;
                dry = 0;
            }
            case BARE_BUILT -> {
                // Yards, roads and roofs: a little weedy green in the rains, nothing else.
                green = 0.05 * (logistic(day, 90, 10) - logistic(day, 220, 10));
                dry = 0.03;
            }
            default -> {
                Calendar k = calendar(c);
                // Rain-fed planting follows the onset of the rains; tobacco is transplanted from irrigated seedbeds
                // (half the shift), trees flush before the rains (no shift).
                double onset = c == CropClass.TREES ? 0 : c == CropClass.TOBACCO ? rain.onsetShiftDays() / 2
                        : rain.onsetShiftDays();
                double shift = parcel.plantingShiftDays() + onset;
                double vigour = parcel.vigour() * (c == CropClass.TREES ? 1 : rain.vigour());
                double sos = k.plantDay() + shift + k.greenUp();
                double eos = k.eosDay() + shift;
                double season = Math.max(0, logistic(day, sos, k.rise()) - logistic(day, eos, k.fall()));
                green = k.greenMin() + (k.greenMax() * vigour - k.greenMin()) * season;
                if (c == CropClass.GRASSLAND_SHRUB) {
                    dry = Math.max(0.1, GRASS_TOTAL_COVER - green);
                } else if (c == CropClass.TREES) {
                    dry = k.dryBase();
                } else {
                    double senesced = logistic(day, eos, k.fall()) * (1 - logistic(day, k.harvestDay() + shift, 6));
                    double beforePlanting = 1 - logistic(day, k.plantDay() + shift, 4);
                    dry = k.dryPeak() * senesced + k.dryBase() * beforePlanting;
                }
            }
        }
        green = Math.min(Math.max(green, 0), 0.97);
        dry = Math.min(Math.max(dry, 0), 1 - green);
        out[0] = green;
        out[1] = dry;
    }

    /** Soil darkening by moisture, 0 (dry) .. 0.25 (wet), following the rains (mid Nov to early April). */
    static double soilWetness(double day, Rainfall rain) {
        double onset = rain.onsetShiftDays();
        return 0.25 * rain.vigour() * Math.max(0, logistic(day, 75 + onset, 10) - logistic(day, 215 + onset / 2, 12));
    }

    /**
     * The rains of one season: how many days their onset differs from the mean (early rains are negative), and a
     * factor on rain-fed canopy (a dry season grows thinner crops). A pure function of the seed and the season
     * year, so neighbouring seasons differ as real ones do and a model trained on one season meets a shifted
     * calendar in another.
     *
     * @param onsetShiftDays onset of the rains minus the mean onset, days (-12 .. +18)
     * @param vigour         factor on rain-fed green cover (0.85 .. 1.05)
     */
    record Rainfall(double onsetShiftDays, double vigour) {
        private static final long SALT_RAIN = 51;
        /** A season at the mean: no shift, vigour 1. */
        static final Rainfall MEAN = new Rainfall(0, 1);

        /** The rains of season {@code year} in the world of {@code seed}. */
        static Rainfall of(long seed, int year) {
            long h = Hashing.hash(seed, SALT_RAIN, year, 0);
            double onset = Math.rint(-12 + 30 * Hashing.unit(h));
            double vigour = 0.85 + 0.20 * Hashing.unit(Hashing.mix(h));
            return new Rainfall(onset, vigour);
        }
    }

    /** The logistic step {@code 1 / (1 + exp(-(x - mid) / width))}; StrictMath so results are bit-identical. */
    static double logistic(double x, double mid, double width) {
        return 1 / (1 + StrictMath.exp(-(x - mid) / width));
    }
}
