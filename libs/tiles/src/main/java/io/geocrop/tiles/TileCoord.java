package io.geocrop.tiles;

/**
 * One XYZ tile of the Web Mercator (EPSG:3857) pyramid: zoom {@code z}, column {@code x} from the west, row
 * {@code y} from the north (the "XYZ"/slippy-map scheme, not TMS).
 *
 * @throws InvalidTileException naming {@code z}, {@code x} or {@code y} when it is out of range
 */
public record TileCoord(int z, int x, int y) {
    public TileCoord {
        TileMath.requireValid(z, x, y);
    }

    @Override
    public String toString() {
        return z + "/" + x + "/" + y;
    }
}
