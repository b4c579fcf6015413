package io.geocrop.imagery.stac;

import io.geocrop.domain.Season;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StacSettingsTest {
    private final StacSettings defaults = StacSettings.defaults();

    @Test
    void defaultsTargetDigitalEarthAfrica() {
        assertEquals(URI.create("https://explorer.digitalearth.africa/stac/search"), defaults.searchUri());
        assertEquals("s2_l2a", defaults.collection());
        assertEquals(StacSettings.SearchMethod.POST, defaults.searchMethod());
        assertEquals(100, defaults.pageSize());
        assertEquals(50, defaults.maxPages());
        assertEquals(32L * 1024 * 1024, defaults.maxResponseBytes());
    }

    @Test
    void assetAllowlistAcceptsDeaEarthSearchAndLoopbackOnly() {
        for (String ok : new String[] {
                "https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/sentinel-s2-l2a-cogs/x/B04.tif",
                "https://deafrica-landsat.s3.af-south-1.amazonaws.com/x.tif",
                "https://DEAFRICA-SENTINEL-2-L2A-C1.s3.af-south-1.amazonaws.com/x.tif",
                "https://sentinel-cogs.s3.us-west-2.amazonaws.com/sentinel-s2-l2a-cogs/x/B04.tif",
                "http://127.0.0.1:8080/cogs/B04.tif", "http://localhost/x.tif", "http://[::1]:9000/x.tif"}) {
            assertTrue(defaults.isAssetHostAllowed(URI.create(ok)), ok);
        }
        for (String refused : new String[] {
                "https://evil.example.org/B04.tif",
                "https://other-bucket.s3.af-south-1.amazonaws.com/x.tif",
                "https://evil.deafrica-x.s3.af-south-1.amazonaws.com/x.tif",
                "https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com.evil.org/x.tif",
                "https://deafrica-sentinel-2-l2a-c1-dev.s3.us-west-2.amazonaws.com/x.tif",
                "s3://deafrica-sentinel-2/x.tif", "file:///etc/passwd", "ftp://127.0.0.1/x.tif"}) {
            assertFalse(defaults.isAssetHostAllowed(URI.create(refused)), refused);
        }
        StacException e = assertThrows(StacException.class,
                () -> defaults.requireAssetHostAllowed(URI.create("https://evil.example.org/B04.tif?sig=secret")));
        assertTrue(e.getMessage().contains("evil.example.org") && !e.getMessage().contains("secret"), e.getMessage());
        assertTrue(defaults.assetHttpSettings().isHostAllowed("sentinel-cogs.s3.us-west-2.amazonaws.com"));
        assertFalse(defaults.assetHttpSettings().isHostAllowed("evil.example.org"));
    }

    @Test
    void apiAllowlistGuardsTheEndpoint() {
        assertTrue(defaults.isApiHostAllowed(URI.create("https://explorer.digitalearth.africa/stac/search?page=2")));
        assertFalse(defaults.isApiHostAllowed(URI.create("https://earth-search.aws.element84.com/v1/search")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder()
                .endpoint(URI.create("https://earth-search.aws.element84.com/v1")).build());
        assertTrue(e.getMessage().contains("earth-search.aws.element84.com"), e.getMessage());

        StacSettings earthSearch = defaults.toBuilder()
                .endpoint(URI.create("https://earth-search.aws.element84.com/v1"))
                .allowedApiHosts(Set.of("earth-search.aws.element84.com"))
                .collection("sentinel-2-l2a").build();
        assertEquals(URI.create("https://earth-search.aws.element84.com/v1/search"), earthSearch.searchUri(),
                "the endpoint gains a trailing slash so that search stays below it");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder().allowedAssetHosts(Set.of()).build());
        assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder().allowedAssetHosts(Set.of("*")).build());
        assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder().paging(0, 1, 1).build());
        assertThrows(IllegalArgumentException.class, () -> defaults.toBuilder().maxResponseBytes(10).build());
        assertThrows(IllegalArgumentException.class,
                () -> defaults.toBuilder().s3Regions("af-south-1", Map.of("b", "x.evil.org")).build());
        assertThrows(IllegalArgumentException.class,
                () -> defaults.toBuilder().endpoint(URI.create("ftp://explorer.digitalearth.africa/stac")).build());
    }

    @Test
    void queriesValidateAndFormatTheirParts() {
        StacQuery season = StacQuery.builder().season(new Season(2024)).build();
        assertEquals(new Season(2024).stacInterval(), season.datetimeInterval());
        assertEquals("../2025-05-31T23:59:59Z",
                new StacQuery(null, null, null, Instant.parse("2025-05-31T23:59:59Z"), null, null, null)
                        .datetimeInterval());
        assertNull(StacQuery.builder().build().datetimeInterval());
        assertEquals("30.5,-18.25,31.75,-17.5", new LonLatBox(30.5, -18.25, 31.75, -17.5).toQueryValue());

        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder()
                .datetime(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")).build());
        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder().maxCloudCover(101).build());
        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder().limit(0).build());
        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder().collections("a,b").build());
        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder().bbox(31, -17, 30, -16).build());
        assertThrows(IllegalArgumentException.class, () -> StacQuery.builder().bbox(Double.NaN, -17, 30, -16).build());

        StacQuery cloudy = StacQuery.builder().maxCloudCover(20).build();
        assertTrue(cloudy.acceptsCloudCover(20.0));
        assertFalse(cloudy.acceptsCloudCover(20.5));
        assertFalse(cloudy.acceptsCloudCover(null));
        assertTrue(StacQuery.builder().build().acceptsCloudCover(null));
    }
}
