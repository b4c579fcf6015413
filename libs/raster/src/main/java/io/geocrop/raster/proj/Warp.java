package io.geocrop.raster.proj;

import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;

import java.util.Objects;

/**
 * Reprojects a raster onto another grid, possibly in another CRS, the way {@code gdalwarp} does: every target pixel
 * centre is mapped to the source (target pixel &rarr; target CRS &rarr; source CRS &rarr; source pixel) and the
 * source is sampled there.
 *
 * <ul>
 *   <li>{@link Resampling#NEAREST}: the source pixel containing the point.</li>
 *   <li>{@link Resampling#BILINEAR}: the four source pixel centres around the point, weighted by distance; nodata
 *       (and NaN) neighbours and neighbours outside the source are left out and the weights renormalised. This is
 *       GDAL's 4-sample kernel, which GDAL uses when the target is not coarser than the source; to reduce
 *       resolution, warp from an overview of about the target's resolution.</li>
 *   <li>A target pixel whose centre falls outside the source, or on a nodata source pixel, gets the target
 *       nodata value. A float NaN that is not the nodata value is carried over as NaN (and never averaged).</li>
 * </ul>
 * <p>Speed: like gdalwarp, the exact mapping is computed only for a few pixels of each target row and
 * interpolated linearly in between, with the run split recursively wherever interpolation would be off by more
 * than the error threshold (default 1/8 source pixel, GDAL's {@code -et} default); the same algorithm as GDAL's
 * approximate transformer, so that nearest-neighbour results agree with gdalwarp's pixel for pixel except for
 * rounding ties. A threshold of 0 maps every pixel exactly.
 */
public final class Warp {
    /** Default largest tolerated mapping error, in source pixels (GDAL's {@code -et} default). */
    public static final double DEFAULT_MAX_ERROR_PIXELS = 0.125;
    /** GDAL nudges pixel coordinates by this much before truncating, so exact edges land on the right pixel. */
    private static final double EDGE_EPSILON = 1e-10;

    private Warp() {}

