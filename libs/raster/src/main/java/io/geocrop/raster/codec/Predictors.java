package io.geocrop.raster.codec;

/**
 * Undoes the TIFF predictors in place on one decoded tile or strip. Rows are independent; {@code stride} is
 * the number of interleaved samples per pixel (SamplesPerPixel for chunky data, 1 for planar data).
 */
public final class Predictors {
    private Predictors() {}

    /** Horizontal differencing (Predictor 2) on 8-bit samples. */
    public static void undoHorizontal(byte[] data, int samplesPerRow, int rows, int stride) {
        for (int r = 0; r < rows; r++) {
            int start = r * samplesPerRow;
            for (int i = start + stride, end = start + samplesPerRow; i < end; i++) {
                data[i] += data[i - stride];
            }
        }
    }

    /** Horizontal differencing (Predictor 2) on 16-bit samples; wraps around like libtiff. */
    public static void undoHorizontal(short[] data, int samplesPerRow, int rows, int stride) {
        if (stride == 1) {
            // One sample per pixel (every Sentinel-2 band): the running sum kept in a register rather than
            // re-read from the array, so each step is one add and one store.
            for (int r = 0; r < rows; r++) {
                int start = r * samplesPerRow;
                if (samplesPerRow == 0) {
                    continue;
                }
                short acc = data[start];
                for (int i = start + 1, end = start + samplesPerRow; i < end; i++) {
                    acc += data[i];
                    data[i] = acc;
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int start = r * samplesPerRow;
            for (int i = start + stride, end = start + samplesPerRow; i < end; i++) {
                data[i] += data[i - stride];
            }
        }
    }

    /** Horizontal differencing (Predictor 2) on 32-bit samples (integers or float bit patterns). */
    public static void undoHorizontal(int[] data, int samplesPerRow, int rows, int stride) {
        for (int r = 0; r < rows; r++) {
            int start = r * samplesPerRow;
            for (int i = start + stride, end = start + samplesPerRow; i < end; i++) {
                data[i] += data[i - stride];
            }
        }
    }

    /** Horizontal differencing (Predictor 2) on 64-bit samples (double bit patterns). */
    public static void undoHorizontal(long[] data, int samplesPerRow, int rows, int stride) {
        for (int r = 0; r < rows; r++) {
            int start = r * samplesPerRow;
            for (int i = start + stride, end = start + samplesPerRow; i < end; i++) {
                data[i] += data[i - stride];
            }
        }
    }

    /**
     * The floating-point predictor (Predictor 3) as libtiff implements it: each row holds the samples' bytes
     * as separate planes, most significant byte first, byte-differenced with the given stride. Afterwards each
     * sample's bytes are in place in big-endian order, whatever the file's byte order.
     */
    public static void undoFloatingPoint(byte[] data, int samplesPerRow, int rows, int stride, int bytesPerSample) {
        int rowBytes = samplesPerRow * bytesPerSample;
        byte[] planes = new byte[rowBytes];
        for (int r = 0; r < rows; r++) {
            int start = r * rowBytes;
            for (int i = start + stride, end = start + rowBytes; i < end; i++) {
                data[i] += data[i - stride];
            }
            System.arraycopy(data, start, planes, 0, rowBytes);
            for (int s = 0; s < samplesPerRow; s++) {
                int target = start + s * bytesPerSample;
                for (int b = 0; b < bytesPerSample; b++) {
                    data[target + b] = planes[b * samplesPerRow + s];
                }
            }
        }
    }
}
