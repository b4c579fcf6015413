package io.geocrop.training;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.UtmZone;

/**
 * A 10 m pixel of the processing grid: a job tile and a position in it.
 *
 * @param tile the job tile
 * @param x    column, 0 at the west edge
 * @param y    row, 0 at the north edge (the order of a tile's feature arrays)
 */
public record PixelRef(JobTile tile, int x, int y) {
    public PixelRef {
        int size = ProcessingGrid.TILE_SIZE_PX;
        if (x < 0 || y < 0 || x >= size || y >= size) {
            throw new IllegalArgumentException("pixel (" + x + ", " + y + ") is outside a " + size + " px tile");
        }
    }

    /** Index into the tile's feature arrays. */
    public int index() {
        return y * ProcessingGrid.TILE_SIZE_PX + x;
    }

    /** The pixel centre in the tile's UTM zone, {@code [easting, northing]}. */
    public double[] centre() {
        return new double[] {tile.minX() + (x + 0.5) * ProcessingGrid.PIXEL_SIZE_M,
                tile.maxY() - (y + 0.5) * ProcessingGrid.PIXEL_SIZE_M};
    }

    /** The pixel centre in WGS84, {@code [lon, lat]}. */
    public double[] lonLat() {
        double[] c = centre();
        return UtmZone.ofEpsg(tile.epsg()).inverse(c[0], c[1]);
    }
}
