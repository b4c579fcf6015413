package io.geocrop.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Crop classes v1 as stored in outputs (uint8, 0 is nodata). One colour each, used by the tile renderer,
 * the legend and the COG colour table alike.
 */
public enum CropClass {
    MAIZE(1, "maize", "Maize", 0xF2C12E),
    TOBACCO(2, "tobacco", "Tobacco", 0x8C5A2B),
    SOYBEAN(3, "soybean", "Soybean", 0x9ACD32),
    GROUNDNUT(4, "groundnut", "Groundnut", 0xE07B39),
    COTTON(5, "cotton", "Cotton", 0xF5F0E1),
    SORGHUM_MILLET(6, "sorghum_millet", "Sorghum / millet", 0xC0392B),
    SUGARCANE(7, "sugarcane", "Sugarcane", 0x7B3FA0),
    GRASSLAND_SHRUB(8, "grassland_shrub", "Grassland / shrub", 0xB5D99C),
    TREES(9, "trees", "Trees", 0x1E6B30),
    WATER(10, "water", "Water", 0x2E86DE),
    BARE_BUILT(11, "bare_built", "Bare / built", 0x9E9E9E);

    /** The class value that means "no data" in every output. */
    public static final int NODATA = 0;

    private static final CropClass[] BY_CODE = new CropClass[12];

    static {
        for (CropClass c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    private final int code;
    private final String id;
    private final String label;
    private final int rgb;

    CropClass(int code, String id, String label, int rgb) {
        this.code = code;
        this.id = id;
        this.label = label;
        this.rgb = rgb;
    }

    /** The uint8 value in output rasters. */
    public int code() {
        return code;
    }

    /** Stable machine name, used in model cards and APIs. */
    public String id() {
        return id;
    }

    /** Name shown to people. */
    public String label() {
        return label;
    }

    /** Colour as 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    /** Colour as {@code #rrggbb}. */
    public String hex() {
        return String.format("#%06x", rgb);
    }

    public static Optional<CropClass> ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }

    public static List<CropClass> all() {
        return Arrays.asList(values());
    }
}
