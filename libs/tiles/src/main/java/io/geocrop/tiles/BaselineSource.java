package io.geocrop.tiles;

import java.io.IOException;
import java.util.List;

/**
 * Makes Dynamic World baselines exist on demand. The embedded runtime implements it with a generator that derives
 * each baseline from its simulated landscape, so the demo map is coherent with the simulated imagery; in a
 * cluster there is no implementation: operators upload baselines, and tiles only show what is stored.
 *
 * <p>Baselines are COGs under {@code dw/zim/summer/<year>/} in {@code geocrop-baselines}
 * ({@link io.geocrop.storage.ObjectKeys#baselinePrefix}). Implementations must be thread-safe, generate each
 * object at most once when called concurrently (later callers wait for the running generation), and bound the
 * work one call may start.
 */
public interface BaselineSource {
    /**
     * Makes sure every baseline COG of season {@code year} that the WGS84 box {@code lonLat} touches is stored,
     * generating the missing ones, and returns once they are.
     *
     * @param lonLat west, south, east, north in degrees
     * @throws IllegalArgumentException if the box needs more objects than one call may generate
     * @throws IOException              if generating or storing fails
     */
    Ensured ensure(int year, Bounds lonLat) throws IOException;

    /**
     * What {@link #ensure} did.
     *
     * @param keys      the keys of every baseline object covering the box, in key order
     * @param generated how many of them this call generated (0 when all existed or another call made them)
     */
    record Ensured(List<String> keys, int generated) {
        public Ensured {
            keys = List.copyOf(keys);
        }
    }
}
