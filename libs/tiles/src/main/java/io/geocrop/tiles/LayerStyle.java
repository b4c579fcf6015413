package io.geocrop.tiles;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.DynamicWorldClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one band of a uint8 COG becomes a palette image: which band, a lookup from sample value to palette index,
 * the palette (0xAARRGGBB, alpha 0 = transparent) and the legend. Every style has a transparent palette entry
 * used for nodata and for pixels outside the data. Immutable.
 *
 * <p>The three styles GeoCrop serves:
 * <ul>
 *   <li>{@link #CROP_CLASS}: band 1 of a job COG, {@link CropClass} colours, 0 transparent;</li>
 *   <li>{@link #CONFIDENCE}: band 2 of a job COG, {@link ConfidenceRamp} (101 colours), transparent wherever
 *       band 1 is nodata (the classifier said nothing there, so neither does its confidence);</li>
 *   <li>{@link #DYNAMIC_WORLD}: a Dynamic World label COG (values 0..8, nodata 255) in DW's own colours
 *       ({@link DynamicWorldClass}); legend names are DW's class names ({@code water}, {@code shrub_and_scrub}).</li>
 * </ul>
 * {@link #version()} is part of every tile ETag: bump it when colours change so caches let go of old tiles.
 */
public final class LayerStyle {
    /** Kind of legend a style has. */
    public enum Kind { CATEGORICAL, RAMP }

    /** Nodata of Dynamic World label baselines: {@link DynamicWorldClass#NODATA}. */
    public static final int DW_NODATA = DynamicWorldClass.NODATA;

    public static final LayerStyle CROP_CLASS = cropClass();
    public static final LayerStyle CONFIDENCE = confidence();
    public static final LayerStyle DYNAMIC_WORLD = dynamicWorld();

    private final String id;
    private final int version;
    private final Kind kind;
    private final int band;
    private final int maskBand;
    private final int maskValue;
    private final int[] palette;
    private final byte[] lookup;
    private final int transparentIndex;
    private final List<LegendEntry> legend;

    private LayerStyle(String id, int version, Kind kind, int band, int maskBand, int maskValue, int[] palette,
                       byte[] lookup, int transparentIndex, List<LegendEntry> legend) {
        this.id = id;
        this.version = version;
        this.kind = kind;
        this.band = band;
        this.maskBand = maskBand;
        this.maskValue = maskValue;
        this.palette = palette;
        this.lookup = lookup;
        this.transparentIndex = transparentIndex;
        this.legend = List.copyOf(legend);
    }

    private static LayerStyle cropClass() {
        int[] palette = new int[12];
        byte[] lookup = new byte[256];
        List<LegendEntry> legend = new ArrayList<>();
        for (CropClass c : CropClass.all()) {
            palette[c.code()] = 0xff000000 | c.rgb();
            lookup[c.code()] = (byte) c.code();
            legend.add(new LegendEntry(c.code(), c.label(), c.hex()));
        }
        // Index 0 (CropClass.NODATA) stays transparent, and so does every value that is not a class.
        return new LayerStyle("crop-class", 1, Kind.CATEGORICAL, 0, -1, 0, palette, lookup, CropClass.NODATA, legend);
    }

    private static LayerStyle confidence() {
        int transparent = ConfidenceRamp.MAX + 1;
        int[] palette = new int[transparent + 1];
        byte[] lookup = new byte[256];
        for (int v = 0; v < 256; v++) {
            lookup[v] = (byte) Math.min(v, ConfidenceRamp.MAX);
        }
        for (int v = 0; v <= ConfidenceRamp.MAX; v++) {
            palette[v] = 0xff000000 | ConfidenceRamp.rgb(v);
        }
        List<LegendEntry> legend = new ArrayList<>();
        for (int v = 0; v <= ConfidenceRamp.MAX; v += 25) {
            legend.add(new LegendEntry(v, v + "%", hex(ConfidenceRamp.rgb(v))));
        }
        return new LayerStyle("confidence", 1, Kind.RAMP, 1, 0, CropClass.NODATA, palette, lookup, transparent, legend);
    }

    private static LayerStyle dynamicWorld() {
        List<DynamicWorldClass> classes = DynamicWorldClass.all();
        int transparent = classes.size();
        int[] palette = new int[transparent + 1];
        byte[] lookup = new byte[256];
        Arrays.fill(lookup, (byte) transparent);
        List<LegendEntry> legend = new ArrayList<>();
        for (DynamicWorldClass c : classes) {
            palette[c.code()] = 0xff000000 | c.rgb();
            lookup[c.code()] = (byte) c.code();
            legend.add(new LegendEntry(c.code(), c.id(), c.hex()));
        }
        // NODATA (255) and every value that is not a class map to the transparent entry after the classes.
        return new LayerStyle("dynamic-world", 1, Kind.CATEGORICAL, 0, -1, 0, palette, lookup, transparent, legend);
    }

    private static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xffffff);
    }

    /** Stable name of the style. */
    public String id() {
        return id;
    }

    /** Changes whenever the colours do; part of tile ETags and cache keys. */
    public int version() {
        return version;
    }

    public Kind kind() {
        return kind;
    }

    /** 0-based COG band rendered. */
    public int band() {
        return band;
    }

    /** 0-based band whose {@link #maskValue()} makes a pixel transparent, or -1 for none. */
    public int maskBand() {
        return maskBand;
    }

    public int maskValue() {
        return maskValue;
    }

    /** Palette entries as 0xAARRGGBB (a copy). */
    public int[] palette() {
        return palette.clone();
    }

    int[] paletteUnsafe() {
        return palette;
    }

    /** Palette index of a sample value 0..255. */
    public int indexOf(int value) {
        return lookup[value & 0xff] & 0xff;
    }

    byte[] lookupUnsafe() {
        return lookup;
    }

    /** The palette entry used for nodata and outside the data. */
    public int transparentIndex() {
        return transparentIndex;
    }

    /** Legend lines, in value order. */
    public List<LegendEntry> legend() {
        return legend;
    }

    @Override
    public String toString() {
        return id + " v" + version;
    }
}
