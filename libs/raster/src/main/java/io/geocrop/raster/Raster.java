package io.geocrop.raster;

import java.util.Objects;

/**
 * Pixels in memory, band-sequential: one primitive array per band, row-major, {@code width * height} long.
 * The array type follows the sample type: {@code byte[]} for UINT8/INT8, {@code short[]} for UINT16/INT16,
 * {@code int[]} for UINT32/INT32, {@code float[]} for FLOAT32, {@code double[]} for FLOAT64. Unsigned values are
 * stored in the signed Java type of the same width and read back with {@link #get}.
 */
public final class Raster {
    private final int width;
    private final int height;
    private final SampleType type;
    private final Object[] bands;

    private Raster(int width, int height, SampleType type, Object[] bands) {
        this.width = width;
        this.height = height;
        this.type = type;
        this.bands = bands;
    }

    /** A zero-filled raster. */
    public static Raster allocate(int width, int height, int bandCount, SampleType type) {
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("raster of " + width + "x" + height + " is too large for one buffer");
        }
        Object[] bands = new Object[bandCount];
        int n = width * height;
        for (int b = 0; b < bandCount; b++) {
            bands[b] = switch (type) {
                case UINT8, INT8 -> new byte[n];
                case UINT16, INT16 -> new short[n];
                case UINT32, INT32 -> new int[n];
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
            };
        }
        return new Raster(width, height, type, bands);
    }

    /** Wraps existing band arrays (not copied); each must have the array type of {@code type}. */
    public static Raster wrap(int width, int height, SampleType type, Object... bandArrays) {
        Raster r = allocate(1, 1, 0, type);
        Object[] bands = bandArrays.clone();
        for (Object band : bands) {
            Objects.requireNonNull(band, "band");
            Object expected = allocate(1, 1, 1, type).bands[0];
            if (band.getClass() != expected.getClass() || java.lang.reflect.Array.getLength(band) != width * height) {
                throw new IllegalArgumentException("band array must be " + expected.getClass().getSimpleName()
                        + " of length " + width * height);
            }
        }
        return new Raster(width, height, type, bands);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int bandCount() {
        return bands.length;
    }

    public SampleType sampleType() {
        return type;
    }

    /** The band's backing array (see the class comment for its type). */
    public Object band(int band) {
        return bands[band];
    }

    public byte[] bytes(int band) {
        return (byte[]) bands[band];
    }

    public short[] shorts(int band) {
        return (short[]) bands[band];
    }

    public int[] ints(int band) {
        return (int[]) bands[band];
    }

    public float[] floats(int band) {
        return (float[]) bands[band];
    }

    public double[] doubles(int band) {
        return (double[]) bands[band];
    }

    /** The value at (x, y) of a band as a double, unsigned types read as unsigned. */
    public double get(int band, int x, int y) {
        int i = y * width + x;
        return switch (type) {
            case UINT8 -> ((byte[]) bands[band])[i] & 0xFF;
            case INT8 -> ((byte[]) bands[band])[i];
            case UINT16 -> ((short[]) bands[band])[i] & 0xFFFF;
            case INT16 -> ((short[]) bands[band])[i];
            case UINT32 -> ((int[]) bands[band])[i] & 0xFFFFFFFFL;
            case INT32 -> ((int[]) bands[band])[i];
            case FLOAT32 -> ((float[]) bands[band])[i];
            case FLOAT64 -> ((double[]) bands[band])[i];
        };
    }

    /** Sets (x, y) of a band, converting with a cast (callers round and clamp where they need to). */
    public void set(int band, int x, int y, double value) {
        int i = y * width + x;
        switch (type) {
            case UINT8, INT8 -> ((byte[]) bands[band])[i] = (byte) (long) value;
            case UINT16, INT16 -> ((short[]) bands[band])[i] = (short) (long) value;
            case UINT32, INT32 -> ((int[]) bands[band])[i] = (int) (long) value;
            case FLOAT32 -> ((float[]) bands[band])[i] = (float) value;
            case FLOAT64 -> ((double[]) bands[band])[i] = value;
        }
    }
}
