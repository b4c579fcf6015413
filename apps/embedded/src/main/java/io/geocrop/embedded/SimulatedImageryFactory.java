package io.geocrop.embedded;

import io.geocrop.extract.ImagerySettings;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.imagery.sim.SimulatedBaselines;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.sim.SimulatedDynamicWorld;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.render.TileRenderSettings;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.MosaicIndex;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's simulated Digital Earth Africa ({@code geocrop.imagery.source=simulated}, the laptop
 * default set by {@link EmbeddedApplication}): a loopback STAC server that extract-features reads through the very
 * {@link StacImagerySource} it uses for the real catalogue, and Dynamic World baselines generated from the same
 * landscape for tile-render. The functions themselves know only the STAC catalogue; nothing here ships in them.
 * Every bean is created on first use, so the server starts only when a job needs imagery.
 */
@Factory
@Requires(property = "geocrop.imagery.source", value = "simulated")
final class SimulatedImageryFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedImageryFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    SimulatedDeaServer simulatedDea(SimulatedImagerySettings settings, GeoCropSettings geocrop) {
        Path dir = settings.cacheDir(geocrop.resolvedHome());
        Path portFile = geocrop.resolvedHome().resolve(PORT_FILE);
        try {
            SimulatedDeaServer server = startOnRememberedPort(new SimulatedDea(dir, settings.simulationSeed()),
                    settings.simulationPort(), portFile);
            LOG.info("Simulated Digital Earth Africa (seed {}) at {}, cache {}", settings.simulationSeed(),
                    server.stacUri(), dir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulated Digital Earth Africa in " + dir, e);
        }
    }

    /** Where the home remembers the simulated DEA's port. */
    static final String PORT_FILE = "simulated-dea.port";

    /**
     * Starts the server on {@code configured} when set; otherwise on the port this home used last time, so the asset
     * hrefs a job's imagery manifest recorded (the planner's one search) still answer after a restart and a resumed
     * job's tiles can read them. A remembered port that is taken falls back to a free one (then the resumed tiles of an
     * earlier run fail with the unreachable href as their reason, and the reconciler's bounded attempts end the job).
     */
    static SimulatedDeaServer startOnRememberedPort(SimulatedDea dea, int configured, Path portFile) throws IOException {
        SimulatedDeaServer.Options options = SimulatedDeaServer.Options.defaults();
        InetAddress loopback = options.address().getAddress();
        if (configured > 0) {
            return SimulatedDeaServer.start(dea, options.withAddress(new InetSocketAddress(loopback, configured)));
        }
        int remembered = 0;
        try {
            remembered = Integer.parseInt(Files.readString(portFile).strip());
        } catch (IOException | NumberFormatException e) {
            // First start of this home (or an unreadable file): any free port, remembered below.
        }
        SimulatedDeaServer server = null;
        if (remembered > 0 && remembered < 65536) {
            try {
                server = SimulatedDeaServer.start(dea, options.withAddress(new InetSocketAddress(loopback, remembered)));
            } catch (BindException e) {
                LOG.warn("Simulated DEA: port {} of the last run is taken; using a free one (jobs planned before this "
                        + "start cannot read their imagery)", remembered);
            }
        }
        if (server == null) {
            server = SimulatedDeaServer.start(dea, options);
        }
        try {
            Files.createDirectories(portFile.getParent());
            Files.writeString(portFile, Integer.toString(server.stacUri().getPort()));
        } catch (IOException e) {
            LOG.warn("Simulated DEA: cannot remember port in {}: {}", portFile, e.getMessage());
        }
        return server;
    }

    /** extract-features' imagery: the STAC source pointed at the simulated DEA, loopback allowed explicitly. */
    @Singleton
    @Bean(preDestroy = "close")
    StacImagerySource simulatedImagery(SimulatedDeaServer server, ImagerySettings settings) {
        return new StacImagerySource(StacSettings.defaults().toBuilder()
                .endpoint(server.stacUri())
                .collection(settings.collection())
                .allowedApiHosts(StacSettings.LOOPBACK)
                .allowedAssetHosts(StacSettings.LOOPBACK)
                .build());
    }

    /**
     * tile-render's baselines generated on demand from the simulated landscape of the simulated imagery (same
     * seed), so the map's baseline agrees with the imagery.
     */
    @Singleton
    SimulatedBaselineSource simulatedBaselines(ObjectStore store, MosaicIndex index, TileRenderSettings settings,
                                               GeoCropSettings geocrop, SimulatedImagerySettings imagery) {
        Path work = geocrop.resolvedHome().resolve("work").resolve("baselines");
        return new SimulatedBaselineSource(new SimulatedBaselines(new SimulatedDynamicWorld(imagery.simulationSeed()),
                store, work, settings.baselineMaxCells(), settings.baselineParallelism(),
                key -> index.invalidate(Bucket.BASELINES, key.substring(0, key.lastIndexOf('/') + 1))));
    }
}
