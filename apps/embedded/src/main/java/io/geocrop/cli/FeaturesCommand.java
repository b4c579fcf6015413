package io.geocrop.cli;

import io.geocrop.domain.JobRequest;
import io.geocrop.extraction.AoiFeatures;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code geocrop features}: the 51-band feature GeoTIFFs of an AOI's job tiles, computed in this process from the
 * embedded simulated imagery (default, offline) or from Digital Earth Africa.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Writes the 51-band feature GeoTIFF of every 512 px tile of an area for a season.",
                "Imagery: the embedded simulated Digital Earth Africa (offline, default) or DEA itself (--source dea)."})
final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    AoiOptions aoi;

    @Option(names = "--out", required = true, description = "Directory for the <tile>.tif files.")
    Path out;

    @Option(names = "--source", defaultValue = "${GEOCROP_IMAGERY_SOURCE:-simulated}",
            description = "simulated (default) or dea.")
    String source;

    @Option(names = "--stac", defaultValue = "${GEOCROP_IMAGERY_STAC_ENDPOINT:-https://explorer.digitalearth.africa/stac/}",
            description = "STAC API for --source dea (default ${DEFAULT-VALUE}).")
    URI stac;

    @Option(names = "--seed", defaultValue = "${GEOCROP_IMAGERY_SIMULATION_SEED:-42}",
            description = "Seed of the simulated imagery (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--imagery-cache", description = "Where simulated imagery is kept (default: $GEOCROP_HOME/imagery, "
            + "GEOCROP_HOME defaulting to ~/.geocrop).")
    Path imageryCache;

    @Override
    public Integer call() throws Exception {
        JobRequest request = aoi.validate();
        String kind = source.toLowerCase(Locale.ROOT);
        if (!kind.equals("simulated") && !kind.equals("dea")) {
            throw new CliException("--source must be simulated or dea, got " + source, 2);
        }
        SimulatedDeaServer simulated = null;
        try {
            StacSettings settings;
            if (kind.equals("simulated")) {
                Path cache = imageryCache != null ? imageryCache : Path.of(System.getenv().getOrDefault("GEOCROP_HOME",
                        System.getProperty("user.home") + "/.geocrop")).resolve("imagery");
                simulated = SimulatedDeaServer.start(new SimulatedDea(cache, seed));
                settings = StacSettings.defaults().toBuilder().endpoint(simulated.stacUri())
                        .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK).build();
            } else {
                settings = StacSettings.defaults().toBuilder().endpoint(stac)
                        .allowedApiHosts(java.util.Set.of(stac.getHost())).build();
            }
            long started = System.nanoTime();
            try (StacImagerySource imagery = new StacImagerySource(settings)) {
                int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
                AoiFeatures aoi = new AoiFeatures(imagery, new FeaturePipeline(new SeasonReader(imagery, 16), threads));
                List<AoiFeatures.WrittenTile> tiles = aoi.run(request.aoi(), request.season(), out, t ->
                        System.out.printf("%s: %d acquisitions%s%n", t.file(), t.acquisitions(),
                                t.skipped().isEmpty() ? "" : ", " + t.skipped().size() + " item(s) skipped: " + t.skipped()));
                System.out.printf("Wrote %d feature tile(s) to %s in %.1f s from %s%n", tiles.size(), out,
                        (System.nanoTime() - started) / 1e9, imagery.describe());
            }
            return 0;
        } catch (IllegalStateException | StacException e) {
            throw new CliException(e.getMessage(), 3);
        } finally {
            if (simulated != null) {
                simulated.close();
            }
        }
    }
}