    /** A target grid: north-up transform and size. */
    public record TargetGrid(GeoTransform transform, int width, int height) {
        /** Validates the size. */
        public TargetGrid {
            Objects.requireNonNull(transform, "transform");
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("target grid must be at least 1x1, got " + width + "x" + height);
            }
        }
    }

    /**
     * Warps with the default error threshold (1/8 source pixel).
     *
     * @param source          pixels of the source (all bands are warped)
     * @param sourceTransform source pixel to source CRS
     * @param sourceEpsg      source CRS
     * @param sourceNodata    source nodata value, or {@code null} when every value is valid
     * @param targetTransform target pixel to target CRS
     * @param targetEpsg      target CRS
     * @param targetWidth     target width in pixels
     * @param targetHeight    target height in pixels
     * @param resampling      {@link Resampling#NEAREST} or {@link Resampling#BILINEAR}
     * @param targetNodata    value for target pixels without data; {@code null} means the source nodata, or 0
     *                        when there is none (what gdalwarp fills in)
     * @return the target raster, with the source's sample type and band count
     * @throws IllegalArgumentException for an unsupported CRS or resampling, a degenerate transform or a bad size
     */
    public static Raster warp(Raster source, GeoTransform sourceTransform, int sourceEpsg, Double sourceNodata,
                              GeoTransform targetTransform, int targetEpsg, int targetWidth, int targetHeight,
                              Resampling resampling, Double targetNodata) {
        return warp(source, sourceTransform, sourceEpsg, sourceNodata, targetTransform, targetEpsg, targetWidth,
                targetHeight, resampling, targetNodata, DEFAULT_MAX_ERROR_PIXELS);
    }

    /**
     * Warps with an explicit error threshold; {@code maxErrorPixels <= 0} maps every pixel exactly (like
     * {@code gdalwarp -et 0}). Other parameters as in
     * {@link #warp(Raster, GeoTransform, int, Double, GeoTransform, int, int, int, Resampling, Double)}.
     */
    public static Raster warp(Raster source, GeoTransform sourceTransform, int sourceEpsg, Double sourceNodata,
                              GeoTransform targetTransform, int targetEpsg, int targetWidth, int targetHeight,
                              Resampling resampling, Double targetNodata, double maxErrorPixels) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceTransform, "sourceTransform");
        Objects.requireNonNull(targetTransform, "targetTransform");
        Objects.requireNonNull(resampling, "resampling");
        if (resampling != Resampling.NEAREST && resampling != Resampling.BILINEAR) {
            throw new IllegalArgumentException("warp supports NEAREST and BILINEAR resampling, not " + resampling);
        }
        if (targetWidth < 1 || targetHeight < 1) {
            throw new IllegalArgumentException("target size must be at least 1x1, got " + targetWidth + "x" + targetHeight);
        }
        requireInvertible(sourceTransform, "source");
        requireInvertible(targetTransform, "target");
        PixelMapper mapper = new PixelMapper(targetTransform, CrsTransforms.between(targetEpsg, sourceEpsg),
                sourceTransform);
        double fill = targetNodata != null ? targetNodata : sourceNodata != null ? sourceNodata : 0;
        requireStorable(fill, source.sampleType());
        Raster target = Raster.allocate(targetWidth, targetHeight, source.bandCount(), source.sampleType());
        ScanlineMapper rows = new ScanlineMapper(mapper, maxErrorPixels);

        int bands = source.bandCount();
        Band[] in = new Band[bands];
        Band[] out = new Band[bands];
        for (int b = 0; b < bands; b++) {
            in[b] = Band.of(source, b);
            out[b] = Band.of(target, b);
        }
        Validity validity = new Validity(sourceNodata);
        double[] sx = new double[targetWidth];
        double[] sy = new double[targetWidth];
        int sw = source.width();
        int sh = source.height();
        if (bands == 1 && source.sampleType() == SampleType.UINT16 && sourceNodata != null
                && sourceNodata == Math.rint(sourceNodata) && sourceNodata >= 0 && sourceNodata <= 65535) {
            warpUint16(source.shorts(0), target.shorts(0), sw, sh, (int) (double) sourceNodata, (short) (long) fill,
                    rows, sx, sy, targetWidth, targetHeight, resampling == Resampling.BILINEAR);
            return target;
        }
        for (int row = 0; row < targetHeight; row++) {
            rows.mapRow(row, sx, sy);
            int rowStart = row * targetWidth;
            for (int col = 0; col < targetWidth; col++) {
                int dst = rowStart + col;
                double x = sx[col];
                double y = sy[col];
                // Tested before truncation (and false for NaN): -0.5 would otherwise truncate to pixel 0.
                if (!(x >= 0 && y >= 0)) {
                    fill(out, dst, fill);
                    continue;
                }
                int ix = (int) (x + EDGE_EPSILON);
                int iy = (int) (y + EDGE_EPSILON);
                if (ix >= sw || iy >= sh) {
                    fill(out, dst, fill);
                    continue;
                }
                int centre = iy * sw + ix;
                for (int b = 0; b < bands; b++) {
                    double v = in[b].get(centre);
                    if (validity.isNodata(v)) {
                        out[b].set(dst, fill);
                    } else if (Double.isNaN(v)) {
                        out[b].set(dst, v); // a float NaN that is not the nodata value stays NaN
                    } else if (resampling == Resampling.NEAREST) {
                        out[b].set(dst, v);
                    } else {
                        double value = bilinear(in[b], validity, sw, sh, x, y);
                        out[b].set(dst, Double.isNaN(value) ? fill : out[b].fit(value));
                    }
                }
            }
        }
        return target;
    }

    /**
     * A north-up grid in {@code targetEpsg} covering a source raster, with GDAL's default resolution (the same
     * number of pixels along the diagonal as the source), as {@code gdalwarp -t_srs} picks without {@code -tr}.
     */
    public static TargetGrid targetGrid(GeoTransform sourceTransform, int sourceWidth, int sourceHeight,
                                        int sourceEpsg, int targetEpsg) {
        return targetGrid(sourceTransform, sourceWidth, sourceHeight, sourceEpsg, targetEpsg, Double.NaN, false);
    }

    /**
     * A north-up grid in {@code targetEpsg} covering a source raster.
     *
     * @param resolution        target pixel size in target CRS units; NaN (or &lt;= 0) for GDAL's default
     * @param alignToResolution extend the extent to multiples of the resolution (gdalwarp {@code -tap}), so that
     *                          grids of several sources line up
     * @throws IllegalArgumentException if the source's outline cannot be transformed to the target CRS
     */
    public static TargetGrid targetGrid(GeoTransform sourceTransform, int sourceWidth, int sourceHeight,
                                        int sourceEpsg, int targetEpsg, double resolution, boolean alignToResolution) {
        Objects.requireNonNull(sourceTransform, "sourceTransform");
        if (sourceWidth < 1 || sourceHeight < 1) {
            throw new IllegalArgumentException("source size must be at least 1x1, got " + sourceWidth + "x" + sourceHeight);
        }
        CrsTransforms.Transform crs = CrsTransforms.between(sourceEpsg, targetEpsg);
        // Like GDALSuggestedWarpOutput2: 21 points along each edge; point 0 is the top-left corner and the last one
        // the bottom-right corner, whose distance gives the default resolution.
        int steps = 20;
        int n = 4 * (steps + 1);
        double[] xs = new double[n];
        double[] ys = new double[n];
        int k = 0;
        for (int i = 0; i <= steps; i++) {
            double ratio = i == steps ? 1.0 : i / (double) steps;
            double[][] edgePoints = {
                {ratio * sourceWidth, 0}, {ratio * sourceWidth, sourceHeight},
                {0, ratio * sourceHeight}, {sourceWidth, ratio * sourceHeight}};
            for (double[] p : edgePoints) {
                double[] w = sourceTransform.toWorld(p[0], p[1]);
                xs[k] = w[0];
                ys[k] = w[1];
                k++;
            }
        }
        crs.apply(xs, ys);
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        int valid = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                minX = Math.min(minX, xs[i]);
                maxX = Math.max(maxX, xs[i]);
                minY = Math.min(minY, ys[i]);
                maxY = Math.max(maxY, ys[i]);
                valid++;
            }
        }
        if (valid < 2 || !(maxX > minX) || !(maxY > minY)) {
            throw new IllegalArgumentException("the source outline cannot be transformed from EPSG:" + sourceEpsg
                    + " to EPSG:" + targetEpsg);
        }
        double res = resolution;
        if (!(res > 0)) {
            double dx = xs[n - 1] - xs[0];
            double dy = ys[n - 1] - ys[0];
            if (!Double.isFinite(dx) || !Double.isFinite(dy) || dx == 0 || dy == 0) {
                dx = maxX - minX;
                dy = maxY - minY;
            }
            res = Math.hypot(dx, dy) / Math.hypot(sourceWidth, sourceHeight);
            int width = (int) ((maxX - minX) / res + 0.5);
            int height = (int) ((maxY - minY) / res + 0.5);
            return new TargetGrid(GeoTransform.northUp(minX, maxY, res, res), Math.max(width, 1), Math.max(height, 1));
        }
        if (alignToResolution) {
            minX = Math.floor(minX / res) * res;
            maxX = Math.ceil(maxX / res) * res;
            minY = Math.floor(minY / res) * res;
            maxY = Math.ceil(maxY / res) * res;
        }
        long width = (long) ((maxX - minX + res / 2) / res);
        long height = (long) ((maxY - minY + res / 2) / res);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("target grid of " + width + "x" + height + " pixels at resolution "
                    + res + " is too large");
        }
        return new TargetGrid(GeoTransform.northUp(minX, maxY, res, res), (int) Math.max(width, 1),
                (int) Math.max(height, 1));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void fill(Band[] out, int index, double value) {
        for (Band band : out) {
            band.set(index, value);
        }
    }

    /**
     * The loop of {@link #warp} for one uint16 band with an integer nodata value (every Sentinel-2 band), on the
     * arrays themselves: the same coordinates, the same arithmetic in the same order, so the same samples, without
     * a virtual call and a double conversion per access.
     */
    private static void warpUint16(short[] in, short[] out, int sw, int sh, int nodata, short fill,
                                   ScanlineMapper rows, double[] sx, double[] sy, int targetWidth, int targetHeight,
                                   boolean bilinear) {
        for (int row = 0; row < targetHeight; row++) {
            rows.mapRow(row, sx, sy);
            int rowStart = row * targetWidth;
            for (int col = 0; col < targetWidth; col++) {
                int dst = rowStart + col;
                double x = sx[col];
                double y = sy[col];
                if (!(x >= 0 && y >= 0)) {
                    out[dst] = fill;
                    continue;
                }
                int ix = (int) (x + EDGE_EPSILON);
                int iy = (int) (y + EDGE_EPSILON);
                if (ix >= sw || iy >= sh) {
                    out[dst] = fill;
                    continue;
                }
                int v = in[iy * sw + ix] & 0xFFFF;
                if (v == nodata) {
                    out[dst] = fill;
                } else if (!bilinear) {
                    out[dst] = (short) v;
                } else {
                    double value = bilinearUint16(in, nodata, sw, sh, x, y);
                    out[dst] = Double.isNaN(value) ? fill : (short) Math.max(0, Math.min(65535, floor(value + 0.5)));
                }
            }
        }
    }

    /** {@code Math.floor} of a finite value within the long range, as a long (no call, no rounding mode change). */
    private static long floor(double v) {
        long t = (long) v;
        return t > v ? t - 1 : t;
    }

    /** {@link #bilinear} on a uint16 array (never NaN) with an integer nodata value. */
    private static double bilinearUint16(short[] a, int nodata, int sw, int sh, double x, double y) {
        // x and y are >= 0 and below the source size here, so floor fits an int.
        int x0 = (int) floor(x - 0.5);
        int y0 = (int) floor(y - 0.5);
        double fx = x - 0.5 - x0;
        double fy = y - 0.5 - y0;
        double sum = 0;
        double weights = 0;
        for (int j = 0; j < 2; j++) {
            int yy = y0 + j;
            if (yy < 0 || yy >= sh) {
                continue;
            }
            double wy = j == 0 ? 1 - fy : fy;
            for (int i = 0; i < 2; i++) {
                int xx = x0 + i;
                if (xx < 0 || xx >= sw) {
                    continue;
                }
                double w = wy * (i == 0 ? 1 - fx : fx);
                if (w == 0) {
                    continue;
                }
                int v = a[yy * sw + xx] & 0xFFFF;
                if (v == nodata) {
                    continue;
                }
                sum += w * v;
                weights += w;
            }
        }
        if (weights < 1e-5) {
            return Double.NaN;
        }
        return weights == 1.0 ? sum : sum / weights;
    }

    /** GDAL's 4-sample bilinear kernel around source pixel coordinates (x, y); NaN when no neighbour is valid. */
    private static double bilinear(Band band, Validity validity, int sw, int sh, double x, double y) {
        int x0 = (int) Math.floor(x - 0.5);
        int y0 = (int) Math.floor(y - 0.5);
        double fx = x - 0.5 - x0;
        double fy = y - 0.5 - y0;
        double sum = 0;
        double weights = 0;
        for (int j = 0; j < 2; j++) {
            int yy = y0 + j;
            if (yy < 0 || yy >= sh) {
                continue;
            }
            double wy = j == 0 ? 1 - fy : fy;
            for (int i = 0; i < 2; i++) {
                int xx = x0 + i;
                if (xx < 0 || xx >= sw) {
                    continue;
                }
                double w = wy * (i == 0 ? 1 - fx : fx);
                if (w == 0) {
                    continue;
                }
                double v = band.get(yy * sw + xx);
                if (Double.isNaN(v) || validity.isNodata(v)) {
                    continue;
                }
                sum += w * v;
                weights += w;
            }
        }
        if (weights < 1e-5) {
            return Double.NaN;
        }
        return weights == 1.0 ? sum : sum / weights;
    }

    private static void requireStorable(double fill, SampleType type) {
        if (type.isFloat()) {
            return;
        }
        double[] range = switch (type) {
            case UINT8 -> new double[] {0, 255};
            case INT8 -> new double[] {-128, 127};
            case UINT16 -> new double[] {0, 65535};
            case INT16 -> new double[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT32 -> new double[] {0, 4294967295.0};
            default -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        };
        if (fill != Math.rint(fill) || fill < range[0] || fill > range[1]) {
            throw new IllegalArgumentException("nodata value " + fill + " cannot be stored as " + type);
        }
    }

    private static void requireInvertible(GeoTransform t, String which) {
        double det = t.pixelWidth() * t.pixelHeight() - t.rowRotation() * t.colRotation();
        if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new IllegalArgumentException(which + " geotransform is not invertible: " + t);
        }
    }

    /** Which sample values are the nodata value (NaN matches a NaN nodata). */
    private record Validity(Double nodata) {
        boolean isNodata(double v) {
            return nodata != null && (v == nodata || Double.isNaN(v) && Double.isNaN(nodata));
        }
    }

    /** Target pixel coordinates to source pixel coordinates, exactly. */
    private static final class PixelMapper {
        private final GeoTransform target;
        private final CrsTransforms.Transform crs;
        private final double a0, a1, a2, b0, b1, b2; // inverse of the source geotransform

        PixelMapper(GeoTransform target, CrsTransforms.Transform crs, GeoTransform source) {
            this.target = target;
            this.crs = crs;
            double det = source.pixelWidth() * source.pixelHeight() - source.rowRotation() * source.colRotation();
            a1 = source.pixelHeight() / det;
            a2 = -source.rowRotation() / det;
            b1 = -source.colRotation() / det;
            b2 = source.pixelWidth() / det;
            a0 = -(a1 * source.originX() + a2 * source.originY());
            b0 = -(b1 * source.originX() + b2 * source.originY());
        }

        /**
         * In place on indexes {@code [from, to)}: on entry target pixel coordinates, on return source pixel
         * coordinates (NaN where the point cannot be transformed).
         */
        void map(double[] cols, double[] rows, int from, int to) {
            int count = to - from;
            if (count <= 0) {
                return;
            }
            double[] xs = new double[count];
            double[] ys = new double[count];
            for (int i = 0; i < count; i++) {
                double c = cols[from + i];
                double r = rows[from + i];
                xs[i] = target.originX() + c * target.pixelWidth() + r * target.rowRotation();
                ys[i] = target.originY() + c * target.colRotation() + r * target.pixelHeight();
            }
            crs.apply(xs, ys);
            for (int i = 0; i < count; i++) {
                cols[from + i] = a0 + a1 * xs[i] + a2 * ys[i];
                rows[from + i] = b0 + b1 * xs[i] + b2 * ys[i];
            }
        }
    }

    /**
     * The approximate mapping, GDAL's approximate transformer ({@code GDALApproxTransform}) re-implemented so that
     * nearest-neighbour picks agree with gdalwarp's: for each target row, the first, middle and last pixel centres
     * are mapped exactly; if linear interpolation between first and last misses the exact middle by more than the
     * threshold (|dx| + |dy| in source pixels), the row is split into halves, recursively, down to runs of 5 pixels,
     * which are mapped exactly; otherwise the run is interpolated.
     */
    private static final class ScanlineMapper {
        private static final int EXACT_RUN = 5;
        private final PixelMapper exact;
        private final double maxError;
        private final double[] mx = new double[3];
        private final double[] my = new double[3];

        ScanlineMapper(PixelMapper exact, double maxError) {
            this.exact = exact;
            this.maxError = maxError;
        }

        /** Source pixel coordinates of the centres of target row {@code row}; NaN where unmappable. */
        void mapRow(int row, double[] x, double[] y) {
            int n = x.length;
            for (int c = 0; c < n; c++) {
                x[c] = c + 0.5;
                y[c] = row + 0.5;
            }
            if (maxError <= 0 || n <= EXACT_RUN) {
                exact.map(x, y, 0, n);
                return;
            }
            int mid = (n - 1) / 2;
            double[] smeX = {x[0], x[mid], x[n - 1]};
            double[] smeY = {y[0], y[mid], y[n - 1]};
            exact.map(smeX, smeY, 0, 3);
            if (!finite(smeX, smeY, 0) || !finite(smeX, smeY, 1) || !finite(smeX, smeY, 2)) {
                exact.map(x, y, 0, n);
                return;
            }
            approximate(x, y, 0, n, smeX, smeY);
        }

        /** Maps x/y[start, start + len) given the exact images of its start, middle and end points. */
        private void approximate(double[] x, double[] y, int start, int len, double[] smeX, double[] smeY) {
            int half = (len - 1) / 2;
            int mid = start + half;
            int end = start + len - 1;
            double span = x[end] - x[start];
            double slopeX = (smeX[2] - smeX[0]) / span;
            double slopeY = (smeY[2] - smeY[0]) / span;
            double midDistance = x[mid] - x[start];
            double error = Math.abs(smeX[0] + slopeX * midDistance - smeX[1])
                    + Math.abs(smeY[0] + slopeY * midDistance - smeY[1]);
            if (!(error > maxError)) {
                for (int i = end; i >= start; i--) { // backwards: x[start] is the reference until the end
                    double distance = x[i] - x[start];
                    x[i] = smeX[0] + slopeX * distance;
                    y[i] = smeY[0] + slopeY * distance;
                }
                return;
            }
            // Left run [start, mid), right run [mid, end]; the exact images of their middles (and of the left
            // run's last point) seed the recursion.
            int leftLen = half;
            int rightLen = len - half;
            int leftLast = start + leftLen - 1;
            int leftMid = start + (leftLen - 1) / 2;
            int rightMid = mid + (rightLen - 1) / 2;
            boolean exactLeft = leftLen <= EXACT_RUN;
            boolean exactRight = rightLen <= EXACT_RUN;
            mx[0] = x[leftMid];
            my[0] = y[leftMid];
            mx[1] = x[leftLast];
            my[1] = y[leftLast];
            mx[2] = x[rightMid];
            my[2] = y[rightMid];
            exact.map(mx, my, 0, 3);
            boolean seeded = (exactLeft || finite(mx, my, 0) && finite(mx, my, 1)) && (exactRight || finite(mx, my, 2));
            double[] leftX = {smeX[0], mx[0], mx[1]};
            double[] leftY = {smeY[0], my[0], my[1]};
            double[] rightX = {smeX[1], mx[2], smeX[2]};
            double[] rightY = {smeY[1], my[2], smeY[2]};
            if (!seeded || exactLeft) {
                exact.map(x, y, start + 1, start + leftLen);
                x[start] = smeX[0];
                y[start] = smeY[0];
            } else {
                approximate(x, y, start, leftLen, leftX, leftY);
            }
            if (!seeded || exactRight) {
                exact.map(x, y, mid + 1, end);
                x[mid] = smeX[1];
                y[mid] = smeY[1];
                x[end] = smeX[2];
                y[end] = smeY[2];
            } else {
                approximate(x, y, mid, rightLen, rightX, rightY);
            }
        }

        private static boolean finite(double[] xs, double[] ys, int i) {
            return Double.isFinite(xs[i]) && Double.isFinite(ys[i]);
        }
    }

    /** Typed access to one band's array as doubles; {@link #fit} rounds and clamps for integer types. */
    private abstract static class Band {
        abstract double get(int i);

        abstract void set(int i, double v);

        /** An interpolated value made storable: rounded half up and clamped for integers. */
        abstract double fit(double v);

        static Band of(Raster raster, int band) {
            SampleType type = raster.sampleType();
            return switch (type) {
                case UINT8 -> new IntegerBand(0, 255) {
                    final byte[] a = raster.bytes(band);
                    double get(int i) { return a[i] & 0xFF; }
                    void set(int i, double v) { a[i] = (byte) (long) v; }
                };
                case INT8 -> new IntegerBand(-128, 127) {
                    final byte[] a = raster.bytes(band);
                    double get(int i) { return a[i]; }
                    void set(int i, double v) { a[i] = (byte) (long) v; }
                };
                case UINT16 -> new IntegerBand(0, 65535) {
                    final short[] a = raster.shorts(band);
                    double get(int i) { return a[i] & 0xFFFF; }
                    void set(int i, double v) { a[i] = (short) (long) v; }
                };
                case INT16 -> new IntegerBand(Short.MIN_VALUE, Short.MAX_VALUE) {
                    final short[] a = raster.shorts(band);
                    double get(int i) { return a[i]; }
                    void set(int i, double v) { a[i] = (short) (long) v; }
                };
                case UINT32 -> new IntegerBand(0, 4294967295.0) {
                    final int[] a = raster.ints(band);
                    double get(int i) { return a[i] & 0xFFFFFFFFL; }
                    void set(int i, double v) { a[i] = (int) (long) v; }
                };
                case INT32 -> new IntegerBand(Integer.MIN_VALUE, Integer.MAX_VALUE) {
                    final int[] a = raster.ints(band);
                    double get(int i) { return a[i]; }
                    void set(int i, double v) { a[i] = (int) (long) v; }
                };
                case FLOAT32 -> new Band() {
                    final float[] a = raster.floats(band);
                    double get(int i) { return a[i]; }
                    void set(int i, double v) { a[i] = (float) v; }
                    double fit(double v) { return v; }
                };
                case FLOAT64 -> new Band() {
                    final double[] a = raster.doubles(band);
                    double get(int i) { return a[i]; }
                    void set(int i, double v) { a[i] = v; }
                    double fit(double v) { return v; }
                };
            };
        }
    }

    private abstract static class IntegerBand extends Band {
        private final double min;
        private final double max;

        IntegerBand(double min, double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        double fit(double v) {
            return Math.max(min, Math.min(max, Math.floor(v + 0.5)));
        }
    }
}
