package io.geocrop.embedded;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.imagery.sim.Scene;
import io.geocrop.imagery.sim.SimulatedDynamicWorld;
import io.geocrop.imagery.sim.SimulatedLandscape;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.BaselineSource;
import io.geocrop.tiles.Bounds;
import io.geocrop.tiles.TileCoord;
import io.geocrop.tiles.TileMath;
import io.geocrop.raster.proj.CrsTransforms;
import io.micronaut.context.ApplicationContext;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.UUID;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The embedded runtime's baselines (simulated imagery, its default): tiles generate the cells they cover once,
 * however many ask; pixels are the simulated landscape's classes in Dynamic World colours. The generator is wired by
 * apps/embedded ({@link SimulatedImageryFactory}); tile-render itself only serves what is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedBaselineTilesTest {
    private static final long SEED = 42;
    private static final UtmZone ZONE = new UtmZone(36, true);

    private ApplicationContext app;
    private ObjectStore store;
    private BaselineSource source;
    private HttpTestClient http;
    private SimulatedLandscape land;

    @BeforeAll
    void setUp() throws Exception {
        // No geocrop.imagery.source: the embedded default (simulated) is what wires the generator.
        app = EmbeddedApplication.start(Map.of("geocrop.home", Files.createTempDirectory("geocrop-baselines").toString(),
                "datasources.default.url", "jdbc:h2:mem:b-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "micronaut.server.port", -1, "geocrop.imagery.simulation-seed", SEED));
        store = app.getBean(ObjectStore.class);
        source = app.getBean(BaselineSource.class);
        http = new HttpTestClient(java.net.URI.create(EmbeddedApplication.baseUrl(app)));
        land = new SimulatedLandscape(SEED, ZONE);
    }

    @AfterAll
    void tearDown() {
        if (app != null) {
            app.close();
        }
    }

    private long generatedCells() {
        return assertInstanceOf(SimulatedBaselineSource.class, source).baselines().generatedCells();
    }

    private static TileCoord tileAt(int z, double lon, double lat) {
        double span = TileMath.tileSpan(z);
        return new TileCoord(z, (int) ((TileMath.mercatorX(lon) + TileMath.ORIGIN_SHIFT) / span),
                (int) ((TileMath.ORIGIN_SHIFT - TileMath.mercatorY(lat)) / span));
    }

    private static String path(String layer, TileCoord t) {
        return "/tiles/" + layer + "/" + t.z() + "/" + t.x() + "/" + t.y() + ".png";
    }

    @Test
    void concurrentTileRequestsGenerateEachCellOnce() throws Exception {
        double[] ll = ZONE.inverse(345_000, 8_005_000); // a cell corner: the z12 tile touches several cells
        TileCoord tile = tileAt(12, ll[0], ll[1]);
        Bounds b = TileMath.lonLatBounds(tile);
        List<Scene> cells = SimulatedDynamicWorld.cellsCovering(b.minX(), b.minY(), b.maxX(), b.maxY());
        assertTrue(cells.size() >= 2, cells.toString());
        long before = generatedCells();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<HttpTestClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            replies.add(pool.submit(() -> {
                start.await();
                return http.get(path("dw-2024", tile));
            }));
        }
        start.countDown();
        Set<String> eTags = new HashSet<>();
        for (Future<HttpTestClient.Reply> r : replies) {
            HttpTestClient.Reply reply = r.get();
            reply.palettePng();
            assertEquals("public, max-age=300", reply.header("Cache-Control"));
            eTags.add(reply.header("ETag"));
        }
        pool.shutdown();
        assertEquals(cells.size(), generatedCells() - before, "each cell of the tile generated exactly once");
        assertEquals(1, eTags.size(), "every request saw every cell: " + eTags);
        for (Scene cell : cells) {
            assertTrue(store.head(Bucket.BASELINES, SimulatedDynamicWorld.key(2024, cell)).isPresent(), cell.id());
        }
        assertEquals(200, http.get(path("dw-2024", tile)).status());
        assertEquals(cells.size(), generatedCells() - before, "nothing more on the next request");
    }

    @Test
    void aTileAcrossTwoCellsShowsTheLandscapeInDynamicWorldColours() throws Exception {
        // 290 000 E is the edge between cells 28 and 29; the z14 tile there spans both.
        double[] ll = ZONE.inverse(290_000, 8_035_000);
        TileCoord tile = tileAt(14, ll[0], ll[1]);
        Bounds tb = TileMath.mercatorBounds(tile);
        BufferedImage img = http.get(path("dw-2024", tile)).palettePng();
        CrsTransforms.Transform toUtm = CrsTransforms.between(CrsTransforms.WEB_MERCATOR, ZONE.epsg());
        int checked = 0;
        Set<Long> cellsSeen = new HashSet<>();
        Set<Integer> classes = new HashSet<>();
        for (int py = 1; py < 256; py += 2) {
            for (int px = 1; px < 256; px += 2) {
                double[] en = toUtm.apply(tb.minX() + (px + 0.5) * tb.width() / 256, tb.maxY() - (py + 0.5) * tb.height() / 256);
                double col = en[0] / 10, row = en[1] / 10;
                double fc = col - Math.floor(col), fr = row - Math.floor(row);
                if (fc < 0.15 || fc > 0.85 || fr < 0.15 || fr > 0.85) {
                    continue; // within 1.5 m of a pixel edge: either neighbour is right
                }
                double e = Math.floor(col) * 10 + 5, n = Math.floor(row) * 10 + 5;
                DynamicWorldClass expected = SimulatedDynamicWorld.classOf(land.classAt(e, n));
                assertEquals(0xff000000 | expected.rgb(), img.getRGB(px, py), px + "," + py);
                cellsSeen.add((long) Math.floor(e / 10_000));
                classes.add(expected.code());
                checked++;
            }
        }
        assertTrue(checked > 5000, "checked " + checked);
        assertEquals(2, cellsSeen.size(), "the tile spans two cells");
        assertTrue(classes.size() >= 3, "several classes: " + classes);
    }

    @Test
    void lowZoomsDrawOnlyWhatExistsAndOutsideTheCoverageIs404() throws Exception {
        long before = generatedCells();
        // Western Zimbabwe at z8: nothing generated there, nothing generated by this request.
        TileCoord low = tileAt(8, 26.5, -19.5);
        HttpTestClient.Reply reply = http.get(path("dw-2021", low));
        BufferedImage img = reply.palettePng();
        assertEquals(0, img.getRGB(128, 128) >>> 24);
        assertEquals("public, no-cache", reply.header("Cache-Control"), "may gain cells later");
        assertEquals(before, generatedCells());

        assertEquals(404, http.get(path("dw-2021", tileAt(12, 10.0, 45.0))).status(), "outside the coverage");
        assertEquals(400, http.get(path("dw-1999", tileAt(12, 31.0, -17.8))).status());
        assertEquals(400, http.get(path("dw-abc", tileAt(12, 31.0, -17.8))).status());
        assertEquals(before, generatedCells());

        JsonNode tj = http.get("/tiles/dw-2021/tilejson.json").json();
        JsonNode b = tj.get("bounds");
        assertEquals(25.2, b.get(0).asDouble(), 1e-9, "the coverage: " + b);
        assertEquals(33.1, b.get(2).asDouble(), 1e-9);
        assertEquals(14, tj.get("maxzoom").asInt());
        assertTrue(tj.get("minzoom").asInt() <= 5);
    }

    @Test
    void postingAnAoiGeneratesItsCellsOnceThenTilesAreReadyAndMeasured() throws Exception {
        double[] c = ZONE.inverse(405_000, 7_915_000);
        String uri = "/baselines/dw/2022?lon=" + c[0] + "&lat=" + c[1] + "&radius_m=3000";
        long t0 = System.nanoTime();
        HttpTestClient.Reply first = http.send("POST", uri, null, null, Map.of());
        long postNanos = System.nanoTime() - t0;
        assertEquals(200, first.status(), first.body());
        JsonNode j = first.json();
        assertTrue(j.get("generates").asBoolean());
        int generated = j.get("generated").asInt();
        assertTrue(generated >= 1, first.body());
        assertEquals(generated, j.get("objects").size(), "a fresh area: every overlapping object is new");
        assertTrue(j.get("objects").get(0).asText().startsWith(ObjectKeys.baselinePrefix(2022)));
        assertEquals(0, http.send("POST", uri, null, null, Map.of()).json().get("generated").asInt());
        System.out.printf("POST /baselines: %d cells in %.0f ms (%.0f ms per cell)%n", generated, postNanos / 1e6,
                postNanos / 1e6 / generated);

        // Tiles of the AOI: time those that generated nothing (each tile distinct, so none comes from the cache).
        TileCoord centre = tileAt(14, c[0], c[1]);
        int n = 0;
        long renderNanos = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                TileCoord t = new TileCoord(14, centre.x() + dx, centre.y() + dy);
                long cellsBefore = generatedCells();
                long s = System.nanoTime();
                HttpTestClient.Reply r = http.get(path("dw-2022", t));
                long took = System.nanoTime() - s;
                r.palettePng();
                if (generatedCells() == cellsBefore) {
                    renderNanos += took;
                    n++;
                }
            }
        }
        assertTrue(n >= 1, "the AOI's own tile needed no generation");
        assertEquals(0, http.get(path("dw-2022", centre)).status() == 200 ? 0 : 1);
        System.out.printf("dw tile (z14, 256 px, uncached, over HTTP): %.1f ms on average over %d tiles%n", renderNanos / 1e6 / n, n);
    }
}
