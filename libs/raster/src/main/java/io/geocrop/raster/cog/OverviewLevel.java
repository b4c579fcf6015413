package io.geocrop.raster.cog;

import io.geocrop.raster.CogWriteOptions.ModeTies;
import io.geocrop.raster.Raster;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;

import java.io.IOException;

/**
 * Computes one overview level from the level above it, streaming: source rows arrive in strips
 * ({@link #accept}), each destination row is computed as soon as its source rows are there, and only the last
 * few source rows (at most three) are kept between strips. Levels cascade like {@code gdaladdo}: level k+1 is
 * computed from level k, not from full resolution.
 *
 * <p>The arithmetic follows GDAL 3.6's overview code (gcore/overview.cpp) so that results equal
 * {@code gdaladdo -r nearest|average|mode} on the same data, including levels whose size is not exactly half the
 * source (odd sizes give a ratio {@code srcSize / dstSize} below 2):
 * <ul>
 *   <li>NEAREST takes source pixel {@code (int)(0.5 + i * ratio)}: the top-left pixel of each 2x2 block when the
 *       ratio is exactly 2.</li>
 *   <li>AVERAGE covers source span {@code [i * ratio, (i + 1) * ratio)} with fractional weights for partly
 *       covered edge pixels; exact 2x2 blocks without nodata use GDAL's unweighted fast path. Nodata pixels never
 *       contribute; a window with only nodata gives nodata; a valid average that lands on the nodata value is
 *       replaced by the next value (nodata + 1 for integers) as GDAL does. Integer results round half up for
 *       UINT8/UINT16 (GDAL's integer path) and half away from zero for the other integer types. INT16 and FLOAT32
 *       are averaged in float like GDAL; INT32, UINT32 and FLOAT64 in double (GDAL 3.6 uses float32 there, so
 *       values above 2^24 may differ from gdaladdo by rounding).</li>
 *   <li>MODE counts the values of the same span (unweighted, nodata excluded); ties go to the smallest value, or to
 *       GDAL's pick with {@link ModeTies#GDAL}.</li>
 * </ul>
 */
public final class OverviewLevel {
    /** Receives each finished destination row: {@code values[band][x]}, already representable in the type. */
    public interface RowSink {
        /** Called once per destination row, in order. */
        void row(int dstRow, double[][] values) throws IOException;
    }

    private enum Work { INTEGER, FLOAT, DOUBLE }

    private static final int RING = 4;

    private final int srcW, srcH, dstW, dstH, bands;
    private final double ratioX, ratioY;
    private final SampleType type;
    private final Resampling[] methods;
    private final boolean hasNodata;
    private final double nodata;
    private final double replacement;
    private final ModeTies ties;
    private final Work work;
    private final RowSink sink;

    // Per destination column: source span [x0, x1), edge weights, and the nearest source column.
    private final int[] x0, x1, nearestX;
    private final double[] leftW, rightW, fullLineW;
    private final boolean xSpacingTwo;

    // Ring of recent source rows converted to doubles: ring[slot][band][x].
    private final double[][][] ring;
    private final int[] ringRow;
    private final double[][] out;
    private final double[] modeValues;
    private final int[] modeCounts;

    private Raster strip;
    private int stripFirst, stripEnd;
    private int nextDst;

