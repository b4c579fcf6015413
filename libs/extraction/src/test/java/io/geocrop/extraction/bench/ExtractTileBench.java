package io.geocrop.extraction.bench;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.TileFeatures;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The same measurement as {@code geocrop features-bench} (bench/extract_tile.sh): one 512 px job tile end to end
 * (STAC search, range reads of every acquisition, 51 features, the feature GeoTIFF) against the simulated DEA,
 * same AOI, tile, season and simulator seed, after one untimed run that generates the imagery. Runnable from the
 * test classpath without building the application jar (bench/extract_tile_lib.sh), and it also reports the
 * process CPU time per run (less sensitive to other load than wall time) and the SHA-256 of the feature GeoTIFF
 * (the output must not change when the read path is optimised).
 *
 * <p>Arguments: {@code CACHE_DIR [LATENCY_MS=50] [CONCURRENT_DAYS=16] [RUNS=3]}. Prints one JSON line.
 */
public final class ExtractTileBench {
    private ExtractTileBench() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 50;
        int concurrentDays = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Aoi aoi = new Aoi(31.05, -17.83, 400);
        Season season = new Season(2024);
        JobTile tile = ProcessingGrid.plan(aoi).tiles().getFirst();
        int threads = Runtime.getRuntime().availableProcessors();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path out = Files.createTempFile("extract-tile-bench-", ".tif");
        try (SimulatedDeaServer server = SimulatedDeaServer.start(new SimulatedDea(cache, 42),
                SimulatedDeaServer.Options.defaults().withLatency(Duration.ofMillis(latencyMs)))) {
            StacSettings settings = StacSettings.defaults().toBuilder().endpoint(server.stacUri())
                    .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK).build();
            try (StacImagerySource imagery = new StacImagerySource(settings)) {
                TileFeatures features = new TileFeatures(new SeasonReader(imagery, concurrentDays), threads);
                runOnce(imagery, features, tile, season, out); // generates (and caches) the imagery; not timed
                double[] seconds = new double[runs];
                double[] cpuSeconds = new double[runs];
                SimulatedDeaServer.Stats stats = null;
                int acquisitions = 0;
                for (int i = 0; i < runs; i++) {
                    server.resetStats();
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    acquisitions = runOnce(imagery, features, tile, season, out);
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                    cpuSeconds[i] = (os.getProcessCpuTime() - cpu0) / 1e9;
                    stats = server.stats();
                }
                Arrays.sort(seconds);
                Arrays.sort(cpuSeconds);
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
                System.out.printf(java.util.Locale.ROOT,
                        "{\"tile\":\"%s\",\"latency_ms\":%d,\"acquisitions\":%d,\"seconds\":%.3f,\"cpu_seconds\":%.3f,"
                                + "\"requests\":%d,\"bytes\":%d,\"threads\":%d,\"concurrent_days\":%d,"
                                + "\"load_average\":%.2f,\"features_sha256\":\"%s\"}%n",
                        tile.id(), latencyMs, acquisitions, seconds[runs / 2], cpuSeconds[runs / 2], stats.requests(),
                        stats.bodyBytesSent(), threads, concurrentDays, os.getSystemLoadAverage(), sha);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int runOnce(StacImagerySource imagery, TileFeatures features, JobTile tile, Season season, Path out)
            throws Exception {
        List<StacItem> items = imagery.search(SeasonReader.footprint(tile), season);
        return features.computeAndWrite(tile, season, items, "bench", out).acquisitions().size();
    }
}
