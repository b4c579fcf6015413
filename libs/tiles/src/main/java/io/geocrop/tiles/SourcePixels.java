package io.geocrop.tiles;

import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.proj.CrsTransforms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pixel of a raster level that each pixel of a Web Mercator tile takes with nearest-neighbour sampling,
 * computed as {@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts n n -r near} computes it, so that tiles equal
 * gdalwarp's output pixel for pixel rather than nearly:
 * <ul>
 *   <li>the tile's geotransform is gdalwarp's for {@code -te}/{@code -ts}: origin at the tile's west/north edge,
 *       pixel size the tile's width (height) over {@code n};</li>
 *   <li>the exact transform of a tile pixel {@code (x, y)} (GDAL's GenImgProj transformer): the tile geotransform,
 *       {@link CrsTransforms} from EPSG:3857 to the raster's CRS, then GDAL's inverse of the level's geotransform
 *       ({@code GDALInvGeoTransform}: {@code -originX / pixelWidth + X / pixelWidth} for north-up rasters);</li>
 *   <li>GDAL's approximate transformer on each tile row of pixel centres {@code (i + 0.5, y + 0.5)}: the first,
 *       middle ({@code (n - 1) / 2}) and last points are transformed exactly; if the middle lies within
 *       {@link TileRenderer#MAX_ERROR_PIXELS} (|dx| + |dy|, level pixels) of the straight line between the ends,
 *       every point of the row is interpolated on that line, otherwise the first {@code (n - 1) / 2} points and
 *       the rest are treated alike, each half with its own ends and middle, exactly where a half has 5 points or
 *       fewer;</li>
 *   <li>gdalwarp's chunks ({@code GDALWarpOperation::CollectChunkList}): the tile is one chunk unless the
 *       source window its edges map to (21 samples an edge, exact) is less than half inside the raster (the
 *       "source fill ratio"), in which case it is halved along its longer side (rows when square) and each half
 *       treated alike down to 100 pixels; a chunk whose window misses the raster is skipped. The approximate
 *       transformer runs on each chunk's part of a row, so where a tile crosses the raster's edge the rows are
 *       interpolated between the same points as gdalwarp's;</li>
 *   <li>the pixel taken (gdalwarp's warp kernel, {@code GWKCheckAndComputeSrcOffsets}): a coordinate before the
 *       chunk's source window, or within {@code 1e-10} of its far edge or beyond, is transformed again exactly if it
 *       is less than a pixel outside, and takes no pixel if it is still outside; else the pixel is
 *       {@code (int) (coordinate + 1e-10)}.</li>
 * </ul>
 * A raster that is one piece of a larger one (an imported baseline split into pieces) is mapped as gdalwarp maps
 * the whole: coordinates, chunks and windows on the whole's grid, then the pixels that fall in the piece.
 * Not thread-safe while being built; immutable afterwards.
 */
final class SourcePixels {
    /** Column per tile pixel (row-major), -1 where no pixel is taken. */
    final int[] cols;
    /** Row per tile pixel, meaningful where {@link #cols} is not -1. */
    final int[] rows;
    int minCol = Integer.MAX_VALUE;
    int minRow = Integer.MAX_VALUE;
    int maxCol = Integer.MIN_VALUE;
    int maxRow = Integer.MIN_VALUE;

    private final int size;
    private final double tileMinX;
    private final double tileMaxY;
    private final double resX;
    private final double resY;
    private final CrsTransforms.Transform toSource;
    private final double[] inverse;
    private final double maxError;
    // Scratch for one exact transform.
    private final double[] px = new double[1];
    private final double[] py = new double[1];

    private SourcePixels(Bounds tile, int size, CrsTransforms.Transform toSource, GeoTransform levelGt,
                         double maxError) {
        this.size = size;
        this.tileMinX = tile.minX();
        this.tileMaxY = tile.maxY();
        this.resX = (tile.maxX() - tile.minX()) / size;
        this.resY = (tile.maxY() - tile.minY()) / size;
        this.toSource = toSource;
        this.inverse = invert(levelGt);
        this.maxError = maxError;
        this.cols = new int[size * size];
        this.rows = new int[size * size];
    }

    /**
     * The pixels of a level of {@code width x height} pixels whose geotransform is {@code levelGt}, under each
     * pixel of a {@code size x size} tile covering {@code tile} (EPSG:3857).
     */
    static SourcePixels of(Bounds tile, int size, CrsTransforms.Transform toSource, GeoTransform levelGt, int width,
                           int height) {
        return of(tile, size, toSource, levelGt, width, height, 0, 0, width, height);
    }

    /**
     * As {@link #of(Bounds, int, CrsTransforms.Transform, GeoTransform, int, int)} for a raster of
     * {@code width x height} pixels that is the window at {@code (offCol, offRow)} of a whole of
     * {@code wholeWidth x wholeHeight} pixels whose geotransform is {@code wholeGt}: gdalwarp's view of the whole,
     * restricted to the piece (pixel indices relative to the piece).
     */
    static SourcePixels of(Bounds tile, int size, CrsTransforms.Transform toSource, GeoTransform wholeGt,
                           int wholeWidth, int wholeHeight, int offCol, int offRow, int width, int height) {
        SourcePixels p = new SourcePixels(tile, size, toSource, wholeGt, TileRenderer.MAX_ERROR_PIXELS);
        Arrays.fill(p.cols, -1);
        List<int[]> chunks = new ArrayList<>();
        p.collectChunks(0, 0, size, size, wholeWidth, wholeHeight, chunks);
        double[] xs = new double[size];
        double[] ys = new double[size];
        double eps = TileRenderer.GDAL_PIXEL_EPSILON;
        for (int[] k : chunks) {
            int dx = k[0], dy = k[1], w = k[2], h = k[3], sx = k[4], sy = k[5], sw = k[6], sh = k[7];
            for (int y = dy; y < dy + h; y++) {
                p.rowSegment(y, dx, w, xs, ys);
                int out = y * size;
                for (int x = dx; x < dx + w; x++) {
                    double c = xs[x];
                    double r = ys[x];
                    // NaN fails these comparisons and takes no pixel.
                    if (!(c >= sx && r >= sy && c + eps <= sw + sx && r + eps <= sh + sy)) {
                        // Within a pixel outside the window: gdalwarp transforms the point again, exactly.
                        boolean near = c > sx - 1 && r > sy - 1 && c < sw + sx + 1 && r < sh + sy + 1;
                        if (!near) {
                            continue;
                        }
                        double[] t = p.exactPoint(x, y + 0.5);
                        c = t[0];
                        r = t[1];
                        if (!(c >= sx && r >= sy && c + eps <= sw + sx && r + eps <= sh + sy)) {
                            continue;
                        }
                    }
                    int col = (int) (c + eps) - offCol;
                    int row = (int) (r + eps) - offRow;
                    if (col < 0 || row < 0 || col >= width || row >= height) {
                        continue; // another piece's pixel
                    }
                    p.cols[out + x] = col;
                    p.rows[out + x] = row;
                    p.minCol = Math.min(p.minCol, col);
                    p.maxCol = Math.max(p.maxCol, col);
                    p.minRow = Math.min(p.minRow, row);
                    p.maxRow = Math.max(p.maxRow, row);
                }
            }
        }
        return p;
    }

    /**
     * GDALWarpOperation::CollectChunkList for a nearest-neighbour warp well within the memory limit: chunks
     * {dx, dy, w, h, srcXOff, srcYOff, srcXSize, srcYSize} in gdalwarp's order.
     */
    private void collectChunks(int dx, int dy, int w, int h, int rasterW, int rasterH, List<int[]> out) {
        // ComputeSourceWindow: the chunk's edges, 21 samples each (exact: the points are not on one row).
        int steps = 21;
        double stepSize = 1.0 / (steps - 1);
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double ratio = 0.0; ratio <= 1.0 + stepSize * 0.5; ratio += stepSize) {
            double[][] pts = {{ratio * w + dx, dy}, {ratio * w + dx, dy + h}, {dx, ratio * h + dy},
                    {w + dx, ratio * h + dy}};
            for (double[] q : pts) {
                double[] t = exactAt(q[0], q[1]);
                if (!failed(t)) {
                    minX = Math.min(minX, t[0]);
                    maxX = Math.max(maxX, t[0]);
                    minY = Math.min(minY, t[1]);
                    maxY = Math.max(maxY, t[1]);
                }
            }
        }
        if (!(minX <= maxX) || minX > rasterW || maxX < 0 || minY > rasterH || maxY < 0) {
            return; // no source: gdalwarp skips the chunk (SKIP_NOSOURCE)
        }
        int srcXOff = Math.min(Math.max(0, (int) Math.floor(minX)), rasterW);
        int srcYOff = Math.min(Math.max(0, (int) Math.floor(minY)), rasterH);
        int srcXSize = Math.max(0, Math.min(rasterW - srcXOff, (int) Math.ceil(maxX) - srcXOff));
        int srcYSize = Math.max(0, Math.min(rasterH - srcYOff, (int) Math.ceil(maxY) - srcYOff));
        if (srcXSize == 0 || srcYSize == 0) {
            return;
        }
        double fill = (double) (srcXSize * srcYSize) / Math.max(1.0, (maxX - minX) * (maxY - minY));
        if (fill > 0 && fill < 0.5 && (w > 100 || h > 100)) {
            if (w > h) {
                int half = w / 2;
                collectChunks(dx, dy, half, h, rasterW, rasterH, out);
                collectChunks(dx + half, dy, w - half, h, rasterW, rasterH, out);
            } else {
                int half = h / 2;
                collectChunks(dx, dy, w, half, rasterW, rasterH, out);
                collectChunks(dx, dy + half, w, h - half, rasterW, rasterH, out);
            }
            return;
        }
        out.add(new int[] {dx, dy, w, h, srcXOff, srcYOff, srcXSize, srcYSize});
    }

    /** Whether no tile pixel takes a pixel of the level. */
    boolean isEmpty() {
        return minCol > maxCol;
    }

    /** GDALInvGeoTransform: the north-up special case, else the adjoint over the determinant. */
    static double[] invert(GeoTransform g) {
        double g0 = g.originX(), g1 = g.pixelWidth(), g2 = g.rowRotation();
        double g3 = g.originY(), g4 = g.colRotation(), g5 = g.pixelHeight();
        if (g2 == 0.0 && g4 == 0.0 && g1 != 0.0 && g5 != 0.0) {
            return new double[] {-g0 / g1, 1.0 / g1, 0.0, -g3 / g5, 0.0, 1.0 / g5};
        }
        double det = g1 * g5 - g2 * g4;
        double invDet = 1.0 / det;
        return new double[] {(g2 * g3 - g0 * g5) * invDet, g5 * invDet, -g2 * invDet,
                (-g1 * g3 + g0 * g4) * invDet, -g4 * invDet, g1 * invDet};
    }

    /** Level coordinates of the pixel centres of tile row {@code y}, into {@code xs}, {@code ys}. */
    void row(int y, double[] xs, double[] ys) {
        rowSegment(y, 0, size, xs, ys);
    }

    /** GDALApproxTransform on pixels {@code dx .. dx + n - 1} of tile row {@code y} (one chunk's part of it). */
    private void rowSegment(int y, int dx, int n, double[] xs, double[] ys) {
        double dstY = y + 0.5;
        if (n <= 5) {
            exact(dx, n, dstY, xs, ys);
            return;
        }
        int mid = (n - 1) / 2;
        double[] s = exactPoint(dx, dstY);
        double[] m = exactPoint(dx + mid, dstY);
        double[] e = exactPoint(dx + n - 1, dstY);
        if (failed(s) || failed(m) || failed(e)) {
            exact(dx, n, dstY, xs, ys);
            return;
        }
        approximate(dx, n, dstY, s, m, e, xs, ys);
    }

    /** GDALApproxTransformInternal on points {@code off .. off + n - 1}, whose start, middle and end are known. */
    private void approximate(int off, int n, double dstY, double[] s, double[] m, double[] e, double[] xs,
                             double[] ys) {
        int mid = (n - 1) / 2;
        double x0 = off + 0.5;
        double span = (off + n - 1 + 0.5) - x0;
        double deltaX = (e[0] - s[0]) / span;
        double deltaY = (e[1] - s[1]) / span;
        double atMid = (off + mid + 0.5) - x0;
        double error = Math.abs((s[0] + deltaX * atMid) - m[0]) + Math.abs((s[1] + deltaY * atMid) - m[1]);
        if (error > maxError) {
            int a = off + (mid - 1) / 2;
            int b = off + mid - 1;
            int c = off + mid + (n - mid - 1) / 2;
            boolean exactHalf1 = mid <= 5;
            boolean exactHalf2 = n - mid <= 5;
            double[] ta = exactHalf1 ? null : exactPoint(a, dstY);
            double[] tb = exactHalf1 ? null : exactPoint(b, dstY);
            double[] tc = exactHalf2 ? null : exactPoint(c, dstY);
            boolean ok = !(exactHalf1 && exactHalf2) && (exactHalf1 || !failed(ta) && !failed(tb))
                    && (exactHalf2 || !failed(tc));
            if (!ok) {
                exact(off + 1, mid - 1, dstY, xs, ys);
                exact(off + mid + 1, n - mid - 2, dstY, xs, ys);
                set(off, s, xs, ys);
                set(off + mid, m, xs, ys);
                set(off + n - 1, e, xs, ys);
                return;
            }
            if (!exactHalf1) {
                approximate(off, mid, dstY, s, ta, tb, xs, ys);
            } else {
                exact(off + 1, mid - 1, dstY, xs, ys);
                set(off, s, xs, ys);
            }
            if (!exactHalf2) {
                approximate(off + mid, n - mid, dstY, m, tc, e, xs, ys);
            } else {
                exact(off + mid + 1, n - mid - 2, dstY, xs, ys);
                set(off + mid, m, xs, ys);
                set(off + n - 1, e, xs, ys);
            }
            return;
        }
        for (int i = n - 1; i >= 0; i--) {
            double dist = (off + i + 0.5) - x0;
            xs[off + i] = s[0] + deltaX * dist;
            ys[off + i] = s[1] + deltaY * dist;
        }
    }

    private static boolean failed(double[] p) {
        return Double.isNaN(p[0]) || Double.isNaN(p[1]);
    }

    private static void set(int i, double[] p, double[] xs, double[] ys) {
        xs[i] = p[0];
        ys[i] = p[1];
    }

    private void exact(int from, int count, double dstY, double[] xs, double[] ys) {
        for (int i = from; i < from + count; i++) {
            set(i, exactPoint(i, dstY), xs, ys);
        }
    }

    /** GDAL's GenImgProj transform of tile pixel centre {@code (i + 0.5, dstY)}: level pixel coordinates. */
    private double[] exactPoint(int i, double dstY) {
        return exactAt(i + 0.5, dstY);
    }

    /** GDAL's GenImgProj transform of tile pixel position {@code (dstX, dstY)}. */
    private double[] exactAt(double dstX, double dstY) {
        px[0] = tileMinX + dstX * resX + dstY * 0.0;
        py[0] = tileMaxY + dstX * 0.0 + dstY * -resY;
        toSource.apply(px, py);
        double gx = px[0], gy = py[0];
        double[] inv = inverse;
        return new double[] {inv[0] + gx * inv[1] + gy * inv[2], inv[3] + gx * inv[4] + gy * inv[5]};
    }
}
