package io.geocrop.raster.cog;

import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;

/**
 * Typed access to rows of a {@link Raster} as doubles, for the overview resampler: one switch per row instead of
 * per pixel. Unsigned types read as unsigned; doubles hold every supported sample type exactly.
 */
public final class Samples {
    private Samples() {}

    /** The smallest and largest value of an integer sample type. */
    public static double min(SampleType type) {
        return switch (type) {
            case UINT8, UINT16, UINT32 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
        };
    }

    /** The largest value of a sample type. */
    public static double max(SampleType type) {
        return switch (type) {
            case UINT8 -> 255;
            case INT8 -> Byte.MAX_VALUE;
            case UINT16 -> 65535;
            case INT16 -> Short.MAX_VALUE;
            case UINT32 -> 4294967295.0;
            case INT32 -> Integer.MAX_VALUE;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
        };
    }

    /**
     * Checks that a nodata value can be stored in a sample type (an integer in range for integer types) and
     * returns it as the type stores it (rounded to float for FLOAT32).
     */
    public static double checkNodata(Double nodata, SampleType type) {
        double v = nodata;
        if (type.isFloat()) {
            return type == SampleType.FLOAT32 ? (double) (float) v : v;
        }
        if (Double.isNaN(v) || v != Math.rint(v) || v < min(type) || v > max(type)) {
            throw new IllegalArgumentException("nodata " + v + " is not a " + type + " value (integers "
                    + (long) min(type) + ".." + (long) max(type) + ")");
        }
        return v;
    }

    /** Copies {@code width} samples of one band, starting at pixel (x, y), into {@code out[0..width)}. */
    public static void readRow(Raster r, int band, int x, int y, int width, double[] out) {
        int i = y * r.width() + x;
        switch (r.sampleType()) {
            case UINT8 -> {
                byte[] a = r.bytes(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k] & 0xFF;
            }
            case INT8 -> {
                byte[] a = r.bytes(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k];
            }
            case UINT16 -> {
                short[] a = r.shorts(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k] & 0xFFFF;
            }
            case INT16 -> {
                short[] a = r.shorts(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k];
            }
            case UINT32 -> {
                int[] a = r.ints(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k] & 0xFFFFFFFFL;
            }
            case INT32 -> {
                int[] a = r.ints(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k];
            }
            case FLOAT32 -> {
                float[] a = r.floats(band);
                for (int k = 0; k < width; k++) out[k] = a[i + k];
            }
            case FLOAT64 -> System.arraycopy(r.doubles(band), i, out, 0, width);
        }
    }

    /**
     * Stores {@code width} values of one band at pixel (x, y). Values must already be representable (integral
     * and in range for integer types); they are narrowed with a cast.
     */
    public static void writeRow(Raster r, int band, int x, int y, int width, double[] in) {
        int i = y * r.width() + x;
        switch (r.sampleType()) {
            case UINT8, INT8 -> {
                byte[] a = r.bytes(band);
                for (int k = 0; k < width; k++) a[i + k] = (byte) (long) in[k];
            }
            case UINT16, INT16 -> {
                short[] a = r.shorts(band);
                for (int k = 0; k < width; k++) a[i + k] = (short) (long) in[k];
            }
            case UINT32, INT32 -> {
                int[] a = r.ints(band);
                for (int k = 0; k < width; k++) a[i + k] = (int) (long) in[k];
            }
            case FLOAT32 -> {
                float[] a = r.floats(band);
                for (int k = 0; k < width; k++) a[i + k] = (float) in[k];
            }
            case FLOAT64 -> System.arraycopy(in, 0, r.doubles(band), i, width);
        }
    }

    /** Sets every sample of a band to {@code value} (already representable in the band's type). */
    public static void fill(Raster r, int band, double value) {
        switch (r.sampleType()) {
            case UINT8, INT8 -> java.util.Arrays.fill(r.bytes(band), (byte) (long) value);
            case UINT16, INT16 -> java.util.Arrays.fill(r.shorts(band), (short) (long) value);
            case UINT32, INT32 -> java.util.Arrays.fill(r.ints(band), (int) (long) value);
            case FLOAT32 -> java.util.Arrays.fill(r.floats(band), (float) value);
            case FLOAT64 -> java.util.Arrays.fill(r.doubles(band), value);
        }
    }

    /** Sets a {@code width x height} block of every band at (x, y) to {@code value}. */
    public static void fillRect(Raster r, int x, int y, int width, int height, double value) {
        for (int b = 0; b < r.bandCount(); b++) {
            for (int row = y; row < y + height; row++) {
                int from = row * r.width() + x, to = from + width;
                switch (r.sampleType()) {
                    case UINT8, INT8 -> java.util.Arrays.fill(r.bytes(b), from, to, (byte) (long) value);
                    case UINT16, INT16 -> java.util.Arrays.fill(r.shorts(b), from, to, (short) (long) value);
                    case UINT32, INT32 -> java.util.Arrays.fill(r.ints(b), from, to, (int) (long) value);
                    case FLOAT32 -> java.util.Arrays.fill(r.floats(b), from, to, (float) value);
                    case FLOAT64 -> java.util.Arrays.fill(r.doubles(b), from, to, value);
                }
            }
        }
    }

    /** Copies a {@code width x height} block of every band from {@code src} at (sx, sy) to {@code dst} at (dx, dy). */
    public static void copy(Raster src, int sx, int sy, Raster dst, int dx, int dy, int width, int height) {
        for (int b = 0; b < src.bandCount(); b++) {
            Object s = src.band(b), d = dst.band(b);
            for (int y = 0; y < height; y++) {
                System.arraycopy(s, (sy + y) * src.width() + sx, d, (dy + y) * dst.width() + dx, width);
            }
        }
    }
}
