package io.geocrop.imagery.sim;

/**
 * Counter-based pseudo-randomness: every random quantity of the simulation is a hash of the seed and the
 * integer coordinates it belongs to (cell, pixel, date, band). Nothing depends on call order, so any window,
 * tile or band can be generated alone and gives the same values as a larger run.
 */
final class Hashing {
    private Hashing() {}

    /** SplitMix64's finaliser: a bijective 64-bit mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A hash of the seed, a purpose tag ({@code salt}) and two coordinates. */
    static long hash(long seed, long salt, long a, long b) {
        long h = mix(seed + salt * 0x9E3779B97F4A7C15L);
        h = mix(h ^ (a * 0xC2B2AE3D27D4EB4FL));
        return mix(h ^ (b * 0x165667B19E3779F9L));
    }

    /** A hash of the seed, a purpose tag and three coordinates. */
    static long hash(long seed, long salt, long a, long b, long c) {
        return mix(hash(seed, salt, a, b) ^ (c * 0xD6E8FEB86659FD93L));
    }

    /** Uniform in [0, 1) from the top 53 bits. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Approximately standard normal: the Irwin-Hall sum of the hash's four 16-bit quarters, rescaled. Cheap, exact
     * in integer arithmetic (so bit-identical everywhere) and bounded to about +-3.5 sigma, which suits noise.
     */
    static double gaussian(long h) {
        long sum = (h & 0xFFFF) + ((h >>> 16) & 0xFFFF) + ((h >>> 32) & 0xFFFF) + (h >>> 48);
        // mean 2 * 65535, variance 4 * 65536^2 / 12
        return (sum - 2 * 65535.5) / (65536.0 * 0.5773502691896258);
    }
}
