package io.geocrop.raster;

/** A rectangle of pixels: top-left (col, row), size in pixels. */
public record RasterWindow(int col, int row, int width, int height) {
    public RasterWindow {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + width + "x" + height);
        }
    }

    /** The part of this window inside a raster of the given size, or null if they do not overlap. */
    public RasterWindow clipTo(int rasterWidth, int rasterHeight) {
        int c0 = Math.max(col, 0), r0 = Math.max(row, 0);
        int c1 = Math.min(col + width, rasterWidth), r1 = Math.min(row + height, rasterHeight);
        return c1 > c0 && r1 > r0 ? new RasterWindow(c0, r0, c1 - c0, r1 - r0) : null;
    }
}
