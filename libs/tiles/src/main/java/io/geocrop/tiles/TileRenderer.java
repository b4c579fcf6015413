package io.geocrop.tiles;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Overview;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.proj.CrsTransforms;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Renders one Web Mercator tile of a uint8 COG with nearest-neighbour sampling, the way {@code gdalwarp -r near}
 * does:
 * <ol>
 *   <li>the tile's pixel centres are mapped to the COG's full-resolution pixel grid through
 *       {@link CrsTransforms} (EPSG:3857 to the COG's CRS, then its inverse geotransform). Exact transforms are
 *       computed on a coarse grid of nodes and interpolated in between; the grid is refined until the
 *       interpolation error, measured at every cell centre, is below {@value #MAX_ERROR_PIXELS} source pixel
 *       (gdalwarp's default error threshold), down to an exact transform per pixel;</li>
 *   <li>the level read is GDAL's choice: the coarsest overview whose reduction factor does not exceed the tile's
 *       (on the less reduced axis);</li>
 *   <li>only the window of that level covering the tile (plus one pixel) is read, in one request;</li>
 *   <li>each tile pixel takes the level pixel under its centre, mapped to a palette index by the
 *       {@link LayerStyle}; nodata, masked pixels and pixels off the raster take the transparent index.</li>
 * </ol>
 * Thread-safe and stateless.
 */
public final class TileRenderer {
    /** Largest tile edge rendered, in pixels. */
    public static final int MAX_SIZE = 1024;
    /** Largest interpolation error accepted, in pixels of the level read. */
    public static final double MAX_ERROR_PIXELS = 0.125;
    private static final int START_STEP = 32;

    /**
     * Renders tile {@code tile} of {@code cog} at {@code size} x {@code size} pixels.
     *
     * @param footprint the COG's footprint (from {@link LayerFootprint#of}), used to refuse tiles off the data
     * @throws TileOutsideLayerException if the tile does not overlap the layer's bounds
     * @throws InvalidTileException      if {@code size} is not 1..{@value #MAX_SIZE}
     * @throws IllegalArgumentException  if the COG cannot be rendered (see {@link LayerFootprint#requireRenderable})
     *                                   or lacks the style's bands
     * @throws IOException               if reading the COG fails
     */
    public TileImage render(GeoTiff cog, LayerFootprint footprint, LayerStyle style, TileCoord tile, int size)
            throws IOException {
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidTileException("size", "tile size must be 1.." + MAX_SIZE + " pixels, got " + size);
        }
        Bounds tileBounds = TileMath.mercatorBounds(tile);
        if (!footprint.mercatorBounds().overlaps(tileBounds)) {
            throw new TileOutsideLayerException("tile " + tile + " lies outside the layer's bounds");
        }
        LayerFootprint.requireRenderable(cog);
        RasterMetadata meta = cog.metadata();
        int bandCount = meta.bands();
        if (style.band() >= bandCount || style.maskBand() >= bandCount) {
            throw new IllegalArgumentException(cog.describe() + " has " + bandCount + " band(s); style " + style
                    + " needs band " + (Math.max(style.band(), style.maskBand()) + 1));
        }

        CrsTransforms.Transform toSource = CrsTransforms.between(CrsTransforms.WEB_MERCATOR, meta.epsg());
        GeoTransform gt = meta.transform();
        Grid grid = Grid.build(tileBounds, size, toSource, gt, START_STEP);
        List<Overview> levels = cog.overviews();
        int level = chooseLevel(levels, grid.reductionFactor());
        Overview chosen = levels.get(level);
        double fx = (double) meta.width() / chosen.width();
        double fy = (double) meta.height() / chosen.height();
        // Refine until interpolation is accurate in the pixels actually read.
        double tolerance = MAX_ERROR_PIXELS * Math.min(fx, fy);
        while (grid.step > 1 && grid.maxError(toSource, gt) > tolerance) {
            grid = Grid.build(tileBounds, size, toSource, gt, grid.step / 2);
        }

        byte transparent = (byte) style.transparentIndex();
        byte[] indices = new byte[size * size];
        Arrays.fill(indices, transparent);
        TileImage image = new TileImage(size, size, indices, style.paletteUnsafe());
        double[] extent = grid.extent();
        if (extent == null) {
            return image;
        }
        int winX0 = Math.max(0, (int) Math.floor(extent[0] / fx) - 1);
        int winY0 = Math.max(0, (int) Math.floor(extent[1] / fy) - 1);
        int winX1 = Math.min(chosen.width(), (int) Math.ceil(extent[2] / fx) + 1);
        int winY1 = Math.min(chosen.height(), (int) Math.ceil(extent[3] / fy) + 1);
        if (winX0 >= winX1 || winY0 >= winY1) {
            return image;
        }
        int winW = winX1 - winX0;
        int winH = winY1 - winY0;
        boolean masked = style.maskBand() >= 0;
        int[] bands = masked ? new int[] {style.band(), style.maskBand()} : new int[] {style.band()};
        Raster window = cog.read(level, new RasterWindow(winX0, winY0, winW, winH), bands);
        byte[] values = window.bytes(0);
        byte[] mask = masked ? window.bytes(1) : null;
        byte maskValue = (byte) style.maskValue();
        byte[] lookup = style.lookupUnsafe();
        Double nd = meta.nodata();
        int nodata = nd != null && nd >= 0 && nd <= 255 && nd == Math.rint(nd) ? nd.intValue() : -1;

        int step = grid.step;
        int nodes = grid.nodesPerRow;
        double[] rowCol = new double[nodes];
        double[] rowRow = new double[nodes];
        for (int y = 0; y < size; y++) {
            int j = Math.min(y / step, nodes - 2);
            double t = (y - j * step) / (double) step;
            grid.interpolateRow(j, t, rowCol, rowRow);
            int out = y * size;
            for (int x = 0; x < size; x++) {
                int i = Math.min(x / step, nodes - 2);
                double s = (x - i * step) / (double) step;
                double col = rowCol[i] + (rowCol[i + 1] - rowCol[i]) * s;
                double row = rowRow[i] + (rowRow[i + 1] - rowRow[i]) * s;
                // NaN (not representable) fails both comparisons below and stays transparent.
                double lc = Math.floor(col / fx) - winX0;
                double lr = Math.floor(row / fy) - winY0;
                if (lc >= 0 && lc < winW && lr >= 0 && lr < winH) {
                    int at = (int) lr * winW + (int) lc;
                    int v = values[at] & 0xff;
                    if (v != nodata && (mask == null || mask[at] != maskValue)) {
                        indices[out + x] = lookup[v];
                    }
                }
            }
        }
        return image;
    }

    /**
     * Renders tile {@code tile} of a mosaic: each pixel takes the first COG in {@code cogs} (in order) that has data
     * under it; pixels no COG covers are transparent. COGs that do not overlap the tile are skipped, and rendering
     * stops as soon as every pixel is filled.
     *
     * @throws InvalidTileException     if {@code size} is not 1..{@value #MAX_SIZE}
     * @throws IllegalArgumentException if a COG cannot be rendered with the style
     * @throws IOException              if reading a COG fails
     */
    public TileImage renderMosaic(List<OpenCog> cogs, LayerStyle style, TileCoord tile, int size) throws IOException {
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidTileException("size", "tile size must be 1.." + MAX_SIZE + " pixels, got " + size);
        }
        byte transparent = (byte) style.transparentIndex();
        byte[] indices = new byte[size * size];
        Arrays.fill(indices, transparent);
        Bounds tileBounds = TileMath.mercatorBounds(tile);
        int empty = indices.length;
        for (OpenCog cog : cogs) {
            if (empty == 0) {
                break;
            }
            if (!cog.footprint().mercatorBounds().overlaps(tileBounds)) {
                continue;
            }
            byte[] layer = render(cog.tiff(), cog.footprint(), style, tile, size).indices();
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] == transparent && layer[i] != transparent) {
                    indices[i] = layer[i];
                    empty--;
                }
            }
        }
        return new TileImage(size, size, indices, style.paletteUnsafe());
    }

    /** GDAL's overview choice: the coarsest level whose reduction factor does not exceed {@code factor}. */
    static int chooseLevel(List<Overview> levels, double factor) {
        int best = 0;
        double base = levels.getFirst().width();
        for (int i = 1; i < levels.size(); i++) {
            if (base / levels.get(i).width() <= factor * (1 + 1e-9)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Full-resolution source pixel coordinates (col, row) of tile pixel centres at every {@code step}-th pixel,
     * nodes at pixel centres {@code i * step + 0.5} for {@code i = 0 .. size / step} (the last one may lie past
     * the tile, which is harmless: it is a coordinate, not a pixel).
     */
    private static final class Grid {
        final int size;
        final int step;
        final int nodesPerRow;
        final double[] cols;
        final double[] rows;
        final Bounds tile;

        private Grid(Bounds tile, int size, int step, double[] cols, double[] rows, int nodesPerRow) {
            this.tile = tile;
            this.size = size;
            this.step = step;
            this.cols = cols;
            this.rows = rows;
            this.nodesPerRow = nodesPerRow;
        }

        static Grid build(Bounds tile, int size, CrsTransforms.Transform toSource, GeoTransform gt, int wantedStep) {
            int step = Math.max(1, Math.min(wantedStep, size));
            int cells = (size + step - 1) / step;
            int n = cells + 1;
            double[] xs = new double[n * n];
            double[] ys = new double[n * n];
            double px = tile.width() / size;
            double py = tile.height() / size;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    xs[j * n + i] = tile.minX() + (i * step + 0.5) * px;
                    ys[j * n + i] = tile.maxY() - (j * step + 0.5) * py;
                }
            }
            toSource.apply(xs, ys);
            toPixels(gt, xs, ys);
            return new Grid(tile, size, step, xs, ys, n);
        }

        static void toPixels(GeoTransform gt, double[] xs, double[] ys) {
            for (int k = 0; k < xs.length; k++) {
                double[] p = gt.toPixel(xs[k], ys[k]);
                xs[k] = p[0];
                ys[k] = p[1];
            }
        }

        /** Source pixels per tile pixel on the less reduced axis, measured at the tile's centre. */
        double reductionFactor() {
            int mid = (nodesPerRow - 1) / 2;
            int next = Math.min(mid + 1, nodesPerRow - 1);
            int a = mid * nodesPerRow + mid;
            if (next == mid) {
                return Double.POSITIVE_INFINITY;
            }
            int right = mid * nodesPerRow + next;
            int down = next * nodesPerRow + mid;
            double alongX = Math.hypot(cols[right] - cols[a], rows[right] - rows[a]) / step;
            double alongY = Math.hypot(cols[down] - cols[a], rows[down] - rows[a]) / step;
            double f = Math.min(alongX, alongY);
            return Double.isFinite(f) ? f : 1.0;
        }

        /** Largest distance, in full-resolution pixels, between interpolated and exact positions at cell centres. */
        double maxError(CrsTransforms.Transform toSource, GeoTransform gt) {
            if (step == 1) {
                return 0;
            }
            int cells = nodesPerRow - 1;
            double[] xs = new double[cells * cells];
            double[] ys = new double[cells * cells];
            double px = tile.width() / size;
            double py = tile.height() / size;
            double half = step / 2.0;
            for (int j = 0; j < cells; j++) {
                for (int i = 0; i < cells; i++) {
                    xs[j * cells + i] = tile.minX() + (i * step + half + 0.5) * px;
                    ys[j * cells + i] = tile.maxY() - (j * step + half + 0.5) * py;
                }
            }
            toSource.apply(xs, ys);
            toPixels(gt, xs, ys);
            double worst = 0;
            for (int j = 0; j < cells; j++) {
                for (int i = 0; i < cells; i++) {
                    int a = j * nodesPerRow + i;
                    int b = a + 1;
                    int c = a + nodesPerRow;
                    int d = c + 1;
                    double ic = (cols[a] + cols[b] + cols[c] + cols[d]) / 4;
                    double ir = (rows[a] + rows[b] + rows[c] + rows[d]) / 4;
                    double e = Math.hypot(ic - xs[j * cells + i], ir - ys[j * cells + i]);
                    if (!(e <= worst)) {
                        worst = e; // NaN makes this infinite-like: any unrepresentable point forces refinement
                        if (Double.isNaN(e)) {
                            return Double.POSITIVE_INFINITY;
                        }
                    }
                }
            }
            return worst;
        }

        /** Columns and rows interpolated at fraction {@code t} between node rows {@code j} and {@code j + 1}. */
        void interpolateRow(int j, double t, double[] outCols, double[] outRows) {
            int a = j * nodesPerRow;
            int b = a + nodesPerRow;
            for (int i = 0; i < nodesPerRow; i++) {
                outCols[i] = cols[a + i] + (cols[b + i] - cols[a + i]) * t;
                outRows[i] = rows[a + i] + (rows[b + i] - rows[a + i]) * t;
            }
        }

        /** {minCol, minRow, maxCol, maxRow} over the finite nodes, or null if none is finite. */
        double[] extent() {
            double minC = Double.POSITIVE_INFINITY, minR = Double.POSITIVE_INFINITY;
            double maxC = Double.NEGATIVE_INFINITY, maxR = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < cols.length; k++) {
                if (Double.isFinite(cols[k]) && Double.isFinite(rows[k])) {
                    minC = Math.min(minC, cols[k]);
                    maxC = Math.max(maxC, cols[k]);
                    minR = Math.min(minR, rows[k]);
                    maxR = Math.max(maxR, rows[k]);
                }
            }
            return minC <= maxC ? new double[] {minC, minR, maxC, maxR} : null;
        }
    }
}