    /**
     * @param nodata the nodata value as the type stores it, or null
     */
    public OverviewLevel(int srcW, int srcH, int dstW, int dstH, SampleType type, Resampling[] methods,
                         Double nodata, ModeTies ties, RowSink sink) {
        this.srcW = srcW;
        this.srcH = srcH;
        this.dstW = dstW;
        this.dstH = dstH;
        this.bands = methods.length;
        this.type = type;
        this.methods = methods.clone();
        this.hasNodata = nodata != null;
        this.nodata = nodata == null ? 0 : nodata;
        this.replacement = nodata == null ? 0 : replacementFor(type, nodata);
        this.ties = ties;
        this.sink = sink;
        this.work = switch (type) {
            case UINT8, UINT16 -> Work.INTEGER;
            case INT8, INT16, FLOAT32 -> Work.FLOAT;
            case UINT32, INT32, FLOAT64 -> Work.DOUBLE;
        };
        this.ratioX = (double) srcW / dstW;
        this.ratioY = (double) srcH / dstH;

        x0 = new int[dstW];
        x1 = new int[dstW];
        nearestX = new int[dstW];
        leftW = new double[dstW];
        rightW = new double[dstW];
        fullLineW = new double[dstW];
        boolean two = true;
        int lastX1 = -1;
        for (int x = 0; x < dstW; x++) {
            double f0 = x * ratioX;
            int a = (int) (f0 + 1e-8);
            double f1 = (x + 1) * ratioX;
            int b = (int) Math.ceil(f1 - 1e-8);
            if (b == a) {
                b++;
            }
            b = Math.min(b, srcW);
            x0[x] = a;
            x1[x] = b;
            leftW[x] = b == a + 1 ? 1.0 : 1 - (f0 - a);
            rightW[x] = 1 - (b - f1);
            double full = leftW[x];
            if (a + 1 < b) {
                full += b - a - 2;
                full += rightW[x];
            }
            fullLineW[x] = full;
            if (b - a != 2 || (lastX1 >= 0 && lastX1 != a)) {
                two = false;
            }
            lastX1 = b;
            nearestX[x] = Math.min(srcW - 1, (int) (0.5 + x * ratioX));
        }
        xSpacingTwo = two;

        int maxSpanX = 1, maxSpanY = 1;
        for (int x = 0; x < dstW; x++) maxSpanX = Math.max(maxSpanX, x1[x] - x0[x]);
        for (int y = 0; y < dstH; y++) maxSpanY = Math.max(maxSpanY, rowEnd(y) - rowStart(y));
        if (maxSpanY >= RING) {
            throw new IllegalArgumentException("overview " + dstW + "x" + dstH + " of " + srcW + "x" + srcH
                    + " would need " + maxSpanY + " source rows per row; levels must halve");
        }
        modeValues = new double[maxSpanX * maxSpanY];
        modeCounts = new int[maxSpanX * maxSpanY];
        ring = new double[RING][bands][srcW];
        ringRow = new int[] {-1, -1, -1, -1};
        out = new double[bands][dstW];
    }

    /** Destination rows computed so far. */
    public int rowsDone() {
        return nextDst;
    }

    /** True when every destination row has been computed. */
    public boolean complete() {
        return nextDst == dstH;
    }

    /**
     * Feeds source rows {@code [firstRow, firstRow + rowCount)}, held in rows {@code 0..rowCount} of {@code src}
     * (which is {@code srcW} wide); computes and emits every destination row they complete. Strips must arrive in
     * order without gaps. {@code src} may be reused by the caller after this returns.
     */
    public void accept(Raster src, int firstRow, int rowCount) throws IOException {
        if (firstRow != stripEnd) {
            throw new IllegalStateException("overview source rows must arrive in order: expected row " + stripEnd
                    + ", got " + firstRow);
        }
        strip = src;
        stripFirst = firstRow;
        stripEnd = firstRow + rowCount;
        while (nextDst < dstH) {
            int a = rowStart(nextDst), b = rowEnd(nextDst);
            if (b > stripEnd) {
                break;
            }
            computeRow(nextDst, a, b);
            sink.row(nextDst, out);
            nextDst++;
        }
        if (nextDst < dstH) {
            // Keep the tail rows later destination rows still need; the strip is not ours to hold on to.
            for (int r = Math.max(rowStart(nextDst), stripFirst); r < stripEnd; r++) {
                sourceRow(r);
            }
        }
        strip = null;
    }

    private int rowStart(int j) {
        return (int) (j * ratioY + 1e-8);
    }

    private int rowEnd(int j) {
        int a = rowStart(j);
        int b = (int) Math.ceil((j + 1) * ratioY - 1e-8);
        if (b == a) {
            b++;
        }
        return Math.min(b, srcH);
    }

    private double[][] sourceRow(int row) {
        int slot = row & (RING - 1);
        if (ringRow[slot] != row) {
            if (strip == null || row < stripFirst || row >= stripEnd) {
                throw new IllegalStateException("overview source row " + row + " is no longer available");
            }
            for (int b = 0; b < bands; b++) {
                Samples.readRow(strip, b, 0, row - stripFirst, srcW, ring[slot][b]);
            }
            ringRow[slot] = row;
        }
        return ring[slot];
    }

    private void computeRow(int j, int a, int b) {
        double[][][] rows = new double[b - a][][];
        for (int r = a; r < b; r++) {
            rows[r - a] = sourceRow(r);
        }
        int nearestRow = Math.min(srcH - 1, (int) (0.5 + j * ratioY));
        for (int band = 0; band < bands; band++) {
            double[] o = out[band];
            switch (methods[band]) {
                case NEAREST -> {
                    double[] src = sourceRow(nearestRow)[band];
                    for (int x = 0; x < dstW; x++) o[x] = src[nearestX[x]];
                }
                case AVERAGE -> average(rows, band, j, a, b, o);
                case MODE -> mode(rows, band, o);
                default -> throw new IllegalStateException("unsupported overview resampling " + methods[band]);
            }
        }
    }

