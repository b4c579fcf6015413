package io.geocrop.tiles;

/**
 * A rendered tile: one palette index per pixel, row-major from the north-west corner, and its palette
 * (0xAARRGGBB, alpha 0 = transparent).
 */
public record TileImage(int width, int height, byte[] indices, int[] palette) {
    public TileImage {
        if (width <= 0 || height <= 0 || (long) width * height != indices.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " tile needs " + (long) width * height
                    + " indices, got " + indices.length);
        }
        if (palette.length == 0 || palette.length > 256) {
            throw new IllegalArgumentException("a PNG palette has 1..256 entries, got " + palette.length);
        }
    }

    /** Palette index of pixel (x, y). */
    public int index(int x, int y) {
        return indices[y * width + x] & 0xff;
    }
}
