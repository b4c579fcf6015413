package io.geocrop.raster;

/** How to compute a pixel from several source pixels (overviews, reprojection). */
public enum Resampling {
    /** The source pixel under the target pixel's centre; for categories and exact values. */
    NEAREST,
    /** Distance-weighted mean of the four nearest source pixels; continuous data only. */
    BILINEAR,
    /** Mean of the covered source pixels, ignoring nodata; continuous data (overviews). */
    AVERAGE,
    /** Most frequent covered value, ignoring nodata, ties to the smallest value; categories (overviews). */
    MODE
}
