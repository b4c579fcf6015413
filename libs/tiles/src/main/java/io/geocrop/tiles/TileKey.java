package io.geocrop.tiles;

/**
 * What identifies one rendered tile in a {@link TileCache}.
 *
 * @param layer   the layer id ({@code job-<uuid>-class}, {@code dw-2024}, ...)
 * @param version changes whenever the bytes would: the source object's ETag and the style version
 * @param z       zoom
 * @param x       column
 * @param y       row
 * @param scale   1 for 256 px tiles, 2 for 512 px ({@code @2x})
 */
public record TileKey(String layer, String version, int z, int x, int y, int scale) {
    /** Rough heap cost of the key and map entry, counted against the cache bound along with the PNG. */
    static final int OVERHEAD_BYTES = 160;

    /** A stable string form ({@code layer/version/z/x/y@scale}), e.g. for a Redis key. */
    public String asString() {
        return layer + "/" + version + "/" + z + "/" + x + "/" + y + "@" + scale;
    }
}