    private boolean isNodata(double v) {
        return hasNodata && (v == nodata || (Double.isNaN(nodata) && Double.isNaN(v)));
    }

    // ---------------------------------------------------------------- AVERAGE

    private void average(double[][][] rows, int band, int j, int a, int b, double[] o) {
        if (xSpacingTwo && b == a + 2 && !hasNodata) {
            averageTwoByTwo(rows[0][band], rows[1][band], o);
            return;
        }
        double dfSrcYOff = j * ratioY, dfSrcYOff2 = (j + 1) * ratioY;
        double bottomW = (a + 1 == b) ? 1.0 : 1.0 - (dfSrcYOff - a);
        double topW = 1.0 - (b - dfSrcYOff2);
        double fullColumnW = bottomW;
        if (a + 1 < b) {
            fullColumnW += b - a - 2;
            fullColumnW += topW;
        }
        int nRows = b - a;
        for (int x = 0; x < dstW; x++) {
            int xa = x0[x], xb = x1[x];
            double total = 0, totalWeight = 0;
            if (!hasNodata) {
                for (int iy = 0; iy < nRows; iy++) {
                    double[] v = rows[iy][band];
                    double line = v[xa] * leftW[x];
                    if (xa + 1 < xb) {
                        for (int ix = xa + 1; ix + 1 < xb; ix++) line += v[ix];
                        line += v[xb - 1] * rightW[x];
                    }
                    double wy = iy == 0 ? bottomW : (iy == nRows - 1 ? topW : 1.0);
                    total += line * wy;
                }
                totalWeight = fullLineW[x] * fullColumnW;
            } else {
                int count = 0;
                for (int iy = 0; iy < nRows; iy++) {
                    double[] v = rows[iy][band];
                    double line = 0, lineW = 0;
                    if (!isNodata(v[xa])) {
                        count++;
                        lineW = leftW[x];
                        line = v[xa] * leftW[x];
                    }
                    if (xa + 1 < xb) {
                        for (int ix = xa + 1; ix + 1 < xb; ix++) {
                            if (!isNodata(v[ix])) {
                                count++;
                                lineW += 1;
                                line += v[ix];
                            }
                        }
                        if (!isNodata(v[xb - 1])) {
                            count++;
                            lineW += rightW[x];
                            line += v[xb - 1] * rightW[x];
                        }
                    }
                    double wy = iy == 0 ? bottomW : (iy + 1 == nRows ? topW : 1.0);
                    total += line * wy;
                    totalWeight += lineW * wy;
                }
                if (count == 0) {
                    o[x] = nodata;
                    continue;
                }
            }
            o[x] = finishAverage(total / totalWeight);
        }
    }

    /** GDAL's fast path for exact 2x2 blocks without nodata, including its order of float additions. */
    private void averageTwoByTwo(double[] r0, double[] r1, double[] o) {
        switch (work) {
            case INTEGER -> {
                for (int x = 0; x < dstW; x++) {
                    int s = x0[x];
                    long sum = (long) r0[s] + (long) r0[s + 1] + (long) r1[s] + (long) r1[s + 1];
                    o[x] = (sum + 2) / 4;
                }
            }
            case FLOAT -> {
                // GDAL sums groups of four output pixels with SSE (column pairs first) and the rest with scalar
                // code (left to right); float rounding differs between the two orders, so both are mirrored.
                int vectorEnd = dstW - dstW % 4;
                for (int x = 0; x < dstW; x++) {
                    int s = x0[x];
                    float total;
                    if (x < vectorEnd) {
                        total = ((float) r0[s] + (float) r1[s]) + ((float) r0[s + 1] + (float) r1[s + 1]);
                    } else {
                        total = (float) r0[s] + (float) r0[s + 1] + (float) r1[s] + (float) r1[s + 1];
                    }
                    o[x] = toType(total * 0.25f);
                }
            }
            case DOUBLE -> {
                for (int x = 0; x < dstW; x++) {
                    int s = x0[x];
                    o[x] = toType((r0[s] + r0[s + 1] + r1[s] + r1[s + 1]) * 0.25);
                }
            }
        }
    }

