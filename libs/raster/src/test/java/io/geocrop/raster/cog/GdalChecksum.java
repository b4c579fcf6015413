package io.geocrop.raster.cog;

import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;

/**
 * GDAL's band checksum (GDALChecksumImage, what {@code gdalinfo -checksum} prints), computed on pixels in
 * memory: row-major over the band, each value taken as an Int32 (UInt32 clamped to INT_MAX as GDAL's Int32
 * conversion does; floats rounded with floor(v + 0.5), NaN and infinities as INT_MIN), reduced modulo a cycle of
 * eleven primes, summed with 32-bit wrap-around, and the low 16 bits kept.
 */
public final class GdalChecksum {
    private GdalChecksum() {}

    private static final int[] PRIMES = {7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43};

    /** Checksum of one band of {@code r}. */
    public static int of(Raster r, int band) {
        Accumulator a = new Accumulator(r.sampleType());
        int w = r.width(), h = r.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a.add(r.get(band, x, y));
            }
        }
        return a.value();
    }

    /** Incremental checksum, for pixels generated on the fly in row-major order. */
    public static final class Accumulator {
        private final boolean isFloat;
        private final boolean clampUnsigned32;
        private int sum;
        private int prime;

        /** An accumulator for values of {@code type}. */
        public Accumulator(SampleType type) {
            this.isFloat = type.isFloat();
            this.clampUnsigned32 = type == SampleType.UINT32;
        }

        /** Adds the next pixel value. */
        public void add(double v) {
            int n;
            if (isFloat) {
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    n = Integer.MIN_VALUE;
                } else {
                    double d = v + 0.5;
                    n = d < -2147483647.0 ? -2147483647 : d > 2147483647.0 ? 2147483647 : (int) Math.floor(d);
                }
            } else if (clampUnsigned32 && v > Integer.MAX_VALUE) {
                n = Integer.MAX_VALUE;
            } else {
                n = (int) (long) v;
            }
            sum += n % PRIMES[prime];
            prime = prime == 10 ? 0 : prime + 1;
        }

        /** The checksum so far (low 16 bits). */
        public int value() {
            return sum & 0xFFFF;
        }
    }
}
