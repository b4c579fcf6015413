package io.geocrop.imagery.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.GeoTransform;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StacItemParserTest {
    private static final String DEA_C1 = "deafrica/S2B_T37MGP_20240710T073012_L2A.s2_l2a_c1.item.json";
    private static final String ES_28QCH = "earth-search-v1/S2A_28QCH_20200714_0_L2A.item.json";
    private static final String ES_31QGB = "earth-search-v1/S2B_31QGB_20200831_0_L2A.item.json";
    private static final String ES_SEARCH = "earth-search-v1/search-response.sentinel-2-l2a+landsat-c2-l2.json";

    private final StacItemParser parser = StacItemParser.withDefaults();

    @Test
    void deaCollection1ItemWithCommonNameKeys() {
        StacItem item = parser.parse(StacTestItems.fixture(DEA_C1));

        assertEquals("S2B_T37MGP_20240710T073012_L2A", item.id());
        assertEquals("s2_l2a_c1", item.collection());
        assertEquals(Instant.parse("2024-07-10T07:41:33.657Z"), item.datetime());
        assertEquals(new LonLatBox(40.804737, -6.418314, 41.800047, -5.421772), item.bbox());
        assertEquals(32737, item.epsg());
        assertEquals(83.505428, item.cloudCover());
        assertEquals("37MGP", item.mgrsTile());
        assertEquals("sentinel-2b", item.platform());
        assertEquals("05.10", item.processingBaseline());
        assertNull(item.boaOffsetApplied());
        assertEquals("Polygon", item.geometry().type());
        assertEquals(5, item.geometry().polygons().get(0)[0].length);
        assertTrue(item.geometry().contains(41.30189, -5.92002), "proj:centroid lies in the footprint");
        assertFalse(item.geometry().contains(31.0, -17.8));

        assertTrue(item.hasGeoCropBands(), "missing " + item.missingBands(S2Band.GEOCROP_BANDS));
        Map<S2Band, String> expectedKeys = Map.ofEntries(Map.entry(S2Band.B01, "coastal"),
                Map.entry(S2Band.B02, "blue"), Map.entry(S2Band.B03, "green"), Map.entry(S2Band.B04, "red"),
                Map.entry(S2Band.B05, "rededge1"), Map.entry(S2Band.B06, "rededge2"),
                Map.entry(S2Band.B07, "rededge3"), Map.entry(S2Band.B08, "nir"), Map.entry(S2Band.B8A, "nir08"),
                Map.entry(S2Band.B09, "nir09"), Map.entry(S2Band.B11, "swir16"), Map.entry(S2Band.B12, "swir22"),
                Map.entry(S2Band.SCL, "scl"));
        expectedKeys.forEach((band, key) -> assertEquals(key, item.requireBand(band).key(), band.id()));
        assertEquals(expectedKeys.size(), item.bands().size(), "the multi-band visual/preview assets hold no band");
        assertTrue(item.band(S2Band.B10).isEmpty());

        StacAsset red = item.requireBand(S2Band.B04);
        assertEquals(URI.create("https://deafrica-sentinel-2-l2a-c1-dev.s3.us-west-2.amazonaws.com/"
                + "sentinel-2-c1-l2a/37/M/GP/2024/7/S2B_T37MGP_20240710T073012_L2A/B04.tif"), red.href());
        assertTrue(red.originalHref().startsWith("s3://deafrica-sentinel-2-l2a-c1-dev/"));
        assertTrue(red.isGeoTiff());
        assertEquals(10.0, red.gsd());
        assertEquals(List.of(10980, 10980), red.projShape());
        assertEquals(GeoTransform.northUp(699960, 9400000, 10, 10), red.geoTransform().orElseThrow());
        assertEquals("uint16", red.dataType());
        assertEquals(0.0, red.nodata());
        // Collection 1 keeps ESA's +1000 DN offset and says so with raster:bands offset -0.1.
        assertEquals(1e-4, red.scale());
        assertEquals(-0.1, red.offset());
        assertEquals(0.0, red.toValue(1000), 1e-12);
        assertEquals(0.25, red.toValue(3500), 1e-12);
        assertTrue(Double.isNaN(red.toValue(0)), "nodata");

        StacAsset swir = item.requireBand(S2Band.B11);
        assertEquals(20.0, swir.gsd());
        assertEquals(5490, swir.width().orElseThrow());

        StacAsset scl = item.requireBand(S2Band.SCL);
        assertEquals(1.0, scl.scale());
        assertEquals(0.0, scl.offset());
        assertEquals(4.0, scl.toValue(4), "SCL values are class codes");

        // Assets that are not bands keep their own raster:bands conversion; the nested preview list is tolerated.
        assertEquals(0.001, item.assets().get("wvp").scale());
        assertEquals(1.0, item.assets().get("preview").scale());
        assertNull(item.assets().get("preview").nodata());
        assertEquals(9, item.assets().get("preview").projTransform().size());
        assertEquals(23, item.assets().size());
    }

    @Test
    void earthSearchItemsPreferTheCogOverTheJpeg2000Copy() {
        for (String fixture : List.of(ES_28QCH, ES_31QGB)) {
            StacItem item = parser.parse(StacTestItems.fixture(fixture));
            assertTrue(item.hasGeoCropBands(), fixture + " misses " + item.missingBands(S2Band.GEOCROP_BANDS));
            for (S2Band band : S2Band.GEOCROP_BANDS) {
                StacAsset asset = item.requireBand(band);
                assertEquals(band.alias(), asset.key(), fixture + " " + band);
                assertTrue(asset.href().toString().startsWith("https://sentinel-cogs.s3.us-west-2.amazonaws.com/"),
                        asset.href().toString());
                assertTrue(asset.href().getPath().endsWith(".tif"));
            }
            assertEquals(Boolean.FALSE, item.boaOffsetApplied());
            // Baseline 02.14: no offset in the DN, raster:bands offset 0.
            assertEquals(1e-4, item.requireBand(S2Band.B8A).scale());
            assertEquals(0.0, item.requireBand(S2Band.B8A).offset());
            // JPEG 2000 copies stay among the assets, with their s3:// hrefs mapped to HTTPS.
            assertEquals("https", item.assets().get("red-jp2").href().getScheme());
            assertFalse(item.assets().get("red-jp2").isGeoTiff());
        }
        StacItem first = parser.parse(StacTestItems.fixture(ES_28QCH));
        assertEquals("28QCH", first.mgrsTile());
        assertEquals(32628, first.epsg());
        assertEquals("sentinel-2-l2a", first.collection());
        // The item has no storage:region, so its s3:// hrefs take the configured default region.
        assertEquals(URI.create("https://sentinel-s2-l2a.s3.af-south-1.amazonaws.com/tiles/28/Q/CH/2020/7/14/0/B04.jp2"),
                first.assets().get("red-jp2").href());
    }

    @Test
    void boaOffsetAppliedWinsOverRasterBandsOffset() throws Exception {
        JsonNode page = StacJson.MAPPER.readTree(StacTestItems.fixture(ES_SEARCH));
        List<StacItem> items = parser.parseFeatureCollection(page, "fixture");
        StacItem s2 = items.get(0);
        assertEquals("S2A_13TDE_20231008_0_L2A", s2.id());
        assertEquals(Boolean.TRUE, s2.boaOffsetApplied());
        JsonNode rawRed = page.get("features").get(0).get("assets").get("red").get("raster:bands").get(0);
        assertEquals(-0.1, rawRed.get("offset").doubleValue(), "the fixture carries the contradictory offset");
        for (S2Band band : S2Band.GEOCROP_BANDS) {
            StacAsset asset = s2.requireBand(band);
            assertEquals(0.0, asset.offset(), band.id());
        }
        assertEquals(1e-4, s2.requireBand(S2Band.B04).scale());
        assertEquals(0.05, s2.requireBand(S2Band.B04).toValue(500), 1e-12);

        // The same rule for DEA's flag name, on the collection-1 item.
        ObjectNode dea = (ObjectNode) StacJson.MAPPER.readTree(StacTestItems.fixture(DEA_C1));
        ((ObjectNode) dea.get("properties")).put("sentinel:boa_offset_applied", true);
        StacItem flagged = parser.parse(dea);
        assertEquals(Boolean.TRUE, flagged.boaOffsetApplied());
        assertEquals(0.0, flagged.requireBand(S2Band.B04).offset());
        assertEquals(1e-4, flagged.requireBand(S2Band.B04).scale());
    }

    @Test
    void landsatItemsInASearchAnswerHaveNoSentinel2Bands() throws Exception {
        JsonNode page = StacJson.MAPPER.readTree(StacTestItems.fixture(ES_SEARCH));
        StacItem landsat = parser.parseFeatureCollection(page, "fixture").get(1);
        assertEquals("LC08_L2SP_033032_20231008_02_T1", landsat.id());
        assertEquals("landsat-8", landsat.platform());
        assertTrue(landsat.bands().isEmpty(), "'red' of Landsat is not Sentinel-2 B04");
        assertEquals(2.75e-5, landsat.assets().get("red").scale());
        assertEquals(-0.2, landsat.assets().get("red").offset());
        assertNull(landsat.mgrsTile());
        // Item-level proj:shape applies to assets that do not give their own.
        assertEquals(List.of(7831, 7711), landsat.assets().get("red").projShape());
        assertEquals(URI.create("https://usgs-landsat.s3.us-west-2.amazonaws.com/collection02/level-2/standard/"
                + "oli-tirs/2023/033/032/LC08_L2SP_033032_20231008_20231017_02_T1/"
                + "LC08_L2SP_033032_20231008_20231017_02_T1_SR_B4.TIF"), landsat.assets().get("red").href(),
                "the asset's own storage:region");
    }

    @Test
    void bandIdKeysWithoutRasterBandsUseTheL2aQuantification() throws Exception {
        // DEA s2_l2a style: assets keyed by band id, no raster:bands, nodata 0 by convention.
        ObjectNode item = (ObjectNode) StacJson.MAPPER.readTree(StacTestItems.fixture(DEA_C1));
        ObjectNode assets = (ObjectNode) item.get("assets");
        ObjectNode renamed = StacJson.MAPPER.createObjectNode();
        Map<String, String> ids = Map.of("red", "B04", "nir", "B08", "scl", "SCL", "nir08", "B8A");
        ids.forEach((common, id) -> {
            ObjectNode a = (ObjectNode) assets.get(common).deepCopy();
            a.remove("raster:bands");
            a.remove("eo:bands");
            renamed.set(id, a);
        });
        item.set("assets", renamed);
        ((ObjectNode) item.get("properties")).remove("storage:region");
        StacItem parsed = parser.parse(item);
        assertEquals(List.of(S2Band.B02, S2Band.B03, S2Band.B05, S2Band.B06, S2Band.B07, S2Band.B11, S2Band.B12),
                parsed.missingBands(S2Band.GEOCROP_BANDS));
        StacAsset red = parsed.requireBand(S2Band.B04);
        assertEquals("B04", red.key());
        assertEquals(1e-4, red.scale());
        assertEquals(0.0, red.offset());
        assertEquals(0.0, red.nodata());
        assertEquals("af-south-1", red.href().getHost().split("\\.")[2], "no storage:region: the default region");
        StacException e = assertThrows(StacException.class, () -> parsed.requireBand(S2Band.B11));
        assertTrue(e.getMessage().contains("S2B_T37MGP_20240710T073012_L2A") && e.getMessage().contains("B11"),
                e.getMessage());
    }

    @Test
    void bucketRegionsWinOverACopiedStorageRegion() {
        StacItemParser custom = new StacItemParser(HrefResolver.s3ToHttps("af-south-1",
                Map.of("deafrica-sentinel-2-l2a-c1-dev", "af-south-1")));
        StacItem item = custom.parse(StacTestItems.fixture(DEA_C1));
        assertEquals("deafrica-sentinel-2-l2a-c1-dev.s3.af-south-1.amazonaws.com",
                item.requireBand(S2Band.B04).href().getHost());
    }

    @Test
    void aCustomHrefResolverSeesTheContext() {
        StacItemParser custom = new StacItemParser((href, ctx) ->
                URI.create("http://127.0.0.1:9000/mirror/" + ctx.itemId() + "/" + ctx.assetKey()
                        + "?region=" + ctx.storageRegion()));
        StacItem item = custom.parse(StacTestItems.fixture(DEA_C1));
        assertEquals(URI.create("http://127.0.0.1:9000/mirror/S2B_T37MGP_20240710T073012_L2A/red?region=us-west-2"),
                item.requireBand(S2Band.B04).href());
    }

    @Test
    void relativeHrefsResolveAgainstTheSelfLink() {
        String json = StacTestItems.item("REL", "2024-10-01T08:00:00Z", 5)
                .replace("\"links\":[]", "\"links\":[{\"rel\":\"self\",\"href\":\"https://example.org/items/REL.json\"}]")
                .replace("s3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/36/K/VD/REL/B04.tif", "./REL/B04.tif");
        assertEquals(URI.create("https://example.org/items/REL/B04.tif"), parser.parse(json).requireBand(S2Band.B04).href());
    }

    @Test
    void aHostileStorageRegionCannotChooseTheHost() {
        String json = StacTestItems.item("EVIL", "2024-10-01T08:00:00Z", 5)
                .replace("\"platform\"", "\"storage:region\":\"evil.example.org/x\",\"platform\"")
                .replace("s3://deafrica-sentinel-2/", "s3://another-bucket/");
        StacException e = assertThrows(StacException.class, () -> parser.parse(json));
        assertTrue(e.getMessage().contains("STAC item EVIL") && e.getMessage().contains("asset 'B04'")
                && e.getMessage().contains("evil.example.org/x"), e.getMessage());
    }

    @Test
    void itemsMissingRequiredPartsAreRejectedByName() throws Exception {
        ObjectNode base = (ObjectNode) StacJson.MAPPER.readTree(StacTestItems.item("X1", "2024-10-01T08:00:00Z", 5));

        ObjectNode noId = base.deepCopy();
        noId.remove("id");
        assertMessage(() -> parser.parse(noId), "has no \"id\"");

        ObjectNode noDatetime = base.deepCopy();
        ((ObjectNode) noDatetime.get("properties")).putNull("datetime");
        assertMessage(() -> parser.parse(noDatetime), "STAC item X1 has no datetime");

        ObjectNode badDatetime = base.deepCopy();
        ((ObjectNode) badDatetime.get("properties")).put("datetime", "yesterday");
        assertMessage(() -> parser.parse(badDatetime), "STAC item X1: datetime 'yesterday' is not an RFC 3339");

        ObjectNode noAssets = base.deepCopy();
        noAssets.remove("assets");
        assertMessage(() -> parser.parse(noAssets), "STAC item X1 has no assets");

        ObjectNode emptyAssets = base.deepCopy();
        emptyAssets.putObject("assets");
        assertMessage(() -> parser.parse(emptyAssets), "STAC item X1 has no assets");

        ObjectNode noHref = base.deepCopy();
        ((ObjectNode) noHref.get("assets").get("B04")).remove("href");
        assertMessage(() -> parser.parse(noHref), "STAC item X1: asset 'B04' has no href");

        ObjectNode collection = base.deepCopy();
        collection.put("type", "FeatureCollection");
        assertMessage(() -> parser.parse(collection), "is not a GeoJSON Feature");

        ObjectNode badScale = base.deepCopy();
        ((ObjectNode) badScale.get("assets").get("B04")).putArray("raster:bands").addObject().put("scale", 0);
        assertMessage(() -> parser.parse(badScale), "STAC item X1: asset 'B04' has an unusable raster:bands scale");

        assertMessage(() -> parser.parse("{\"id\": \"X2\", "), "malformed STAC item JSON");
    }

    @Test
    void datetimesInEveryRfc3339Form() {
        Instant expected = Instant.parse("2024-10-01T08:00:00.5Z");
        for (String text : List.of("2024-10-01T08:00:00.5Z", "2024-10-01t08:00:00.500z", "2024-10-01 10:00:00.5+02:00",
                "2024-10-01T08:00:00.500000+00:00")) {
            assertEquals(expected, StacItemParser.parseRfc3339(text), text);
        }
    }

    private static void assertMessage(Runnable call, String expected) {
        StacException e = assertThrows(StacException.class, call::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
