package io.geocrop.training;

import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.StacSettings;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded simulated Digital Earth Africa, served on loopback and read through the production STAC client and
 * HTTP range reads, as the embedded extract-features does: what training on simulated imagery reads.
 */
public final class SimulatedImagery implements AutoCloseable {
    /** Acquisition days read at once per tile (the extract-features default). */
    public static final int CONCURRENT_DAYS = 16;

    private final SimulatedDea dea;
    private final SimulatedDeaServer server;
    private final StacImagerySource imagery;

    private SimulatedImagery(SimulatedDea dea, SimulatedDeaServer server, StacImagerySource imagery) {
        this.dea = dea;
        this.server = server;
        this.imagery = imagery;
    }

    /** Starts the simulated catalogue of {@code seed}, caching its COGs under {@code cacheDir}. */
    public static SimulatedImagery start(Path cacheDir, long seed) throws IOException {
        SimulatedDea dea = new SimulatedDea(cacheDir, seed);
        SimulatedDeaServer server = SimulatedDeaServer.start(dea);
        StacImagerySource imagery = new StacImagerySource(StacSettings.defaults().toBuilder()
                .endpoint(server.stacUri())
                .allowedApiHosts(StacSettings.LOOPBACK)
                .allowedAssetHosts(StacSettings.LOOPBACK)
                .build());
        return new SimulatedImagery(dea, server, imagery);
    }

    public SimulatedDea dea() {
        return dea;
    }

    /** The STAC + HTTP source over the simulated catalogue. */
    public StacImagerySource imagery() {
        return imagery;
    }

    /** The production tile feature path over this imagery, computing on {@code parallelism} threads. */
    public FeaturePipeline tileFeatures(int parallelism) {
        return new FeaturePipeline(new SeasonReader(imagery, CONCURRENT_DAYS), parallelism);
    }

    @Override
    public void close() {
        imagery.close();
        server.close();
    }
}
