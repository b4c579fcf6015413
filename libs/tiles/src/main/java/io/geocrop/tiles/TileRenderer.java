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
 * Renders one Web Mercator tile of a uint8 COG with nearest-neighbour sampling, the way
 * {@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts n n -r near} does, pixel for pixel:
 * <ol>
 *   <li>the level read is GDAL's choice: the coarsest overview whose reduction factor does not exceed the tile's
 *       (on the less reduced axis), unless the COG asks for full resolution from a zoom on
 *       ({@value #FULL_RESOLUTION_MIN_ZOOM_KEY}, written by {@link DynamicWorldImport});</li>
 *   <li>each tile pixel centre {@code (x + 0.5, y + 0.5)} is mapped to the level's pixel grid as gdalwarp's
 *       approximate transformer does ({@link SourcePixels}): per tile row, exact transforms ({@link CrsTransforms},
 *       EPSG:3857 to the COG's CRS, then GDAL's inverse geotransform) at the row's first, middle and last pixel,
 *       linear interpolation in between when the middle is within {@value #MAX_ERROR_PIXELS} pixel of the line
 *       (gdalwarp's default error threshold), else the same test on each half, recursively; a tile that crosses
 *       the raster's edge is cut into gdalwarp's chunks first;</li>
 *   <li>the pixel taken is GDAL's: {@code (int) (coordinate + 1e-10)}, none when the coordinate is outside the
 *       chunk's source window (after an exact retry within a pixel of it);</li>
 *   <li>only the window of that level holding the pixels taken is read, in one request; each tile pixel takes its
 *       pixel's value mapped to a palette index by the {@link LayerStyle}; nodata, masked pixels and pixels off
 *       the raster take the transparent index.</li>
 * </ol>
 * Thread-safe and stateless.
 */
public final class TileRenderer {
    /** Largest tile edge rendered, in pixels. */
    public static final int MAX_SIZE = 1024;
    /** gdalwarp's default error threshold of its approximate transformer, in pixels of the level read. */
    public static final double MAX_ERROR_PIXELS = 0.125;
    /**
     * GDAL metadata item of a COG: tiles of this zoom and above read full resolution, whatever overview GDAL's
     * rule would pick. Imported Dynamic World baselines set it so that from zoom 12 on their tiles show the
     * export's own pixels (an overview would be a second resampling).
     */
    public static final String FULL_RESOLUTION_MIN_ZOOM_KEY = "GEOCROP_FULL_RESOLUTION_MIN_ZOOM";
    /**
     * GDAL metadata item of a COG that is one piece of a larger raster (an imported baseline):
     * {@code "<col> <row> <width> <height> <originX> <originY>"}, the piece's offset in the whole, the whole's size and
     * its geotransform origin (same pixel size and rotation as the piece). Full-resolution tiles are then sampled as
     * gdalwarp samples the whole, so pieces meet without a seam.
     */
    public static final String PIECE_OF_KEY = "GEOCROP_PIECE_OF";
    /** GDAL's tolerance when it truncates a source coordinate to a pixel index. */
    static final double GDAL_PIXEL_EPSILON = 1e-10;
    /** Spacing of the samples that measure the tile's reduction factor (the level choice). */
    private static final int REDUCTION_STEP = 32;

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
        List<Overview> levels = cog.overviews();
        int level = tile.z() >= fullResolutionMinZoom(meta) ? 0
                : chooseLevel(levels, reductionFactor(tileBounds, size, toSource, gt));
        Overview chosen = levels.get(level);
        // The level's geotransform as GDAL's overview datasets scale it.
        GeoTransform levelGt = level == 0 ? gt
                : gt.scaled((double) meta.width() / chosen.width(), (double) meta.height() / chosen.height());
        double[] whole = level == 0 ? pieceOf(meta) : null;
        SourcePixels pixels = whole == null
                ? SourcePixels.of(tileBounds, size, toSource, levelGt, chosen.width(), chosen.height())
                : SourcePixels.of(tileBounds, size, toSource, new GeoTransform(whole[4], gt.pixelWidth(),
                        gt.rowRotation(), whole[5], gt.colRotation(), gt.pixelHeight()), (int) whole[2],
                        (int) whole[3], (int) whole[0], (int) whole[1], meta.width(), meta.height());

        byte transparent = (byte) style.transparentIndex();
        byte[] indices = new byte[size * size];
        Arrays.fill(indices, transparent);
        TileImage image = new TileImage(size, size, indices, style.paletteUnsafe());
        if (pixels.isEmpty()) {
            return image;
        }
        int winX0 = pixels.minCol;
        int winY0 = pixels.minRow;
        int winW = pixels.maxCol - winX0 + 1;
        int winH = pixels.maxRow - winY0 + 1;
        boolean masked = style.maskBand() >= 0;
        int[] bands = masked ? new int[] {style.band(), style.maskBand()} : new int[] {style.band()};
        Raster window = cog.read(level, new RasterWindow(winX0, winY0, winW, winH), bands);
        byte[] values = window.bytes(0);
        byte[] mask = masked ? window.bytes(1) : null;
        byte maskValue = (byte) style.maskValue();
        byte[] lookup = style.lookupUnsafe();
        Double nd = meta.nodata();
        int nodata = nd != null && nd >= 0 && nd <= 255 && nd == Math.rint(nd) ? nd.intValue() : -1;
        int[] cols = pixels.cols;
        int[] rows = pixels.rows;
        for (int i = 0; i < indices.length; i++) {
            int c = cols[i];
            if (c < 0) {
                continue; // off the raster, or not representable
            }
            int at = (rows[i] - winY0) * winW + (c - winX0);
            int v = values[at] & 0xff;
            if (v != nodata && (mask == null || mask[at] != maskValue)) {
                indices[i] = lookup[v];
            }
        }
        return image;
    }

    /** The COG's {@value #PIECE_OF_KEY} as {col, row, width, height, originX, originY}, or null. */
    static double[] pieceOf(RasterMetadata meta) {
        String v = meta.metadata().get(PIECE_OF_KEY);
        if (v == null) {
            return null;
        }
        String[] f = v.strip().split("\\s+");
        try {
            double[] out = new double[6];
            for (int i = 0; i < 6; i++) {
                out[i] = Double.parseDouble(f[i]);
            }
            boolean sane = out[0] >= 0 && out[1] >= 0 && out[0] + meta.width() <= out[2]
                    && out[1] + meta.height() <= out[3] && out[2] <= Integer.MAX_VALUE && out[3] <= Integer.MAX_VALUE
                    && out[0] == Math.rint(out[0]) && out[1] == Math.rint(out[1]) && out[2] == Math.rint(out[2])
                    && out[3] == Math.rint(out[3]) && Double.isFinite(out[4]) && Double.isFinite(out[5]);
            return sane ? out : null;
        } catch (RuntimeException e) {
            return null; // not ours, or damaged: render the piece on its own
        }
    }

    /** The COG's {@value #FULL_RESOLUTION_MIN_ZOOM_KEY}, or a zoom no tile has. */
    static int fullResolutionMinZoom(RasterMetadata meta) {
        String v = meta.metadata().get(FULL_RESOLUTION_MIN_ZOOM_KEY);
        if (v != null && v.strip().matches("[0-9]{1,2}")) {
            return Integer.parseInt(v.strip());
        }
        return Integer.MAX_VALUE;
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
     * Full-resolution source pixels per tile pixel on the less reduced axis, measured between two pixel centres
     * {@value #REDUCTION_STEP} pixels apart near the tile's centre.
     */
    static double reductionFactor(Bounds tile, int size, CrsTransforms.Transform toSource, GeoTransform gt) {
        int step = Math.max(1, Math.min(REDUCTION_STEP, size));
        int cells = (size + step - 1) / step;
        int mid = cells / 2;
        if (mid + 1 > cells) {
            return Double.POSITIVE_INFINITY;
        }
        double px = tile.width() / size;
        double py = tile.height() / size;
        double x0 = tile.minX() + (mid * step + 0.5) * px;
        double x1 = tile.minX() + ((mid + 1) * step + 0.5) * px;
        double y0 = tile.maxY() - (mid * step + 0.5) * py;
        double y1 = tile.maxY() - ((mid + 1) * step + 0.5) * py;
        double[] xs = {x0, x1, x0};
        double[] ys = {y0, y0, y1};
        toSource.apply(xs, ys);
        double[] a = gt.toPixel(xs[0], ys[0]);
        double[] right = gt.toPixel(xs[1], ys[1]);
        double[] down = gt.toPixel(xs[2], ys[2]);
        double alongX = Math.hypot(right[0] - a[0], right[1] - a[1]) / step;
        double alongY = Math.hypot(down[0] - a[0], down[1] - a[1]) / step;
        double f = Math.min(alongX, alongY);
        return Double.isFinite(f) ? f : 1.0;
    }
}