    private double finishAverage(double mean) {
        switch (work) {
            case INTEGER -> {
                double v = (long) (mean + 0.5);
                return hasNodata && v == nodata ? replacement : v;
            }
            case FLOAT -> {
                float f = (float) mean;
                if (hasNodata && f == (float) nodata) {
                    return replacement;
                }
                double v = toType(f);
                // GDAL compares before rounding to the integer type; comparing after too keeps valid pixels valid.
                return hasNodata && v == nodata ? replacement : v;
            }
            default -> {
                double v = toType(mean);
                return hasNodata && v == nodata ? replacement : v;
            }
        }
    }

    /** A computed value as the sample type stores it: integers rounded half away from zero and clamped. */
    private double toType(double v) {
        if (type.isFloat()) {
            return type == SampleType.FLOAT32 ? (double) (float) v : v;
        }
        if (Double.isNaN(v)) {
            return 0;
        }
        double r = v >= 0 ? Math.floor(v + 0.5) : Math.ceil(v - 0.5);
        return Math.max(Samples.min(type), Math.min(Samples.max(type), r));
    }

    /**
     * The value GDAL substitutes when a valid average equals nodata: the next integer (the previous one at the top
     * of the range), or for floats {@code nodata * (1 + epsilon)} (the smallest normal number for 0).
     */
    static double replacementFor(SampleType type, double nodata) {
        if (Double.isNaN(nodata)) {
            return nodata;
        }
        switch (type) {
            case FLOAT32 -> {
                if (nodata == 0) {
                    return Float.MIN_NORMAL;
                }
                float f = (float) (nodata + nodata * Math.ulp(1.0f));
                if (Float.isInfinite(f)) {
                    f = nodata > 0 ? Math.nextDown((float) nodata) : Math.nextUp((float) nodata);
                }
                return f;
            }
            case FLOAT64 -> {
                if (nodata == 0) {
                    return Double.MIN_NORMAL;
                }
                double d = nodata + nodata * Math.ulp(1.0);
                if (d == nodata || Double.isInfinite(d)) {
                    d = nodata > 0 ? Math.nextDown(nodata) : Math.nextUp(nodata);
                }
                return d;
            }
            default -> {
                return nodata == Samples.max(type) ? nodata - 1 : nodata + 1;
            }
        }
    }

    // ---------------------------------------------------------------- MODE

    private void mode(double[][][] rows, int band, double[] o) {
        boolean byteHistogram = ties == ModeTies.GDAL && type == SampleType.UINT8;
        for (int x = 0; x < dstW; x++) {
            int xa = x0[x], xb = x1[x];
            int entries = 0;
            int best = -1;
            for (double[][] row : rows) {
                double[] v = row[band];
                for (int ix = xa; ix < xb; ix++) {
                    double val = v[ix];
                    if (isNodata(val)) {
                        continue;
                    }
                    if (ties == ModeTies.SMALLEST) {
                        int i = 0;
                        while (i < entries && Double.compare(modeValues[i], val) != 0) i++;
                        if (i == entries) {
                            modeValues[entries] = val;
                            modeCounts[entries++] = 1;
                        } else {
                            modeCounts[i]++;
                        }
                    } else if (byteHistogram) {
                        // GDAL's Byte path: a histogram where the first value to exceed the top count wins.
                        int i = 0;
                        while (i < entries && modeValues[i] != val) i++;
                        if (i == entries) {
                            modeValues[entries] = val;
                            modeCounts[entries++] = 0;
                        }
                        modeCounts[i]++;
                        if (best < 0 || modeCounts[i] > modeCounts[best]) {
                            best = i;
                        }
                    } else {
                        // GDAL's generic path, reproduced as written: an entry only counts up while it beats the
                        // current maximum; otherwise the value is appended again as a new entry.
                        int i = 0;
                        for (; i < entries; i++) {
                            if (modeValues[i] == val && ++modeCounts[i] > modeCounts[best]) {
                                best = i;
                                break;
                            }
                        }
                        if (i == entries) {
                            modeValues[entries] = val;
                            modeCounts[entries] = 1;
                            if (best < 0) {
                                best = entries;
                            }
                            entries++;
                        }
                    }
                }
            }
            if (ties == ModeTies.SMALLEST) {
                for (int i = 0; i < entries; i++) {
                    if (best < 0 || modeCounts[i] > modeCounts[best]
                            || (modeCounts[i] == modeCounts[best] && Double.compare(modeValues[i], modeValues[best]) < 0)) {
                        best = i;
                    }
                }
            }
            o[x] = best < 0 ? nodata : modeValues[best];
        }
    }
}
