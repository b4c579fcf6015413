package io.geocrop.imagery.s2;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;

/**
 * Nearest-neighbour resampling onto a job tile's 10 m grid without a warp, for a source in the tile's own UTM zone
 * whose pixels are a whole multiple {@code k} of 10 m (10 m bands: k = 1, SCL and 20 m bands: k = 2, 60 m: 6) and
 * whose pixel edges fall on the tile grid's. Then target pixel {@code c} (edge offset {@code off} tile pixels from
 * the source window's edge) has its centre at source coordinate {@code (c + off + 0.5) / k}, whose fractional part
 * is at least {@code 1 / (2k)} from a whole number, so the source pixel is exactly {@code (c + off) / k} (integer
 * division), the pixel {@link io.geocrop.raster.proj.Warp} picks for it: the same samples, with no per-pixel
 * coordinate arithmetic (a 10 m band becomes one row copy per tile row). Pixels outside the source window are 0,
 * the nodata the warp fills with, and a nodata sample (0) stays 0 either way.
 */
final class AlignedNearest {
    private static final int TILE = ProcessingGrid.TILE_SIZE_PX;
    private static final double PIXEL = ProcessingGrid.PIXEL_SIZE_M;

    private AlignedNearest() {
    }

    /**
     * The window's samples on the tile grid as unsigned 16-bit values, or null when the grids do not align (the
     * caller warps).
     *
     * @param source          the decoded window, one band of uint8 or uint16
     * @param windowTransform the window's geotransform (same CRS as the tile)
     */
    static short[] onTileGrid(Raster source, GeoTransform windowTransform, JobTile tile) {
        if (source.bandCount() != 1 || windowTransform.rowRotation() != 0 || windowTransform.colRotation() != 0) {
            return null;
        }
        SampleType type = source.sampleType();
        if (type != SampleType.UINT16 && type != SampleType.UINT8) {
            return null;
        }
        int k = wholeMultiple(windowTransform.pixelWidth());
        if (k == 0 || wholeMultiple(-windowTransform.pixelHeight()) != k) {
            return null;
        }
        // Offsets of the tile's edges from the window's, in tile pixels; both must be whole.
        double colOffset = (tile.minX() - windowTransform.originX()) / PIXEL;
        double rowOffset = (windowTransform.originY() - tile.maxY()) / PIXEL;
        if (colOffset != Math.rint(colOffset) || rowOffset != Math.rint(rowOffset)
                || Math.abs(colOffset) > 1 << 24 || Math.abs(rowOffset) > 1 << 24) {
            return null;
        }
        int offC = (int) colOffset;
        int offR = (int) rowOffset;
        int sw = source.width();
        int sh = source.height();
        short[] out = new short[TILE * TILE];
        // Tile columns [c0, c1) map into the window: c + offC >= 0 and (c + offC) / k < sw.
        int c0 = Math.max(0, -offC);
        int c1 = (int) Math.min(TILE, (long) sw * k - offC);
        if (c1 <= c0) {
            return out;
        }
        short[] shorts = type == SampleType.UINT16 ? source.shorts(0) : null;
        byte[] bytes = type == SampleType.UINT8 ? source.bytes(0) : null;
        for (int r = 0; r < TILE; r++) {
            int sr = r + offR;
            if (sr < 0 || sr / k >= sh) {
                continue;
            }
            int srcRow = (sr / k) * sw;
            int dst = r * TILE;
            if (k == 1 && shorts != null) {
                System.arraycopy(shorts, srcRow + c0 + offC, out, dst + c0, c1 - c0);
            } else if (shorts != null) {
                for (int c = c0; c < c1; c++) {
                    out[dst + c] = shorts[srcRow + (c + offC) / k];
                }
            } else {
                for (int c = c0; c < c1; c++) {
                    out[dst + c] = (short) (bytes[srcRow + (c + offC) / k] & 0xFF);
                }
            }
        }
        return out;
    }

    /** {@code size / 10 m} when it is a whole number from 1 to 64, else 0. */
    private static int wholeMultiple(double size) {
        double k = size / PIXEL;
        return k >= 1 && k <= 64 && k == Math.rint(k) ? (int) k : 0;
    }
}
