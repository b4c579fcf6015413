package io.geocrop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code geocrop features-bench}: one 512 px job tile end to end (STAC search, range reads of every acquisition,
 * 51 features, the feature GeoTIFF) against the simulated DEA with a simulated round-trip time, after one
 * untimed run that generates the imagery. Prints JSON; used by bench/extract_tile.sh.
 */
@Command(name = "features-bench", hidden = true, mixinStandardHelpOptions = true,
        description = "Times one tile of feature extraction against the simulated DEA (used by bench/extract_tile.sh).")
final class FeaturesBenchCommand implements Callable<Integer> {
    @Option(names = "--latency-ms", defaultValue = "50", description = "Simulated round trip per request.")
    long latencyMs;

    @Option(names = "--concurrent-days", defaultValue = "16", description = "Acquisition days read at once.")
    int concurrentDays;

    @Option(names = "--imagery-cache", required = true, description = "Cache of the simulated imagery.")
    Path cache;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs (the median is reported).")
    int runs;

    @Override
    public Integer call() throws Exception {
        Aoi aoi = new Aoi(31.05, -17.83, 400);
        Season season = new Season(2024);
        JobTile tile = ProcessingGrid.plan(aoi).tiles().getFirst();
        int threads = Runtime.getRuntime().availableProcessors();
        Path out = Files.createTempFile("features-bench-", ".tif");
        try (SimulatedDeaServer server = SimulatedDeaServer.start(new SimulatedDea(cache, 42),
                SimulatedDeaServer.Options.defaults().withLatency(Duration.ofMillis(latencyMs)))) {
            StacSettings settings = StacSettings.defaults().toBuilder().endpoint(server.stacUri())
                    .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK).build();
            try (StacImagerySource imagery = new StacImagerySource(settings)) {
                FeaturePipeline features = new FeaturePipeline(new SeasonReader(imagery, concurrentDays), threads);
                runOnce(imagery, features, tile, season, out); // generates (and caches) the imagery; not timed
                double[] seconds = new double[runs];
                SimulatedDeaServer.Stats stats = null;
                int acquisitions = 0;
                for (int i = 0; i < runs; i++) {
                    server.resetStats();
                    long t0 = System.nanoTime();
                    acquisitions = runOnce(imagery, features, tile, season, out);
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                    stats = server.stats();
                }
                java.util.Arrays.sort(seconds);
                ObjectNode json = ApiClient.JSON.createObjectNode();
                json.put("tile", tile.id()).put("latency_ms", latencyMs).put("acquisitions", acquisitions)
                        .put("seconds", seconds[runs / 2]).put("requests", stats.requests())
                        .put("search_requests", stats.searchRequests()).put("asset_requests", stats.assetRequests())
                        .put("bytes", stats.bodyBytesSent()).put("threads", threads)
                        .put("concurrent_days", concurrentDays);
                System.out.println(json);
            }
        } finally {
            Files.deleteIfExists(out);
        }
        return 0;
    }

    private static int runOnce(StacImagerySource imagery, FeaturePipeline features, JobTile tile, Season season, Path out)
            throws Exception {
        List<StacItem> items = imagery.search(SeasonReader.footprint(tile), season);
        return features.computeAndWrite(tile, season, items, "bench", out).acquisitions().size();
    }
}
