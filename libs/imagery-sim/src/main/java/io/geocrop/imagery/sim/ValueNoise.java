package io.geocrop.imagery.sim;

import java.util.Arrays;

/**
 * Smooth, spatially coherent random fields in projected metres (value noise summed over octaves), used for cloud
 * blobs and cirrus veils. Pure in (seed, x, y): a point's value never depends on which row or window asked.
 */
final class ValueNoise {
    private ValueNoise() {}

    /**
     * Fractal value noise along a row of pixel centres: {@code out[i]} is the field at
     * {@code x = (col0 + i) * pixel + pixel / 2 + offsetX}, {@code y}. Octave {@code o} has features about
     * {@code scaleM / 2^o} metres across and amplitude {@code 2^-o}; the sum is normalised to about [-1, 1].
     * Lattice corner values are reused along the row (that is where the speed comes from); the arithmetic per
     * point is the same whatever {@code col0} and {@code n} are, so a one-pixel call gives the same bits.
     */
    static void fbmRow(long seed, long salt, long col0, int n, double pixel, double offsetX, double y,
                       double scaleM, int octaves, double[] out) {
        Arrays.fill(out, 0, n, 0.0);
        double amplitude = 1, norm = 0, scale = scaleM;
        for (int o = 0; o < octaves; o++) {
            long octaveSalt = salt + o * 7919L;
            double yy = y / scale;
            double fy0 = Math.floor(yy);
            long iy = (long) fy0;
            double fy = yy - fy0;
            double sy = fy * fy * (3 - 2 * fy);
            long cachedIx = Long.MIN_VALUE;
            double v00 = 0, v10 = 0, v01 = 0, v11 = 0;
            for (int i = 0; i < n; i++) {
                double xx = ((col0 + i) * pixel + pixel / 2 + offsetX) / scale;
                double fx0 = Math.floor(xx);
                long ix = (long) fx0;
                if (ix != cachedIx) {
                    if (ix == cachedIx + 1) {
                        v00 = v10;
                        v01 = v11;
                    } else {
                        v00 = corner(seed, octaveSalt, ix, iy);
                        v01 = corner(seed, octaveSalt, ix, iy + 1);
                    }
                    v10 = corner(seed, octaveSalt, ix + 1, iy);
                    v11 = corner(seed, octaveSalt, ix + 1, iy + 1);
                    cachedIx = ix;
                }
                double fx = xx - fx0;
                double sx = fx * fx * (3 - 2 * fx);
                double a = v00 + (v10 - v00) * sx;
                double b = v01 + (v11 - v01) * sx;
                out[i] += amplitude * (a + (b - a) * sy);
            }
            norm += amplitude;
            amplitude *= 0.5;
            scale *= 0.5;
        }
        for (int i = 0; i < n; i++) {
            out[i] /= norm;
        }
    }

    private static double corner(long seed, long salt, long ix, long iy) {
        return Hashing.unit(Hashing.hash(seed, salt, ix, iy)) * 2 - 1;
    }
}
