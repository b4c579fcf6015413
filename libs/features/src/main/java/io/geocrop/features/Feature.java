package io.geocrop.features;

import java.util.Locale;

/**
 * The 51 features of {@code FEATURE_ORDER_V1}, in band order. This enum is the one definition of the order:
 * {@link FeatureOrder#FEATURE_ORDER_V1} is derived from it and {@code docs/features.md} is checked against it.
 * Never reorder, rename or insert constants: models record the order's hash. A new order is a new version.
 */
public enum Feature {
    // NDVI: raw clear-observation statistics, then phenology on the smoothed daily curve.
    NDVI_MEAN, NDVI_STD, NDVI_MIN, NDVI_MAX, NDVI_P10, NDVI_P50, NDVI_P90,
    NDVI_AMPLITUDE, NDVI_INTEGRAL, NDVI_PEAK_DAY, NDVI_SOS_DAY, NDVI_EOS_DAY, NDVI_SEASON_LENGTH,
    NDVI_GREENUP_RATE, NDVI_SENESCENCE_RATE,
    EVI_MEAN, EVI_MAX, EVI_P90, EVI_AMPLITUDE, EVI_PEAK_DAY,
    SAVI_MEAN, SAVI_MAX,
    NDRE_MEAN, NDRE_MAX, NDRE_P90, NDRE_PEAK_DAY,
    NDMI_MEAN, NDMI_MIN, NDMI_MAX, NDMI_AMPLITUDE,
    MNDWI_MEAN, MNDWI_MAX,
    BSI_MEAN, BSI_MAX,
    // Median reflectance within 20 days of the NDVI peak day.
    B02_PEAK_MEDIAN, B03_PEAK_MEDIAN, B04_PEAK_MEDIAN, B05_PEAK_MEDIAN, B06_PEAK_MEDIAN,
    B07_PEAK_MEDIAN, B08_PEAK_MEDIAN, B8A_PEAK_MEDIAN, B11_PEAK_MEDIAN, B12_PEAK_MEDIAN,
    // Early season (1 September .. 30 November) and mid-season NDVI.
    B04_SEP_NOV_MEDIAN, B08_SEP_NOV_MEDIAN, B11_SEP_NOV_MEDIAN, B12_SEP_NOV_MEDIAN,
    NDVI_DEC_MEDIAN, NDVI_FEB_MEDIAN,
    CLEAR_FRACTION;

    private final String featureName = name().toLowerCase(Locale.ROOT);

    /** The snake_case name used in band descriptions, model metadata and the docs, e.g. {@code ndvi_mean}. */
    public String featureName() {
        return featureName;
    }

    /** Zero-based position in {@code FEATURE_ORDER_V1} (= band number - 1 in a feature GeoTIFF). */
    public int index() {
        return ordinal();
    }
}
