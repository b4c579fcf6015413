package io.geocrop.embedded;

import java.nio.file.Path;

/** Simulated imagery shared by this module's tests: generated once per build, then read from the cache. */
public final class TestImagery {
    private TestImagery() {}

    /** The cache of the simulated DEA (seed {@link #SEED}) under this module's target folder. */
    public static final Path CACHE = Path.of("target", "sim-cache").toAbsolutePath();
    /** The seed every test uses, so they share one cache. */
    public static final long SEED = 42;
    /** A small AOI near Harare (about one job tile), for tests that run the pipeline. */
    public static final double LON = 31.05, LAT = -17.83, RADIUS_M = 400;
    /** A finished season. */
    public static final int YEAR = 2024;
}
