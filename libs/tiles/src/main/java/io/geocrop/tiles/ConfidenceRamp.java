package io.geocrop.tiles;

/**
 * The colour ramp of the confidence layer (band 2 of a job COG, 0..100 percent): matplotlib's viridis, sampled
 * at five stops (0 dark purple {@code #440154}, 25 {@code #3b528b}, 50 {@code #21918c}, 75 {@code #5ec962},
 * 100 yellow {@code #fde725}) and interpolated linearly in RGB to one colour per percent. Viridis is perceptually
 * uniform and reads in greyscale and for the common colour-vision deficiencies, so "brighter = surer" holds for
 * everyone.
 */
public final class ConfidenceRamp {
    /** Highest confidence value; the ramp has {@code MAX + 1} colours. */
    public static final int MAX = 100;
    private static final int[] STOPS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

    private ConfidenceRamp() {}

    /** The colour of a confidence (clamped to 0..100) as 0xRRGGBB. */
    public static int rgb(int confidence) {
        int c = Math.clamp(confidence, 0, MAX);
        double position = c * (STOPS.length - 1) / (double) MAX;
        int i = Math.min((int) position, STOPS.length - 2);
        double t = position - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        return mix(a >> 16 & 0xff, b >> 16 & 0xff, t) << 16 | mix(a >> 8 & 0xff, b >> 8 & 0xff, t) << 8 | mix(a & 0xff, b & 0xff, t);
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }
}
