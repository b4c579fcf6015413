package io.geocrop.features;

import java.util.List;

/**
 * The ten Sentinel-2 L2A bands the features use, in the order of the first dimension of
 * {@link SeasonTimeSeries} arrays. B01 and B09 (60 m, atmospheric) are not used.
 */
public enum Band {
    B02, B03, B04, B05, B06, B07, B08, B8A, B11, B12;

    /** All bands in array order. */
    public static final List<Band> ALL = List.of(values());

    /** Number of bands a {@link SeasonTimeSeries} must hold. */
    public static final int COUNT = ALL.size();

    /** The band's index in {@link SeasonTimeSeries} arrays. */
    public int index() {
        return ordinal();
    }
}
