package io.geocrop.raster;

import java.util.Arrays;

/**
 * A palette for a single-band uint8 (or uint16) categorical raster: entry i is the colour of value i as
 * 0xAARRGGBB. TIFF stores it as the ColorMap tag (16-bit R, G, B planes, no alpha); alpha is kept for rendering.
 */
public record ColorTable(int[] argb) {
    public ColorTable {
        if (argb.length == 0 || argb.length > 65536) {
            throw new IllegalArgumentException("a colour table has 1..65536 entries, got " + argb.length);
        }
        argb = argb.clone();
    }

    public int size() {
        return argb.length;
    }

    public int argb(int value) {
        return value >= 0 && value < argb.length ? argb[value] : 0;
    }

    @Override
    public int[] argb() {
        return argb.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColorTable c && Arrays.equals(argb, c.argb);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(argb);
    }

    @Override
    public String toString() {
        return "ColorTable[" + argb.length + " entries]";
    }
}
