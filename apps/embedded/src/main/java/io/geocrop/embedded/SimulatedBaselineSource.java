package io.geocrop.embedded;

import io.geocrop.imagery.sim.SimulatedBaselines;
import io.geocrop.tiles.BaselineSource;
import io.geocrop.tiles.Bounds;
import java.io.IOException;

/**
 * The embedded runtime's {@link BaselineSource}: Dynamic World baselines generated from the simulated landscape
 * ({@link SimulatedBaselines}), wired only when {@code geocrop.imagery.source=simulated}. tile-render itself never
 * generates baselines: in a cluster they are what operators stored.
 */
public final class SimulatedBaselineSource implements BaselineSource {
    private final SimulatedBaselines baselines;

    SimulatedBaselineSource(SimulatedBaselines baselines) {
        this.baselines = baselines;
    }

    @Override
    public Ensured ensure(int year, Bounds lonLat) throws IOException {
        SimulatedBaselines.GeneratedBaselines r = baselines.ensure(year, lonLat.minX(), lonLat.minY(), lonLat.maxX(), lonLat.maxY());
        return new Ensured(r.keys(), r.generated());
    }

    /** The generator behind it (its counters, for metrics and tests). */
    public SimulatedBaselines baselines() {
        return baselines;
    }
}
