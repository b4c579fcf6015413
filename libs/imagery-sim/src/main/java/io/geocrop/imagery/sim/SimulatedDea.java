package io.geocrop.imagery.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A local Digital Earth Africa {@code s2_l2a} catalogue: STAC items for every simulated overpass of a scene, and
 * the items' COG assets, generated on first request into a cache directory.
 *
 * <p>Scenes come from the search bbox ({@link Scene#covering}): one scene per search, so a search returns one item
 * per overpass, whose footprint covers the bbox plus a margin. The catalogue keeps no registry of scenes: an item id
 * names its scene and date, so any item or asset can be served later (or by another process) from the id alone.
 *
 * <p>Assets are written with {@link CogWriter} (512 px tiles, DEFLATE with the horizontal predictor, overviews;
 * the writer renames a finished temporary file over the target, so a half-written COG is never visible);
 * concurrent requests for one asset generate it once. The cache path holds the generator version and the seed, so
 * a cache is never reused for a different simulation.
 */
public final class SimulatedDea {
    /** DEA's collection id for Sentinel-2 L2A. */
    public static final String COLLECTION = "s2_l2a";
    /** Bumped whenever a change to the generator changes its output, to keep old caches out. */
    public static final String GENERATOR_VERSION = "2";
    static final String COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDea.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Cloud statistics of an item come from at most this many samples per side of the scene. */
    private static final int STAT_SAMPLES_PER_SIDE = 100;

    private final Path cacheDir;
    private final long seed;
    private final Map<UtmZone, SimulatedLandscape> landscapes = new ConcurrentHashMap<>();
    private final Map<String, SimulatedSeason> seasons = new ConcurrentHashMap<>();
    private final Map<String, SceneStats> stats = new ConcurrentHashMap<>();
    private final Map<Path, CompletableFuture<Path>> generation = new ConcurrentHashMap<>();
    private final AtomicLong generatedFiles = new AtomicLong();

    /**
     * A catalogue simulating the world of {@code seed}, caching its COGs under {@code cacheRoot} (created if
     * missing).
     */
    public SimulatedDea(Path cacheRoot, long seed) {
        if (cacheRoot == null) {
            throw new IllegalArgumentException("cache directory must not be null");
        }
        this.seed = seed;
        this.cacheDir = cacheRoot.toAbsolutePath().resolve("v" + GENERATOR_VERSION).resolve(String.format("seed-%016x", seed));
    }

    public long seed() {
        return seed;
    }

    /** Number of COG files this instance has generated (cache hits excluded). */
    public long generatedFiles() {
        return generatedFiles.get();
    }

    /** The landscape of a zone. */
    public SimulatedLandscape landscape(UtmZone zone) {
        return landscapes.computeIfAbsent(zone, z -> new SimulatedLandscape(seed, z));
    }

    /** The simulated season holding {@code date} in a zone. */
    public SimulatedSeason season(UtmZone zone, LocalDate date) {
        var season = SimulatedSeason.seasonOf(date);
        return seasons.computeIfAbsent(zone.epsg() + "/" + season.year(), k -> new SimulatedSeason(landscape(zone), season));
    }

    /** The scene a search with this WGS84 bbox {@code [minLon, minLat, maxLon, maxLat]} is answered with. */
    public Scene sceneFor(double[] bbox) {
        if (bbox == null || bbox.length != 4) {
            throw new IllegalArgumentException("bbox must have 4 numbers [minLon, minLat, maxLon, maxLat]");
        }
        return Scene.covering(bbox[0], bbox[1], bbox[2], bbox[3]);
    }

    /** The overpass time: 10:30 local mean solar time at the scene centre, as Sentinel-2's descending node. */
    public static Instant acquisitionTime(Scene scene, LocalDate date) {
        double lon = scene.centre()[0];
        long millis = Math.round((10.5 - lon / 15) * 3_600_000);
        return date.atStartOfDay().toInstant(ZoneOffset.UTC).plusMillis(millis);
    }

    /** The ids of every overpass of the scene for {@code bbox} whose time lies in [start, end], oldest first. */
    public List<SimulatedItemId> search(double[] bbox, Instant start, Instant end) {
        Scene scene = sceneFor(bbox);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("datetime interval start " + start + " is after its end " + end);
        }
        LocalDate from = start.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
        LocalDate to = end.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1);
        List<SimulatedItemId> out = new ArrayList<>();
        for (Acquisition a : Acquisition.between(seed, scene.zone(), from, to)) {
            Instant t = acquisitionTime(scene, a.date());
            if (!t.isBefore(start) && !t.isAfter(end)) {
                out.add(new SimulatedItemId(a.platformCode(), scene, a.date()));
            }
        }
        return out;
    }

    /**
     * The STAC items of {@link #search}, with asset hrefs under {@code baseUri}; computing an item's cloud
     * statistics is the costly part, so they are computed in parallel.
     */
    public List<ObjectNode> items(double[] bbox, Instant start, Instant end, URI baseUri) {
        List<SimulatedItemId> ids = search(bbox, start, end);
        ids.parallelStream().forEach(this::stats);
        return ids.stream().map(id -> item(id, baseUri)).toList();
    }

    /** Checks that an id names a real simulated overpass; throws {@link UnknownItemException} otherwise. */
    public SimulatedItemId resolve(String itemId) {
        SimulatedItemId id;
        try {
            id = SimulatedItemId.parse(itemId);
        } catch (IllegalArgumentException e) {
            throw new UnknownItemException("no item " + itemId + " in " + COLLECTION + ": " + e.getMessage(), e);
        }
        Acquisition a = Acquisition.on(seed, id.scene().zone(), id.date()).orElse(null);
        if (a == null || !a.platformCode().equals(id.platformCode())) {
            throw new UnknownItemException("no item " + itemId + " in " + COLLECTION + ": no " + id.platformCode()
                    + " overpass of zone " + id.scene().zone().epsg() + " on " + id.date());
        }
        return id;
    }

    /** Cloud and land-cover percentages of an item, as Sen2Cor reports them (from a sample of SCL). */
    public SceneStats stats(SimulatedItemId id) {
        return stats.computeIfAbsent(id.toString(), k -> computeStats(id));
    }

    /** The STAC item of an id, with asset hrefs under {@code baseUri} (e.g. {@code http://127.0.0.1:8123/}). */
    public ObjectNode item(String itemId, URI baseUri) {
        return item(resolve(itemId), baseUri);
    }

    /** The STAC item of a resolved id. */
    public ObjectNode item(SimulatedItemId id, URI baseUri) {
        return StacDocuments.item(this, id, stats(id), baseUri);
    }

    /** The {@code s2_l2a} collection document. */
    public ObjectNode collection(URI baseUri) {
        return StacDocuments.collection(baseUri);
    }

    /**
     * The COG of one asset of an item, generated on first request.
     *
     * @throws UnknownItemException if the item does not exist
     * @throws IOException          if the file cannot be written
     */
    public Path asset(String itemId, S2Band band) throws IOException {
        SimulatedItemId id = resolve(itemId);
        Path file = cacheDir.resolve(id.scene().id()).resolve(id.date().toString()).resolve(band.name() + ".tif");
        return generateOnce(file, () -> writeBand(id, band, file));
    }

    /** The ground-truth class COG of a scene (10 m, uint8, CropClass colour table), generated on first request. */
    public Path truth(String sceneId) throws IOException {
        Scene scene;
        try {
            scene = Scene.parse(sceneId);
        } catch (IllegalArgumentException e) {
            throw new UnknownItemException("no truth for scene " + sceneId + ": " + e.getMessage(), e);
        }
        Path file = cacheDir.resolve(scene.id()).resolve("truth.tif");
        return generateOnce(file, () -> {
            SimulatedLandscape land = landscape(scene.zone());
            int w = scene.width(10), h = scene.height(10);
            Raster r = land.truth(scene.minX(), scene.maxY(), w, h);
            CogWriter.write(file, land.truthMetadata(scene.minX(), scene.maxY(), w, h), r, cogOptions(w, h).build());
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    private interface Generator {
        void write() throws IOException;
    }

    private Path generateOnce(Path file, Generator generator) throws IOException {
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = generation.putIfAbsent(file, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new IOException("generating " + file + " failed: " + io.getMessage(), io);
                }
                throw e;
            }
        }
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(file.getParent());
                long t0 = System.nanoTime();
                generator.write();
                generatedFiles.incrementAndGet();
                LOG.debug("generated {} in {} ms", file, (System.nanoTime() - t0) / 1_000_000);
            }
            mine.complete(file);
            return file;
        } catch (IOException | RuntimeException | Error e) {
            generation.remove(file, mine); // a later request may try again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private void writeBand(SimulatedItemId id, S2Band band, Path file) throws IOException {
        Scene scene = id.scene();
        SimulatedSeason season = season(scene.zone(), id.date());
        int res = band.resolutionM();
        int w = scene.width(res), h = scene.height(res);
        long col0 = (long) (scene.minX() / SimulatedLandscape.PIXEL_M);
        long topRow = (long) (scene.maxY() / SimulatedLandscape.PIXEL_M) - 1;
        LocalDate date = id.date();
        Raster raster = Raster.allocate(w, h, 1, band.isReflectance() ? SampleType.UINT16 : SampleType.UINT8);
        IntStream.range(0, h).parallel().forEach(y -> {
            if (band == S2Band.SCL) {
                sclRow20(season, date, col0, topRow - 2L * y, w, raster.bytes(0), y * w);
            } else if (res == 10) {
                float[] row = new float[w];
                season.reflectanceRow(band, date, col0, topRow - y, row);
                short[] out = raster.shorts(0);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = toDn(row[x]);
                }
            } else {
                // A 20 m pixel is the mean of the 2 x 2 10 m pixels it covers.
                float[] upper = new float[2 * w], lower = new float[2 * w];
                season.reflectanceRow(band, date, col0, topRow - 2L * y, upper);
                season.reflectanceRow(band, date, col0, topRow - 2L * y - 1, lower);
                short[] out = raster.shorts(0);
                for (int x = 0; x < w; x++) {
                    double mean = ((double) upper[2 * x] + upper[2 * x + 1] + lower[2 * x] + lower[2 * x + 1]) / 4;
                    out[y * w + x] = toDn(mean);
                }
            }
        });
        Acquisition a = Acquisition.on(seed, scene.zone(), date).orElseThrow();
        Map<String, String> tags = Map.of(
                "GEOCROP_SIMULATION_SEED", Long.toString(seed),
                "GEOCROP_GENERATOR_VERSION", GENERATOR_VERSION,
                "ITEM_ID", id.toString(),
                "PLATFORM", a.platform(),
                "DATETIME", acquisitionTime(scene, date).toString());
        RasterMetadata meta = band.isReflectance()
                ? new RasterMetadata(w, h, 1, SampleType.UINT16, scene.transform(res), scene.zone().epsg(), 0.0,
                        List.of(band.name()), List.of(1e-4), List.of(0.0), tags, null)
                : new RasterMetadata(w, h, 1, SampleType.UINT8, scene.transform(res), scene.zone().epsg(), 0.0,
                        List.of(band.name()), List.of(), List.of(), tags, null);
        CogWriteOptions.Builder options = cogOptions(w, h);
        if (!band.isReflectance()) {
            options.overviewResampling(Resampling.MODE); // classes are never averaged
        }
        try {
            CogWriter.write(file, meta, raster, options.build());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * 512 px tiles, DEFLATE with the predictor, and GDAL's overview levels, but always at least one: a 10 km
     * scene's 20 m bands fit in one tile, where GDAL would write none, and readers of DEA's assets expect some.
     */
    private static CogWriteOptions.Builder cogOptions(int width, int height) {
        CogWriteOptions.Builder b = CogWriteOptions.builder().tileSize(512);
        int levels = b.build().overviewSizes(width, height).length;
        return b.overviewCount(Math.max(1, levels));
    }

    /** DN = reflectance x 10000, clipped to 1..10000 (0 is nodata). */
    static short toDn(double reflectance) {
        long dn = Math.round(reflectance * 10_000);
        return (short) Math.min(Math.max(dn, 1), 10_000);
    }

    /** SCL priority for ties in the 2 x 2 mode: clouds first, then cirrus, shadow, water, vegetation, bare. */
    private static final int[] SCL_PRIORITY = new int[16];

    static {
        int[] order = {9, 8, 10, 3, 6, 4, 5, 2, 7, 11, 1};
        for (int k = 0; k < order.length; k++) {
            SCL_PRIORITY[order[k]] = order.length - k;
        }
    }

    /** One 20 m SCL row: the mode of each 2 x 2 block of 10 m SCL, ties to the more cautious (cloudier) class. */
    private static void sclRow20(SimulatedSeason season, LocalDate date, long col0, long upperRow, int w,
                                 byte[] out, int at) {
        byte[] upper = new byte[2 * w], lower = new byte[2 * w];
        season.sceneClassificationRow(date, col0, upperRow, upper);
        season.sceneClassificationRow(date, col0, upperRow - 1, lower);
        for (int x = 0; x < w; x++) {
            out[at + x] = (byte) mode4(upper[2 * x], upper[2 * x + 1], lower[2 * x], lower[2 * x + 1]);
        }
    }

    static int mode4(int a, int b, int c, int d) {
        int[] v = {a, b, c, d};
        int best = v[0], bestCount = 0;
        for (int i = 0; i < 4; i++) {
            int count = 0;
            for (int j = 0; j < 4; j++) {
                if (v[j] == v[i]) {
                    count++;
                }
            }
            if (count > bestCount || count == bestCount && SCL_PRIORITY[v[i]] > SCL_PRIORITY[best]) {
                best = v[i];
                bestCount = count;
            }
        }
        return best;
    }

    private SceneStats computeStats(SimulatedItemId id) {
        Scene scene = id.scene();
        SimulatedSeason season = season(scene.zone(), id.date());
        int w = scene.width(10), h = scene.height(10);
        int step = Math.max(1, (Math.max(w, h) + STAT_SAMPLES_PER_SIDE - 1) / STAT_SAMPLES_PER_SIDE);
        long col0 = (long) (scene.minX() / SimulatedLandscape.PIXEL_M);
        long row0 = (long) (scene.minY() / SimulatedLandscape.PIXEL_M);
        long[] counts = new long[16];
        byte[] one = new byte[1];
        long total = 0;
        for (int y = step / 2; y < h; y += step) {
            for (int x = step / 2; x < w; x += step) {
                season.sceneClassificationRow(id.date(), col0 + x, row0 + y, one);
                counts[one[0]]++;
                total++;
            }
        }
        return SceneStats.of(counts, total);
    }

    /**
     * Percentages of an item's pixels per SCL class, named as Sen2Cor's metadata (and STAC's {@code s2:}
     * properties) name them. {@code cloudCover} = high + medium probability clouds + thin cirrus, as
     * {@code eo:cloud_cover} is defined for Sentinel-2.
     */
    public record SceneStats(double cloudCover, double highProbaClouds, double mediumProbaClouds, double thinCirrus,
                             double cloudShadow, double vegetation, double notVegetated, double water) {
        static SceneStats of(long[] counts, long total) {
            double f = 100.0 / total;
            double high = round6(counts[9] * f), medium = round6(counts[8] * f), cirrus = round6(counts[10] * f);
            return new SceneStats(round6((counts[8] + counts[9] + counts[10]) * f), high, medium, cirrus,
                    round6(counts[3] * f), round6(counts[4] * f), round6(counts[5] * f), round6(counts[6] * f));
        }

        private static double round6(double v) {
            return Math.round(v * 1e6) / 1e6;
        }
    }

    static ArrayNode array(double... values) {
        ArrayNode a = JSON.arrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
}
