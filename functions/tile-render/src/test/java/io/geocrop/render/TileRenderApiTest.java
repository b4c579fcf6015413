package io.geocrop.render;

import io.geocrop.platform.HttpTestClient;

import io.geocrop.tiles.TestCogs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.Bounds;
import io.geocrop.tiles.GdalWarp;
import io.geocrop.tiles.ConfidenceRamp;
import io.geocrop.tiles.LayerStyle;
import io.geocrop.tiles.TileCache;
import io.geocrop.tiles.TileCoord;
import io.geocrop.tiles.TileMath;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** tile-render end to end: embedded storage and job store, real COGs, real HTTP, PNGs decoded. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TileRenderApiTest implements TestPropertyProvider {
    private static final UUID DONE = UUID.randomUUID();
    private static final UUID RUNNING = UUID.randomUUID();
    private static final UUID FAILED = UUID.randomUUID();
    private static final UUID WARM = UUID.randomUUID();
    private static final int EAST_OFFSET_M = 4000;
    private static final int EAST_SHIFT = 3;

    @Inject EmbeddedServer server;
    @Inject JobStore jobs;
    @Inject ObjectStore store;
    @Inject TileCache cache;
    @Inject TileService tiles;

    private HttpTestClient http;
    private TileCoord z14;

    @Override
    public Map<String, String> getProperties() {
        // The cluster's behaviour: baselines are only what is stored (SimulatedBaselineTilesTest covers generation).
        return EmbeddedTestProperties.with(Map.of("geocrop.imagery.source", "stac"));
    }

    private void submit(UUID id, double lon) {
        jobs.submit(new NewJob(id, new JobRequest(new Aoi(lon, -17.83, 2000), new Season(2024)), "test@1", id.toString()));
    }

    @BeforeAll
    void setUp() throws Exception {
        http = new HttpTestClient(server.getURI());
        Path dir = Files.createTempDirectory("tile-render-test");
        Path cog = TestCogs.writeJobResult(dir.resolve("crop-map.tif"));
        for (UUID id : List.of(DONE, RUNNING, WARM)) {
            store.put(Bucket.RESULTS, ObjectKeys.resultCog(id), cog, "image/tiff");
        }
        // Two baselines side by side, overlapping by 1 km: west (key a-...) 0..5 km, east (b-...) 4..9 km east of origin().
        store.put(Bucket.BASELINES, ObjectKeys.baseline(2024, "a-west.tif"), TestCogs.writeDynamicWorldUtm(dir.resolve("dw.tif")), "image/tiff");
        store.put(Bucket.BASELINES, ObjectKeys.baseline(2024, "b-east.tif"),
                TestCogs.writeDynamicWorldUtm(dir.resolve("dw-east.tif"), EAST_OFFSET_M, EAST_SHIFT), "image/tiff");
        // A third one 20 km east, so the layer's bounds hold a gap (9..20 km) that no COG covers.
        store.put(Bucket.BASELINES, ObjectKeys.baseline(2024, "c-far.tif"),
                TestCogs.writeDynamicWorldUtm(dir.resolve("dw-far.tif"), 20_000, 1), "image/tiff");
        submit(DONE, 31.05);
        jobs.transition(DONE, JobState.EXTRACTING);
        jobs.transition(DONE, JobState.SCORING);
        jobs.complete(DONE, Map.of("cog", ObjectKeys.resultCog(DONE)));
        submit(RUNNING, 31.06);
        jobs.transition(RUNNING, JobState.EXTRACTING);
        submit(FAILED, 31.07);
        jobs.fail(FAILED, "no imagery");
        // The middle tile of the layer at z14, where one tile pixel is about one COG pixel.
        double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + TestCogs.WIDTH * 5,
                TestCogs.origin()[1] - TestCogs.HEIGHT * 5);
        z14 = tileAt(14, ll[0], ll[1]);
    }

    private static TileCoord tileAt(int z, double lon, double lat) {
        double span = TileMath.tileSpan(z);
        return new TileCoord(z, (int) ((TileMath.mercatorX(lon) + TileMath.ORIGIN_SHIFT) / span),
                (int) ((TileMath.ORIGIN_SHIFT - TileMath.mercatorY(lat)) / span));
    }

    private static String layer(UUID job, String band) {
        return "job-" + job + "-" + band;
    }

    private static String path(String layer, TileCoord t, String suffix) {
        return "/tiles/" + layer + "/" + t.z() + "/" + t.x() + "/" + t.y() + suffix + ".png";
    }

    @Test
    void classTilePixelsAreTheCogsClassesAtFullResolution() throws Exception {
        for (TileCoord tile : List.of(z14, new TileCoord(15, z14.x() * 2 + 1, z14.y() * 2))) {
            BufferedImage img = http.get(path(layer(DONE, "class"), tile, "")).palettePng();
            assertEquals(256, img.getWidth());
            int checked = 0;
            for (int py = 0; py < 256; py += 2) {
                for (int px = 0; px < 256; px += 2) {
                    int[] p = TestCogs.jobResultPixel(tile, 256, px, py);
                    if (p == null || !TestCogs.insideJobResult(p)) {
                        continue;
                    }
                    int cls = TestCogs.classAt(p[0], p[1]);
                    int argb = img.getRGB(px, py);
                    if (cls == 0) {
                        assertEquals(0, argb >>> 24, "nodata is transparent at " + px + "," + py);
                    } else {
                        assertEquals(0xff000000 | CropClass.ofCode(cls).orElseThrow().rgb(), argb, tile + " " + px + "," + py);
                    }
                    checked++;
                }
            }
            assertTrue(checked > 3000, "checked " + checked);
        }
    }

    @Test
    void outsideTheDataIsTransparent() throws Exception {
        // The COG is 6.4 km wide: the z13 tile holding its west edge has data on one side only.
        double[] west = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] - 20,
                TestCogs.origin()[1] - TestCogs.HEIGHT * 5);
        TileCoord tile = tileAt(14, west[0], west[1]);
        BufferedImage img = http.get(path(layer(DONE, "class"), tile, "")).palettePng();
        int transparentOutside = 0;
        for (int py = 0; py < 256; py += 4) {
            for (int px = 0; px < 256; px += 4) {
                int[] p = TestCogs.jobResultPixel(tile, 256, px, py);
                if (p != null && !TestCogs.insideJobResult(p)) {
                    assertEquals(0, img.getRGB(px, py) >>> 24);
                    transparentOutside++;
                }
            }
        }
        assertTrue(transparentOutside > 100, "the tile must reach past the data: " + transparentOutside);
    }

    @Test
    void lowZoomTilesComeFromOverviewsLikeGdalwarp() throws Exception {
        Path cog = Files.createTempFile("cog", ".tif");
        TestCogs.writeJobResult(cog);
        for (int z : new int[] {11, 12}) {
            TileCoord tile = new TileCoord(z, z14.x() >> (14 - z), z14.y() >> (14 - z));
            BufferedImage img = http.get(path(layer(DONE, "class"), tile, "")).palettePng();
            byte[] gdal = GdalWarp.tile(cog, tile, 256, cog.getParent()).bytes(0);
            int differ = 0;
            int data = 0;
            for (int i = 0; i < gdal.length; i++) {
                int expected = gdal[i] & 0xff;
                data += expected != 0 ? 1 : 0;
                if (img.getRaster().getSample(i % 256, i / 256, 0) != expected) {
                    differ++;
                }
            }
            assertTrue(data > 1000, "z" + z + " tile holds data: " + data);
            assertTrue(differ <= gdal.length / 200, "z" + z + ": " + differ + " pixels differ from gdalwarp");
        }
    }

    @Test
    void confidenceUsesTheRampAndTheClassMask() throws Exception {
        BufferedImage img = http.get(path(layer(DONE, "confidence"), z14, "")).palettePng();
        int checked = 0;
        for (int py = 1; py < 256; py += 3) {
            for (int px = 1; px < 256; px += 3) {
                int[] p = TestCogs.jobResultPixel(z14, 256, px, py);
                if (p == null || !TestCogs.insideJobResult(p)) {
                    continue;
                }
                int argb = img.getRGB(px, py);
                if (TestCogs.classAt(p[0], p[1]) == 0) {
                    assertEquals(0, argb >>> 24);
                } else {
                    assertEquals(0xff000000 | ConfidenceRamp.rgb(TestCogs.confidenceAt(p[0], p[1])), argb);
                }
                checked++;
            }
        }
        assertTrue(checked > 1000);
    }

    @Test
    void retinaTilesAre512Pixels() throws Exception {
        BufferedImage img = http.get(path(layer(DONE, "class"), z14, "@2x")).palettePng();
        assertEquals(512, img.getWidth());
        assertEquals(512, img.getHeight());
    }

    @Test
    void completedJobTilesAreImmutableWithAStrongEtagAndAnswer304() {
        String p = path(layer(DONE, "class"), z14, "");
        HttpTestClient.Reply first = http.get(p);
        assertEquals(200, first.status());
        assertEquals("public, max-age=31536000, immutable", first.header("Cache-Control"));
        String eTag = first.header("ETag");
        assertTrue(eTag != null && eTag.matches("\"[0-9a-f]{32}\""), "strong ETag: " + eTag);
        HttpTestClient.Reply again = http.get(p);
        assertEquals(eTag, again.header("ETag"));
        assertArrayEquals(first.bytes(), again.bytes());

        HttpTestClient.Reply notModified = http.get(p, Map.of("If-None-Match", "\"other\", " + eTag));
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.bytes().length);
        assertEquals(eTag, notModified.header("ETag"));
        assertEquals(304, http.get(p, Map.of("If-None-Match", "W/" + eTag)).status());
        assertEquals(200, http.get(p, Map.of("If-None-Match", "\"stale\"")).status());
        assertTrue(!eTag.equals(http.get(path(layer(DONE, "class"), z14, "@2x")).header("ETag")), "@2x has its own ETag");
        assertTrue(!eTag.equals(http.get(path(layer(DONE, "confidence"), z14, "")).header("ETag")));
    }

    @Test
    void baselineTilesHaveAShortMaxAgeAndDynamicWorldColours() throws Exception {
        HttpTestClient.Reply reply = http.get(path("dw-2024", z14, ""));
        assertEquals("public, max-age=300", reply.header("Cache-Control"));
        assertNotNull(reply.header("ETag"));
        BufferedImage img = reply.palettePng();
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int py = 0; py < 256; py += 4) {
            for (int px = 0; px < 256; px += 4) {
                colours.add(img.getRGB(px, py));
            }
        }
        assertTrue(colours.contains(0xff419bdf) && colours.contains(0xff397d49), "DW water and trees colours: " + colours);
        assertTrue(colours.stream().anyMatch(c -> c >>> 24 == 0), "DW nodata (255) is transparent");
    }

    /** The baseline value the mosaic shows at metres (east, south) of origin(): the west COG first, then the east one. */
    private static int mosaicAt(int col, int row) {
        if (row < 0 || row >= TestCogs.DW_HEIGHT) {
            return -1;
        }
        if (col >= 0 && col < TestCogs.DW_WIDTH && TestCogs.dwAt(col, row, 0) != LayerStyle.DW_NODATA) {
            return TestCogs.dwAt(col, row, 0);
        }
        int east = col - EAST_OFFSET_M / 10;
        if (east >= 0 && east < TestCogs.DW_WIDTH && TestCogs.dwAt(east, row, EAST_SHIFT) != LayerStyle.DW_NODATA) {
            return TestCogs.dwAt(east, row, EAST_SHIFT);
        }
        return -1;
    }

    @Test
    void aBaselineTileOverTwoAdjacentCogsIsTheirMosaicPixelByPixel() throws Exception {
        // The z14 tile holding the point 4.5 km east, 2 km south of origin(): inside the overlap of the two COGs.
        double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + 4500,
                TestCogs.origin()[1] - 2000);
        TileCoord tile = tileAt(14, ll[0], ll[1]);
        HttpTestClient.Reply reply = http.get(path("dw-2024", tile, ""));
        BufferedImage img = reply.palettePng();
        assertEquals("public, max-age=300", reply.header("Cache-Control"));
        int[] seen = new int[3]; // west COG, east COG, transparent
        for (int py = 0; py < 256; py += 2) {
            for (int px = 0; px < 256; px += 2) {
                int[] p = TestCogs.jobResultPixel(tile, 256, px, py);
                if (p == null) {
                    continue;
                }
                int expected = mosaicAt(p[0], p[1]);
                int argb = img.getRGB(px, py);
                if (expected < 0) {
                    assertEquals(0, argb >>> 24, "nodata and off both COGs is transparent at " + px + "," + py);
                    seen[2]++;
                } else {
                    assertEquals(0xff000000 | DynamicWorldClass.ofCode(expected).orElseThrow().rgb(), argb, px + "," + py);
                    seen[p[0] < TestCogs.DW_WIDTH && TestCogs.dwAt(p[0], p[1], 0) != LayerStyle.DW_NODATA ? 0 : 1]++;
                }
            }
        }
        assertTrue(seen[0] > 1000 && seen[1] > 1000 && seen[2] > 100, "both COGs and nodata in the tile: "
                + java.util.Arrays.toString(seen));

        // The TileJSON spans both COGs.
        JsonNode b = http.get("/tiles/dw-2024/tilejson.json").json().get("bounds");
        double[] east = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + 8990,
                TestCogs.origin()[1] - 2000);
        assertTrue(b.get(0).asDouble() < ll[0] && east[0] < b.get(2).asDouble(), b.toString());
        // A tile inside the layer's bounds but on no COG (the gap 9..20 km east) is transparent, not a 404.
        double[] gap = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + 14_500,
                TestCogs.origin()[1] - 2000);
        HttpTestClient.Reply none = http.get(path("dw-2024", tileAt(15, gap[0], gap[1]), ""));
        BufferedImage blank = none.palettePng();
        for (int py = 0; py < 256; py += 16) {
            for (int px = 0; px < 256; px += 16) {
                assertEquals(0, blank.getRGB(px, py) >>> 24);
            }
        }
        assertEquals("public, no-cache", none.header("Cache-Control"), "a baseline may still appear there");
    }

    @Test
    void aNewBaselineObjectChangesTheEtagOfTheTilesItCovers() throws Exception {
        double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + 1000,
                TestCogs.origin()[1] - 1000);
        TileCoord tile = tileAt(15, ll[0], ll[1]);
        assertEquals(404, http.get(path("dw-2023", tile, "")).status(), "no baseline for 2023 yet");
        Path dir = Files.createTempDirectory("dw-2023");
        store.put(Bucket.BASELINES, ObjectKeys.baseline(2023, "a.tif"), TestCogs.writeDynamicWorldUtm(dir.resolve("a.tif")), "image/tiff");
        // The object-created event (as MinIO would send it) makes the index list the year again at once.
        tiles.prerender(Bucket.BASELINES, ObjectKeys.baseline(2023, "a.tif"));
        HttpTestClient.Reply first = http.get(path("dw-2023", tile, ""));
        assertEquals(200, first.status(), first.body());
        store.put(Bucket.BASELINES, ObjectKeys.baseline(2023, "b.tif"), TestCogs.writeDynamicWorldUtm(dir.resolve("b.tif"), 500, 1), "image/tiff");
        tiles.prerender(Bucket.BASELINES, ObjectKeys.baseline(2023, "b.tif"));
        HttpTestClient.Reply second = http.get(path("dw-2023", tile, ""));
        assertEquals(200, second.status());
        assertNotEquals(first.header("ETag"), second.header("ETag"), "b covers the tile too");
        assertEquals(304, http.get(path("dw-2023", tile, ""), Map.of("If-None-Match", second.header("ETag"))).status());
    }

    @Test
    void ensuringAnAoisBaselineInTheClusterListsWhatIsStoredAndGeneratesNothing() {
        double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + 4500,
                TestCogs.origin()[1] - 2000);
        HttpTestClient.Reply reply = http.send("POST", "/baselines/dw/2024?lon=" + ll[0] + "&lat=" + ll[1] + "&radius_m=1000",
                null, null, Map.of());
        assertEquals(200, reply.status(), reply.body());
        JsonNode j = reply.json();
        assertEquals("dw-2024", j.get("layer").asText());
        assertEquals(0, j.get("generated").asInt());
        assertEquals(false, j.get("generates").asBoolean());
        assertEquals(2, j.get("objects").size(), reply.body());
        assertEquals(ObjectKeys.baseline(2024, "a-west.tif"), j.get("objects").get(0).asText());
        assertTrue(j.get("tilejson").asText().endsWith("/tiles/dw-2024/tilejson.json"));
        assertEquals(0, http.send("POST", "/baselines/dw/2024?lon=28&lat=-20&radius_m=1000", null, null, Map.of())
                .json().get("objects").size(), "nothing stored there");
    }

    static Stream<Arguments> badBaselineRequests() {
        return Stream.of(
                Arguments.of("/baselines/dw/2024?lon=abc&lat=-17.8&radius_m=1000", 400, "lon"),
                Arguments.of("/baselines/dw/20x4?lon=31&lat=-17.8&radius_m=1000", 400, "year"),
                Arguments.of("/baselines/dw/1999?lon=31&lat=-17.8&radius_m=1000", 422, "year"),
                Arguments.of("/baselines/dw/2024?lon=31&radius_m=1000", 422, "lat"),
                Arguments.of("/baselines/dw/2024?lon=31&lat=-17.8&radius_m=5", 422, "radius_m"),
                Arguments.of("/baselines/dw/2024?lon=12&lat=-17.8&radius_m=1000", 422, "lon"));
    }

    @ParameterizedTest
    @MethodSource("badBaselineRequests")
    void badBaselineRequestsAreProblemsNamingTheField(String path, int status, String field) {
        HttpTestClient.Reply reply = http.send("POST", path, null, null, Map.of());
        assertEquals(status, reply.status(), path + ": " + reply.body());
        assertEquals("application/problem+json", reply.header("Content-Type"), path);
        assertEquals(field, reply.json().at("/errors/0/field").asText(), path + ": " + reply.body());
    }

    @Test
    void tileJsonDescribesTheLayer() {
        HttpTestClient.Reply reply = http.get("/tiles/" + layer(DONE, "class") + "/tilejson.json");
        assertEquals(200, reply.status(), reply.body());
        JsonNode j = reply.json();
        assertEquals("3.0.0", j.get("tilejson").asText());
        assertEquals("xyz", j.get("scheme").asText());
        assertEquals(server.getURI() + "/tiles/" + layer(DONE, "class") + "/{z}/{x}/{y}.png", j.get("tiles").get(0).asText());
        assertEquals(14, j.get("maxzoom").asInt(), "10 m pixels at 17.8 S are seen whole at z14");
        assertTrue(j.get("minzoom").asInt() < 14);
        JsonNode b = j.get("bounds");
        assertTrue(b.get(0).asDouble() < 31.05 && 31.05 < b.get(2).asDouble(), b.toString());
        assertTrue(b.get(1).asDouble() < -17.83 && -17.83 < b.get(3).asDouble(), b.toString());
        assertEquals(3, j.get("center").size());
        assertTrue(j.get("legend").asText().endsWith("/legend/" + layer(DONE, "class")));
        JsonNode dw = http.get("/tiles/dw-2024/tilejson.json").json();
        assertTrue(dw.get("attribution").asText().contains("Dynamic World"));
    }

    @Test
    void legendsListValueNameAndColour() {
        JsonNode cls = http.get("/legend/" + layer(DONE, "class")).json();
        assertEquals("categorical", cls.get("type").asText());
        assertEquals(CropClass.all().size(), cls.get("entries").size());
        assertEquals(1, cls.get("entries").get(0).get("value").asInt());
        assertEquals("Maize", cls.get("entries").get(0).get("name").asText());
        assertEquals(CropClass.MAIZE.hex(), cls.get("entries").get(0).get("color").asText());
        JsonNode conf = http.get("/legend/" + layer(RUNNING, "confidence")).json();
        assertEquals("ramp", conf.get("type").asText());
        assertEquals("#440154", conf.get("entries").get(0).get("color").asText());
        JsonNode dw = http.get("/legend/dw-2024").json();
        assertEquals(9, dw.get("entries").size());
        assertEquals("water", dw.get("entries").get(0).get("name").asText());
        assertEquals(404, http.get("/legend/job-" + UUID.randomUUID() + "-class").status());
        assertEquals(400, http.get("/legend/dw-20x4").status());
    }

    static Stream<Arguments> badRequests() {
        String done = layer(DONE, "class");
        return Stream.of(
                Arguments.of("/tiles/" + done + "/25/0/0.png", 400, "z"),
                Arguments.of("/tiles/" + done + "/a/0/0.png", 400, "z"),
                Arguments.of("/tiles/" + done + "/3/8/0.png", 400, "x"),
                Arguments.of("/tiles/" + done + "/3/-1/0.png", 400, "x"),
                Arguments.of("/tiles/" + done + "/3/0/8.png", 400, "y"),
                Arguments.of("/tiles/" + done + "/3/0/0.jpg", 400, "y"),
                Arguments.of("/tiles/" + done + "/3/0/0@3x.png", 400, "y"),
                Arguments.of("/tiles/" + done + "/99999999999/0/0.png", 400, "z"),
                Arguments.of("/tiles/roads/3/0/0.png", 404, "layer"),
                Arguments.of("/tiles/job-" + DONE + "-ndvi/3/0/0.png", 404, "layer"),
                Arguments.of("/tiles/job-12345-class/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/dw-24/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/dw-1999/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/dw-abc/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/dw-2999/12/2400/1100.png", 400, "layer"),
                Arguments.of("/tiles/dw-2018/3/0/0.png", 404, "layer"),
                Arguments.of("/legend/dw-1999", 400, "layer"),
                Arguments.of("/tiles/job-" + UUID.randomUUID() + "-class/3/0/0.png", 404, "layer"),
                Arguments.of("/tiles/job-" + FAILED + "-class/3/0/0.png", 404, "layer"),
                Arguments.of("/tiles/job-" + RUNNING + "-class/3/0/0.png", 409, "layer"),
                Arguments.of("/tiles/..%2F..%2Fetc/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/dw-2024..%5C/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/%2e%2e/3/0/0.png", 400, "layer"),
                Arguments.of("/tiles/job-" + RUNNING + "-class/tilejson.json", 409, "layer"),
                Arguments.of("/tiles/dw-1999/tilejson.json", 400, "layer"),
                Arguments.of("/tiles/dw-2018/tilejson.json", 404, "layer"),
                Arguments.of("/tiles/a%20b/tilejson.json", 400, "layer"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsAProblemNamingTheField(String path, int status, String field) {
        HttpTestClient.Reply reply = http.get(path);
        assertEquals(status, reply.status(), path + ": " + reply.body());
        assertEquals("application/problem+json", reply.header("Content-Type"), path);
        JsonNode problem = reply.json();
        assertEquals(status, problem.get("status").asInt());
        assertEquals(field, problem.at("/errors/0/field").asText(), path + ": " + reply.body());
        assertTrue(problem.get("detail").asText().length() > 10);
    }

    /** The value of one series on {@code GET /prometheus} (0 when absent). */
    @Test
    void renderedTilesAreTimedInAHistogramAndCacheHitsAreNot() throws Exception {
        String count = "geocrop_tile_render_seconds_count{layer=\"crop-class\"}";
        double before = http.metric(count);
        // A z16 tile no other test asks for: the first request renders it, the second is a cache hit.
        String tile = path(layer(DONE, "class"), new TileCoord(16, z14.x() * 4 + 1, z14.y() * 4 + 2), "");
        http.get(tile).palettePng();
        assertEquals(before + 1, http.metric(count));
        http.get(tile).palettePng();
        assertEquals(before + 1, http.metric(count), "a cache hit is not a render");
        assertEquals(before + 1, http.metric("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"+Inf\"}"));
        assertTrue(http.get("/prometheus").body().contains("geocrop_tile_render_seconds_bucket{layer=\"crop-class\",le=\"0.005\"}"),
                "the histogram has the millisecond buckets the dashboard's quantiles need");
        assertEquals(1.0, http.metric("geocrop_cold_start_seconds_count"));
    }

    @Test
    void tilesOutsideTheLayerAre404() {
        HttpTestClient.Reply reply = http.get(path(layer(DONE, "class"), new TileCoord(14, 100, 100), ""));
        assertEquals(404, reply.status());
        assertTrue(reply.json().get("detail").asText().contains("outside"), reply.body());
        assertEquals(404, http.get(path("dw-2024", new TileCoord(10, 0, 0), "")).status());
    }

    @Test
    void objectCreatedEventWarmsLowZoomsIntoTheCache() {
        String key = ObjectKeys.resultCog(WARM);
        String record = "{\"eventVersion\":\"2.0\",\"eventSource\":\"minio:s3\",\"eventName\":\"s3:ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"geocrop-results\"},\"object\":{\"key\":\"" + key.replace("/", "%2F")
                + "\",\"size\":1}}}";
        Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "warm-1", "ce-source", "minio:s3..geocrop-results",
                "ce-type", "com.amazonaws.s3.ObjectCreated:Put", "ce-subject", key);
        HttpTestClient.Reply reply = http.send("POST", "/prerender", "application/json", record.getBytes(StandardCharsets.UTF_8), headers);
        assertEquals(200, reply.status(), reply.body());
        JsonNode outcome = reply.json();
        int tiles = outcome.get("tiles").asInt();
        assertTrue(tiles >= 10, "z8..12 for two layers: " + reply.body());
        assertEquals(layer(WARM, "class"), outcome.get("layers").get(0).asText());

        // The job completes afterwards: its z12 tile is then served from the cache.
        submit(WARM, 31.08);
        jobs.transition(WARM, JobState.EXTRACTING);
        jobs.transition(WARM, JobState.SCORING);
        jobs.complete(WARM, Map.of("cog", key));
        long hits = cache.stats().hits();
        TileCoord z12 = new TileCoord(12, z14.x() >> 2, z14.y() >> 2);
        assertEquals(200, http.get(path(layer(WARM, "class"), z12, "")).status());
        assertEquals(hits + 1, cache.stats().hits());

        HttpTestClient.Reply other = http.send("POST", "/prerender", "application/json", record.replace("geocrop-results", "geocrop-features")
                .getBytes(StandardCharsets.UTF_8), headers);
        assertEquals(200, other.status());
        assertTrue(other.json().get("ignored").asText().contains("not a job result"));
        HttpTestClient.Reply garbage = http.send("POST", "/prerender", "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, garbage.status());
        assertEquals("body", garbage.json().at("/errors/0/field").asText());
    }
}
