package io.geocrop.imagery.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.io.HttpByteSource;
import io.geocrop.raster.io.HttpSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedDeaServerTest {
    @TempDir
    static Path cache;
    private static SimulatedDea dea;
    private static SimulatedDeaServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static String bboxParam;
    private static ObjectNode bboxJson;

    @BeforeAll
    static void start() throws Exception {
        dea = new SimulatedDea(cache, SimTestSupport.SEED);
        // A fixed "now" keeps open intervals deterministic.
        server = SimulatedDeaServer.start(dea, SimulatedDeaServer.Options.defaults()
                .withClock(() -> Instant.parse("2024-06-30T00:00:00Z")));
        double[] b = SimTestSupport.AOI.bbox();
        bboxParam = String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f", b[0], b[1], b[2], b[3]);
        bboxJson = SimTestSupport.MAPPER.createObjectNode();
        bboxJson.putArray("bbox").add(b[0]).add(b[1]).add(b[2]).add(b[3]);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.baseUri().resolve(pathAndQuery));
        for (int k = 0; k < headers.length; k += 2) {
            r.header(headers[k], headers[k + 1]);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, JsonNode body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SimTestSupport.MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return SimTestSupport.MAPPER.readTree(r.body());
    }

    @Test
    void landingPageConformanceAndCollection() throws Exception {
        HttpResponse<byte[]> r = get("/stac");
        assertEquals(200, r.statusCode());
        JsonNode landing = json(r);
        assertEquals("Catalog", landing.get("type").asText());
        Set<String> conforms = new HashSet<>();
        landing.get("conformsTo").forEach(n -> conforms.add(n.asText()));
        assertTrue(conforms.contains("https://api.stacspec.org/v1.0.0/item-search"));
        boolean postSearch = false;
        for (JsonNode link : landing.get("links")) {
            postSearch |= link.get("rel").asText().equals("search") && "POST".equals(link.path("method").asText());
        }
        assertTrue(postSearch);
        JsonNode collection = json(get("/stac/collections/s2_l2a"));
        assertEquals("s2_l2a", collection.get("id").asText());
        assertEquals(404, get("/stac/collections/s2_l2a_c1").statusCode());
        assertEquals(1, json(get("/stac/collections")).get("collections").size());
    }

    @Test
    void postSearchPagesThroughEveryAcquisitionWithMergedNextBodies() throws Exception {
        ObjectNode body = bboxJson.deepCopy();
        body.put("datetime", "2023-09-01T00:00:00Z/2024-05-31T23:59:59Z");
        body.putArray("collections").add("s2_l2a");
        body.put("limit", 7);
        List<String> ids = new ArrayList<>();
        JsonNode page = json(post("/stac/search", body));
        int pages = 1;
        while (true) {
            page.get("features").forEach(f -> ids.add(f.get("id").asText()));
            JsonNode next = null;
            for (JsonNode link : page.get("links")) {
                if (link.get("rel").asText().equals("next")) {
                    next = link;
                }
            }
            if (next == null) {
                break;
            }
            assertEquals("POST", next.get("method").asText());
            assertTrue(next.get("merge").asBoolean());
            ObjectNode merged = body.deepCopy();
            merged.setAll((ObjectNode) next.get("body"));
            page = json(post(URI.create(next.get("href").asText()).getPath(), merged));
            pages++;
        }
        int expected = dea.season(SimTestSupport.ZONE_36S, java.time.LocalDate.of(2023, 10, 1)).acquisitions().size();
        assertEquals(expected, ids.size());
        assertEquals(expected, new HashSet<>(ids).size(), "no item twice");
        assertEquals((expected + 6) / 7, pages);
        assertEquals(expected, page.get("numberMatched").asInt());
    }

    @Test
    void getSearchPagesWithHrefs() throws Exception {
        String q = "/stac/search?bbox=" + bboxParam + "&datetime=2023-12-01/2024-01-31&limit=5";
        List<String> ids = new ArrayList<>();
        String next = q;
        while (next != null) {
            JsonNode page = json(get(next));
            page.get("features").forEach(f -> ids.add(f.get("id").asText()));
            next = null;
            for (JsonNode link : page.get("links")) {
                if (link.get("rel").asText().equals("next")) {
                    URI u = URI.create(link.get("href").asText());
                    next = u.getRawPath() + "?" + u.getRawQuery();
                }
            }
        }
        assertTrue(ids.size() >= 12 && ids.size() <= 13, "Dec + Jan at 5-day revisit: " + ids.size());
        assertEquals(ids.size(), new HashSet<>(ids).size());
        for (String id : ids) {
            assertTrue(id.matches("S2[AB]_36KTF83_202(31[2]|401)\\d\\d_0_L2A"), id);
        }
        // The collection's items endpoint answers the same search.
        JsonNode items = json(get("/stac/collections/s2_l2a/items?bbox=" + bboxParam + "&datetime=2023-12-01/2024-01-31&limit=100"));
        assertEquals(ids.size(), items.get("features").size());
    }

    @Test
    void cloudCoverQueryFiltersItems() throws Exception {
        ObjectNode body = bboxJson.deepCopy();
        body.put("datetime", "2023-09-01T00:00:00Z/2024-05-31T23:59:59Z");
        body.put("limit", 100);
        int all = json(post("/stac/search", body)).get("features").size();
        body.putObject("query").putObject("eo:cloud_cover").put("lte", 10);
        JsonNode clear = json(post("/stac/search", body));
        assertTrue(clear.get("features").size() > 0 && clear.get("features").size() < all);
        for (JsonNode f : clear.get("features")) {
            assertTrue(f.get("properties").get("eo:cloud_cover").asDouble() <= 10);
        }
        String query = URLEncoder.encode("{\"eo:cloud_cover\":{\"lte\":10}}", StandardCharsets.UTF_8);
        JsonNode viaGet = json(get("/stac/search?bbox=" + bboxParam + "&datetime=2023-09-01/2024-05-31&limit=100&query=" + query));
        assertEquals(clear.get("features").size(), viaGet.get("features").size());
    }

    @Test
    void otherCollectionsMatchNothingAndOpenIntervalsEndAtNow() throws Exception {
        JsonNode none = json(get("/stac/search?bbox=" + bboxParam + "&collections=landsat_c2l2_sr"));
        assertEquals(0, none.get("features").size());
        JsonNode open = json(get("/stac/search?bbox=" + bboxParam + "&datetime=2024-06-01T00:00:00Z/..&limit=100"));
        assertTrue(open.get("features").size() >= 5 && open.get("features").size() <= 6, "June 2024 up to the fixed now");
    }

    @Test
    void assetsServeRangesByteIdenticalToTheFile() throws Exception {
        String id = firstItemId();
        Path file = dea.asset(id, S2Band.B04);
        byte[] whole = Files.readAllBytes(file);
        HttpResponse<byte[]> all = get("/assets/" + id + "/B04.tif");
        assertEquals(200, all.statusCode());
        assertArrayEquals(whole, all.body());
        assertEquals("bytes", all.headers().firstValue("Accept-Ranges").orElseThrow());

        HttpResponse<byte[]> part = get("/assets/" + id + "/B04.tif", "Range", "bytes=100-1123");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 100-1123/" + whole.length, part.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(whole, 100, 1124), part.body());

        HttpResponse<byte[]> tail = get("/assets/" + id + "/B04.tif", "Range", "bytes=" + (whole.length - 10) + "-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 10, whole.length), tail.body());

        HttpResponse<byte[]> suffix = get("/assets/" + id + "/B04.tif", "Range", "bytes=-20");
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 20, whole.length), suffix.body());

        HttpResponse<byte[]> clipped = get("/assets/" + id + "/B04.tif", "Range", "bytes=" + (whole.length - 5) + "-" + (whole.length + 100));
        assertEquals(206, clipped.statusCode());
        assertEquals(5, clipped.body().length);

        HttpResponse<byte[]> beyond = get("/assets/" + id + "/B04.tif", "Range", "bytes=" + whole.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + whole.length, beyond.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/assets/" + id + "/B04.tif"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(whole.length), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("bytes", head.headers().firstValue("Accept-Ranges").orElseThrow());
    }

    @Test
    void unknownThingsAre404AndBadParametersAre400WithJson() throws Exception {
        String id = firstItemId();
        String offDay = id.replaceFirst("_(\\d{8})_", "_" + (Long.parseLong(id.split("_")[2]) + 1) + "_");
        for (String path : List.of("/assets/" + offDay + "/B04.tif", "/assets/" + id + "/B13.tif",
                "/stac/collections/s2_l2a/items/" + offDay, "/truth/99ZZZ00.tif", "/nothing")) {
            HttpResponse<byte[]> r = get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("NotFound", json(r).get("code").asText(), path);
        }
        for (String query : List.of("bbox=1,2,3", "bbox=31,-17,30,-18", "bbox=a,b,c,d", "bbox=" + bboxParam + "&limit=0",
                "bbox=" + bboxParam + "&datetime=yesterday", "bbox=" + bboxParam + "&datetime=2024-02-01/2024-01-01",
                "bbox=20,-30,40,-10", "datetime=2024-01-01/2024-02-01", "bbox=" + bboxParam + "&colour=blue",
                "bbox=" + bboxParam + "&query=" + URLEncoder.encode("{\"eo:cloud_cover\":{\"below\":3}}", StandardCharsets.UTF_8))) {
            HttpResponse<byte[]> r = get("/stac/search?" + query);
            assertEquals(400, r.statusCode(), query);
            JsonNode err = json(r);
            assertEquals("BadRequest", err.get("code").asText());
            assertFalse(err.get("description").asText().isBlank());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        }
        HttpResponse<byte[]> badBody = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/stac/search"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, badBody.statusCode());
        assertTrue(json(badBody).get("description").asText().contains("JSON"));
        HttpResponse<byte[]> delete = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/stac"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, delete.statusCode());
    }

    @Test
    void itemByIdAndTruthOverHttp() throws Exception {
        String id = firstItemId();
        JsonNode item = json(get("/stac/collections/s2_l2a/items/" + id));
        assertEquals(id, item.get("id").asText());
        String truthHref = null;
        for (JsonNode link : item.get("links")) {
            if (link.get("rel").asText().equals("related")) {
                truthHref = link.get("href").asText();
            }
        }
        HttpResponse<byte[]> truth = get(URI.create(truthHref).getPath());
        assertEquals(200, truth.statusCode());
        assertArrayEquals(Files.readAllBytes(dea.truth("36KTF83")), truth.body());
    }

    @Test
    void geoTiffReaderReadsAnAssetOverHttpLikeTheFile() throws Exception {
        String id = firstItemId();
        JsonNode item = json(get("/stac/collections/s2_l2a/items/" + id));
        URI href = URI.create(item.get("assets").get("B8A").get("href").asText());
        server.resetStats();
        RasterWindow window = new RasterWindow(100, 120, 64, 48);
        Raster overHttp;
        try (GeoTiff tiff = GeoTiffReader.open(new HttpByteSource(href, HttpSettings.defaults()))) {
            assertEquals(32736, tiff.metadata().epsg());
            assertEquals(500, tiff.metadata().width());
            overHttp = tiff.read(window);
        }
        Raster local;
        try (GeoTiff tiff = GeoTiffReader.open(new FileByteSource(dea.asset(id, S2Band.B8A)))) {
            local = tiff.read(window);
        }
        assertArrayEquals(local.shorts(0), overHttp.shorts(0));
        SimulatedDeaServer.Stats stats = server.stats();
        assertTrue(stats.assetRequests() >= 1 && stats.requests() == stats.assetRequests(), stats.toString());
        assertTrue(stats.bodyBytesSent() > 0 && stats.bodyBytesSent() <= Files.size(dea.asset(id, S2Band.B8A)), stats.toString());
    }

    @Test
    void latencyIsAppliedPerRequest(@TempDir Path other) throws Exception {
        try (SimulatedDeaServer slow = SimulatedDeaServer.start(new SimulatedDea(other, 1),
                SimulatedDeaServer.Options.defaults().withLatency(java.time.Duration.ofMillis(30)))) {
            for (int k = 0; k < 3; k++) {
                assertEquals(200, HTTP.send(HttpRequest.newBuilder(slow.stacUri()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertEquals(3, slow.stats().requests());
            assertEquals(java.time.Duration.ofMillis(90), slow.stats().simulatedLatency());
            slow.resetStats();
            assertEquals(java.time.Duration.ZERO, slow.stats().simulatedLatency());
        }
    }

    private static String firstItemId() throws Exception {
        JsonNode page = json(get("/stac/search?bbox=" + bboxParam + "&datetime=2024-01-01/2024-01-10&limit=1"));
        return page.get("features").get(0).get("id").asText();
    }
}
