package io.geocrop.raster.cog;

import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;

import java.util.SplittableRandom;

/** Deterministic test rasters: smooth fields with noise (compressible but not trivial), class maps, nodata holes. */
public final class TestRasters {
    private TestRasters() {}

    /**
     * A raster whose values span much of {@code type}'s range (up to {@code maxMagnitude} for the 32-bit and float
     * types), with about {@code nodataFraction} of the pixels set to {@code nodata} in small clusters.
     */
    public static Raster continuous(SampleType type, int width, int height, int bands, long seed, Double nodata,
                                    double nodataFraction, double maxMagnitude) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Raster r = Raster.allocate(width, height, bands, type);
        double lo = Math.max(Samples.min(type), -maxMagnitude), hi = Math.min(Samples.max(type), maxMagnitude);
        double mid = (lo + hi) / 2, amp = (hi - lo) / 2;
        for (int b = 0; b < bands; b++) {
            double fx = 7 + rnd.nextDouble(30), fy = 7 + rnd.nextDouble(30), phase = rnd.nextDouble(6.28);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    // Integers get strong noise; floats a little, like smooth measurements (and DEFLATE stays fast).
                    double noise = type.isFloat() ? 0.002 : 0.4;
                    double s = (1 - noise) * Math.sin(x / fx + phase) * Math.cos(y / fy) + noise * (rnd.nextDouble() * 2 - 1);
                    double v = mid + amp * s;
                    if (!type.isFloat()) {
                        v = Math.max(lo, Math.min(hi, Math.rint(v)));
                    } else {
                        // Quantized to about 8 significant bits, like a measurement, so DEFLATE stays quick; values
                        // still have fractions when the range is small.
                        double step = Math.scalb(1.0, Math.getExponent(amp) - 7);
                        v = Math.rint(v / step) * step;
                        v = type == SampleType.FLOAT32 ? (float) v : v;
                    }
                    r.set(b, x, y, v);
                }
            }
        }
        punchNodata(r, rnd, nodata, nodataFraction);
        return r;
    }

    /** A class map: 16-pixel blobs of classes 1..classes with 15% of pixels replaced by random classes. */
    public static Raster classes(SampleType type, int width, int height, int bands, long seed, int classes, Double nodata,
                                 double nodataFraction) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Raster r = Raster.allocate(width, height, bands, type);
        for (int b = 0; b < bands; b++) {
            long salt = rnd.nextLong();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    long h = ((x / 16) * 73856093L) ^ ((y / 16) * 19349663L) ^ salt;
                    int c = (int) Math.floorMod(h ^ (h >>> 17), (long) classes) + 1;
                    if (rnd.nextDouble() < 0.15) {
                        c = 1 + rnd.nextInt(classes);
                    }
                    r.set(b, x, y, c);
                }
            }
        }
        punchNodata(r, rnd, nodata, nodataFraction);
        return r;
    }

    private static void punchNodata(Raster r, SplittableRandom rnd, Double nodata, double fraction) {
        if (nodata == null || fraction <= 0) {
            return;
        }
        long holes = Math.round(r.width() * (double) r.height() * fraction / 6);
        for (long i = 0; i < holes; i++) {
            int x = rnd.nextInt(r.width()), y = rnd.nextInt(r.height());
            int b = rnd.nextInt(r.bandCount());
            // Clusters of up to 3x3 so that whole overview windows are sometimes nodata.
            int size = 1 + rnd.nextInt(3);
            for (int dy = 0; dy < size && y + dy < r.height(); dy++) {
                for (int dx = 0; dx < size && x + dx < r.width(); dx++) {
                    r.set(b, x + dx, y + dy, nodata);
                }
            }
        }
    }

    /** The pixels of {@code r} in the window starting at (x, y), clipped to the raster. */
    public static Raster crop(Raster r, int x, int y, int width, int height) {
        int w = Math.min(width, r.width() - x), h = Math.min(height, r.height() - y);
        Raster out = Raster.allocate(w, h, r.bandCount(), r.sampleType());
        Samples.copy(r, x, y, out, 0, 0, w, h);
        return out;
    }
}
