package io.geocrop.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Dynamic World V1 land-cover classes ({@code GOOGLE/DYNAMICWORLD/V1}, label band), as published in the Earth
 * Engine catalogue and recorded in {@code shared/data/dynamic-world/classes.json}: value = index 0..8, the
 * catalogue's name and colour. The one definition used by the baseline tiles, their legend and the colour table of
 * baseline COGs. Baselines store the label as uint8 with {@link #NODATA} where there is none.
 */
public enum DynamicWorldClass {
    WATER(0, "water", "Water", 0x419bdf),
    TREES(1, "trees", "Trees", 0x397d49),
    GRASS(2, "grass", "Grass", 0x88b053),
    FLOODED_VEGETATION(3, "flooded_vegetation", "Flooded vegetation", 0x7a87c6),
    CROPS(4, "crops", "Crops", 0xe49635),
    SHRUB_AND_SCRUB(5, "shrub_and_scrub", "Shrub and scrub", 0xdfc35a),
    BUILT(6, "built", "Built", 0xc4281b),
    BARE(7, "bare", "Bare", 0xa59b8f),
    SNOW_AND_ICE(8, "snow_and_ice", "Snow and ice", 0xb39fe1);

    /** The label value meaning "no data" in baseline COGs (Dynamic World uses 0..8, so 255 is free). */
    public static final int NODATA = 255;
    /** Ground sample distance of Dynamic World, metres (the catalogue's {@code gsdMeters}). */
    public static final double GSD_M = 10;

    private static final DynamicWorldClass[] BY_CODE = values();

    private final int code;
    private final String id;
    private final String label;
    private final int rgb;

    DynamicWorldClass(int code, String id, String label, int rgb) {
        this.code = code;
        this.id = id;
        this.label = label;
        this.rgb = rgb;
    }

    /** The label value (0..8) in baseline rasters. */
    public int code() {
        return code;
    }

    /** Dynamic World's own class name, e.g. {@code shrub_and_scrub}. */
    public String id() {
        return id;
    }

    /** Name shown to people, e.g. {@code Shrub and scrub}. */
    public String label() {
        return label;
    }

    /** Colour as 0xRRGGBB (Dynamic World's palette). */
    public int rgb() {
        return rgb;
    }

    /** Colour as {@code #rrggbb}. */
    public String hex() {
        return String.format("#%06x", rgb);
    }

    /** The class of a label value; empty for {@link #NODATA} and any other value outside 0..8. */
    public static Optional<DynamicWorldClass> ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** Every class, in value order. */
    public static List<DynamicWorldClass> all() {
        return Arrays.asList(values());
    }
}
