package io.geocrop.imagery.stac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StacItemJsonTest {
    private final StacItemParser parser = StacItemParser.withDefaults();

    @Test
    void parsedCatalogueItemsComeBackEqualWithHrefsScalesAndFootprints() {
        for (String fixture : List.of("deafrica/S2B_T37MGP_20240710T073012_L2A.s2_l2a_c1.item.json",
                "earth-search-v1/S2A_28QCH_20200714_0_L2A.item.json",
                "earth-search-v1/S2B_31QGB_20200831_0_L2A.item.json")) {
            StacItem item = parser.parse(StacTestItems.fixture(fixture));
            StacItem back = StacItemJson.read(StacItemJson.write(item));
            assertEquals(item, back, fixture);
            assertNotNull(back.geometry(), fixture);
            assertEquals(item.requireBand(S2Band.B04).href(), back.requireBand(S2Band.B04).href(), fixture);
            assertEquals(item.requireBand(S2Band.B04).offset(), back.requireBand(S2Band.B04).offset(), fixture);
            assertTrue(back.hasGeoCropBands(), fixture);
        }
    }

    @Test
    void nanNodataMissingPartsAndABandOfItsOwnSurvive() {
        StacAsset nanAsset = new StacAsset("red", URI.create("https://example.org/red.tif"), "s3://b/red.tif", null,
                List.of(), null, null, null, Double.NaN, null, 1e-4, -0.1);
        StacAsset other = new StacAsset("B04", URI.create("https://example.org/B04.tif"), "B04.tif",
                "image/tiff", List.of("data"), 10.0, List.of(2, 3), List.of(10.0, 0.0, 500000.0, 0.0, -10.0, 8000000.0),
                0.0, "uint16", 1e-4, 0.0);
        StacItem item = new StacItem("X", null, Instant.parse("2024-01-02T03:04:05.678Z"), null, null, null, null,
                null, null, null, null, Map.of(S2Band.B04, other), Map.of("red", nanAsset));
        StacItem back = StacItemJson.read(StacItemJson.write(item));
        assertEquals(item, back);
        assertTrue(Double.isNaN(back.assets().get("red").nodata()));
    }

    @Test
    void aDocumentOfAnotherVersionOrBrokenIsRefusedByName() {
        assertThrows(StacException.class, () -> StacItemJson.read("{\"v\":2,\"id\":\"X\"}"));
        assertThrows(StacException.class, () -> StacItemJson.read("not json"));
        StacException e = assertThrows(StacException.class,
                () -> StacItemJson.read("{\"v\":1,\"id\":\"S2A_Z\",\"datetime\":\"2024-01-01T00:00:00Z\","
                        + "\"assets\":{},\"bands\":{\"B04\":\"red\"}}"));
        assertTrue(e.getMessage().contains("S2A_Z"), e.getMessage());
    }
}
