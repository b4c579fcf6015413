package io.geocrop.imagery.stac;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.Season;
import io.geocrop.imagery.stac.StacTestServer.Answer;
import io.geocrop.imagery.stac.StacTestServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.geocrop.imagery.stac.StacTestItems.ids;
import static io.geocrop.imagery.stac.StacTestItems.item;
import static io.geocrop.imagery.stac.StacTestItems.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StacClientTest {
    private static final StacQuery SEASON_QUERY = StacQuery.builder()
            .bbox(30.9, -17.9, 31.1, -17.7)
            .season(new Season(2024))
            .limit(2)
            .maxCloudCover(20)
            .build();

    private StacTestServer server;
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new StacTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private StacSettings.Builder settings() {
        return StacSettings.defaults().toBuilder()
                .endpoint(server.base())
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .retries(3, Duration.ofMillis(10), Duration.ofMillis(40))
                .maxRetryAfter(Duration.ofSeconds(2));
    }

    /** A client that records the waits between attempts instead of waiting them out. */
    private StacClient client(StacSettings settings) {
        return new StacClient(settings, new StacItemParser(settings.hrefResolver()), sleeps::add);
    }

    @Test
    void postSearchFollowsMergedBodyAndPlainHrefPages() throws Exception {
        String mergeLink = "{\"rel\":\"next\",\"method\":\"POST\",\"merge\":true,\"href\":\"" + server.base()
                + "search\",\"body\":{\"token\":\"page2\"}}";
        server.answer(r -> switch (r.method() + " " + (r.param("token") != null ? r.param("token")
                : r.body().contains("page2") ? "page2" : "page1")) {
            case "POST page1" -> Answer.json(page(List.of(item("S2_C", "2024-10-05T08:00:00Z", 3),
                    item("S2_A", "2024-09-10T08:00:00Z", 10)), mergeLink));
            case "POST page2" -> Answer.json(page(List.of(item("S2_B", "2024-09-10T08:00:00Z", 0.5),
                    item("S2_A", "2024-09-10T08:00:00Z", 10)), "{\"rel\":\"next\",\"href\":\"/search?token=page3\"}"));
            case "GET page3" -> Answer.json(page(List.of(item("S2_CLOUDY", "2024-11-01T08:00:00Z", 87.5)),
                    "{\"rel\":\"self\",\"href\":\"/search?token=page3\"}"));
            default -> Answer.status(500, "unexpected " + r);
        });

        StacSearchResult result;
        try (StacClient client = client(settings().build())) {
            result = client.search(SEASON_QUERY);
        }

        assertEquals(List.of("S2_A", "S2_B", "S2_C"), ids(result), "sorted by datetime then id, one per id");
        assertEquals(3, result.pages());
        assertEquals(1, result.duplicates());
        assertEquals(1, result.droppedByCloudCover(), "the server ignored the cloud query; filtered here");
        assertEquals(StacSearchResult.StopReason.COMPLETE, result.stopReason());
        assertTrue(result.isComplete());

        List<Received> requests = server.requests();
        assertEquals(3, requests.size());
        Received first = requests.get(0);
        assertEquals("POST", first.method());
        assertEquals("/search", first.path());
        assertEquals("application/json", first.contentType());
        JsonNode body = StacJson.MAPPER.readTree(first.body());
        assertEquals(StacJson.MAPPER.readTree("""
                {"collections":["s2_l2a"],"bbox":[30.9,-17.9,31.1,-17.7],
                 "datetime":"2024-09-01T00:00:00Z/2025-05-31T23:59:59Z","limit":2,
                 "query":{"eo:cloud_cover":{"lte":20.0}}}"""), body);
        JsonNode merged = StacJson.MAPPER.readTree(requests.get(1).body());
        assertEquals("page2", merged.get("token").textValue());
        assertEquals(body.get("bbox"), merged.get("bbox"), "merge keeps the original search");
        assertEquals(body.get("query"), merged.get("query"));
        assertEquals("GET", requests.get(2).method());
        assertEquals("page3", requests.get(2).param("token"));
    }

    @Test
    void postNextLinkWithoutMergeSendsItsOwnBody() throws Exception {
        server.answer(r -> r.body().contains("opaque-cursor")
                ? Answer.json(page(List.of(item("S2_2", "2024-12-01T08:00:00Z", 1))))
                : Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)),
                "{\"rel\":\"next\",\"method\":\"POST\",\"merge\":false,\"href\":\"/search\","
                        + "\"body\":{\"collections\":[\"s2_l2a\"],\"next\":\"opaque-cursor\"}}")));
        try (StacClient client = client(settings().build())) {
            assertEquals(List.of("S2_1", "S2_2"), ids(client.search(SEASON_QUERY)));
        }
        assertEquals(StacJson.MAPPER.readTree("{\"collections\":[\"s2_l2a\"],\"next\":\"opaque-cursor\"}"),
                StacJson.MAPPER.readTree(server.requests().get(1).body()));
    }

    @Test
    void getSearchSendsQueryParameters() throws Exception {
        server.answer(r -> "2".equals(r.param("page"))
                ? Answer.json(page(List.of(item("S2_2", "2024-12-01T08:00:00Z", 1))))
                : Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)),
                "{\"rel\":\"next\",\"href\":\"" + server.base() + "search?page=2\"}")));
        StacQuery query = StacQuery.builder().collections("s2_l2a", "s2_l2a_c1").bbox(30.5, -18.25, 31.75, -17.5)
                .season(new Season(2023)).limit(50).maxCloudCover(35.5).build();
        try (StacClient client = client(settings().searchMethod(StacSettings.SearchMethod.GET).build())) {
            assertEquals(List.of("S2_1", "S2_2"), ids(client.search(query)));
        }
        Received first = server.requests().get(0);
        assertEquals("GET", first.method());
        assertEquals("/search", first.path());
        assertEquals("s2_l2a,s2_l2a_c1", first.param("collections"));
        assertEquals("30.5,-18.25,31.75,-17.5", first.param("bbox"));
        assertEquals("2023-09-01T00:00:00Z/2024-05-31T23:59:59Z", first.param("datetime"));
        assertEquals("50", first.param("limit"));
        assertEquals(StacJson.MAPPER.readTree("{\"eo:cloud_cover\":{\"lte\":35.5}}"),
                StacJson.MAPPER.readTree(first.param("query")));
        assertEquals("", first.body());
        assertEquals("2", server.requests().get(1).param("page"));
    }

    @Test
    void cloudQueryCanBeLeftOutButIsStillAppliedHere() {
        server.answer(r -> Answer.json(page(List.of(item("S2_CLEAR", "2024-11-01T08:00:00Z", 2),
                item("S2_CLOUDY", "2024-11-06T08:00:00Z", 60)))));
        try (StacClient client = client(settings().sendCloudCoverQuery(false).build())) {
            StacSearchResult result = client.search(SEASON_QUERY);
            assertEquals(List.of("S2_CLEAR"), ids(result));
            assertEquals(1, result.droppedByCloudCover());
        }
        assertFalse(server.requests().get(0).body().contains("query"));
    }

    @Test
    void a503IsRetriedThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> calls.incrementAndGet() == 1 ? Answer.status(503, "{\"detail\":\"warming up\"}")
                : Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)))));
        try (StacClient client = client(settings().build())) {
            assertEquals(List.of("S2_1"), ids(client.search(SEASON_QUERY)));
        }
        assertEquals(2, server.requests().size());
        assertEquals(1, sleeps.size());
        assertTrue(sleeps.get(0) >= 5 && sleeps.get(0) <= 10, "first backoff is half to all of 10 ms: " + sleeps);
    }

    @Test
    void a429RetryAfterIsHonouredUpToTheCap() {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> switch (calls.incrementAndGet()) {
            case 1 -> Answer.status(429, "{\"detail\":\"slow down\"}").withHeader("Retry-After", "1");
            case 2 -> Answer.status(429, "{\"detail\":\"slow down\"}").withHeader("Retry-After", "3600");
            default -> Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1))));
        });
        try (StacClient client = client(settings().build())) {
            assertEquals(List.of("S2_1"), ids(client.search(SEASON_QUERY)));
        }
        assertEquals(List.of(1000L, 2000L), sleeps, "Retry-After 1 s as asked, 3600 s capped at maxRetryAfter");
    }

    @Test
    void retriesEndWithAClearFailure() {
        server.answer(r -> Answer.status(502, "<html>bad gateway</html>"));
        StacException e;
        try (StacClient client = client(settings().build())) {
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
        }
        assertEquals(3, server.requests().size());
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("POST " + server.base() + "search failed after 3 attempts: HTTP 502"
                + ": <html>bad gateway</html>"), e.getMessage());
    }

    @Test
    void a400FailsAtOnceWithTheServersText() {
        String longTail = "x".repeat(2000);
        server.answer(r -> Answer.status(400, "{\"code\":\"BadRequest\",\"description\":\"Invalid bbox\u0007 "
                + longTail + "\"}"));
        StacException e;
        try (StacClient client = client(settings().build())) {
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
        }
        assertEquals(1, server.requests().size(), "4xx is not retried");
        assertTrue(sleeps.isEmpty());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("POST " + server.base() + "search answered HTTP 400: "), e.getMessage());
        assertTrue(e.getMessage().contains("\"description\":\"Invalid bbox"), e.getMessage());
        assertTrue(e.getMessage().length() < 500, "the server's text is shortened: " + e.getMessage().length());
        assertFalse(e.getMessage().contains("\u0007"));
    }

    @Test
    void aStalledAnswerTimesOutIsRetriedAndFails() {
        server.answer(r -> new Answer(200, Map.of(), "", 10_000));
        StacException e;
        try (StacClient client = client(settings().timeouts(Duration.ofSeconds(2), Duration.ofMillis(250))
                .retries(2, Duration.ofMillis(1), Duration.ofMillis(1)).build())) {
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
        }
        assertEquals(2, server.requests().size());
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("failed after 2 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("250 ms") || e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void malformedJsonIsAClearError() {
        server.answer(r -> Answer.json("{\"type\":\"FeatureCollection\",\"features\":[{\"id\": }"));
        StacException e;
        try (StacClient client = client(settings().build())) {
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
        }
        assertEquals(1, server.requests().size());
        assertTrue(e.getMessage().startsWith("POST " + server.base() + "search answered malformed JSON"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void answersThatAreNotItemCollectionsOrHoldBadItemsFail() {
        server.answer(r -> Answer.json("{\"type\":\"Catalog\",\"id\":\"root\"}"));
        try (StacClient client = client(settings().build())) {
            StacException e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
            assertTrue(e.getMessage().contains("is not a STAC ItemCollection"), e.getMessage());

            server.answer(r -> Answer.json(page(List.of(item("S2_OK", "2024-11-01T08:00:00Z", 1),
                    item("S2_BROKEN", "2024-11-01T08:00:00Z", 1).replace("\"datetime\":\"2024-11-01T08:00:00Z\",", "")))));
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
            assertTrue(e.getMessage().contains("STAC item S2_BROKEN has no datetime"), e.getMessage());
        }
    }

    @Test
    void aRepeatingNextLinkStopsPaging() {
        server.answer(r -> Answer.json(page(List.of(item("S2_" + (r.param("page") == null ? "1" : "2"),
                "2024-11-01T08:00:00Z", 1)), "{\"rel\":\"next\",\"href\":\"/search?page=2\"}")));
        StacSearchResult result;
        try (StacClient client = client(settings().searchMethod(StacSettings.SearchMethod.GET).build())) {
            result = client.search(SEASON_QUERY);
        }
        assertEquals(2, server.requests().size(), "page 2 points at itself: fetched once");
        assertEquals(StacSearchResult.StopReason.REPEATED_NEXT_LINK, result.stopReason());
        assertFalse(result.isComplete());
        assertEquals(List.of("S2_1", "S2_2"), ids(result));
    }

    @Test
    void aPostNextLinkThatRepeatsTheBodyIsALoopToo() {
        server.answer(r -> Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)),
                "{\"rel\":\"next\",\"method\":\"POST\",\"merge\":true,\"href\":\"/search\",\"body\":{\"limit\":2}}")));
        try (StacClient client = client(settings().build())) {
            assertEquals(StacSearchResult.StopReason.REPEATED_NEXT_LINK, client.search(SEASON_QUERY).stopReason());
        }
        assertEquals(1, server.requests().size());
    }

    @Test
    void pagingStopsAtMaxPagesAndMaxItems() {
        AtomicInteger n = new AtomicInteger();
        server.answer(r -> {
            int i = n.incrementAndGet();
            return Answer.json(page(List.of(item("S2_" + i + "a", "2024-11-01T08:00:00Z", 1),
                    item("S2_" + i + "b", "2024-11-02T08:00:00Z", 1)),
                    "{\"rel\":\"next\",\"href\":\"/search?page=" + (i + 1) + "\"}"));
        });
        try (StacClient client = client(settings().paging(2, 3, 1000).build())) {
            StacSearchResult result = client.search(SEASON_QUERY);
            assertEquals(StacSearchResult.StopReason.MAX_PAGES, result.stopReason());
            assertEquals(3, result.pages());
            assertEquals(6, result.items().size());
            assertEquals(3, server.requests().size());

            n.set(0);
            StacQuery three = StacQuery.builder().maxItems(3).build();
            StacSearchResult limited = client.search(three);
            assertEquals(StacSearchResult.StopReason.MAX_ITEMS, limited.stopReason());
            assertEquals(List.of("S2_1a", "S2_2a", "S2_1b"), ids(limited));
            assertEquals(5, server.requests().size(), "two more pages, then the limit");
        }
    }

    @Test
    void hostsOffTheAllowlistAreRefusedBeforeAnyRequest() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings().allowedApiHosts(java.util.Set.of("explorer.digitalearth.africa")).build());
        assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());

        // The recorded Earth Search answer: its next link points at earth-search.aws.element84.com.
        server.answer(r -> Answer.json(StacTestItems.fixture(
                "earth-search-v1/search-response.sentinel-2-l2a+landsat-c2-l2.json")));
        StacException e;
        try (StacClient client = client(settings().build())) {
            e = assertThrows(StacException.class, () -> client.search(StacQuery.builder()
                    .collections("sentinel-2-l2a", "landsat-c2-l2").build()));
        }
        assertEquals(1, server.requests().size(), "the next page is never requested");
        assertTrue(e.getMessage().contains("refusing POST https://earth-search.aws.element84.com/v1/search: host"
                + " 'earth-search.aws.element84.com' is not in allowedApiHosts"), e.getMessage());
        assertEquals(0, e.status());
    }

    @Test
    void anOversizedAnswerIsRefusedUnread() {
        String huge = page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)), "{\"rel\":\"x\",\"pad\":\""
                + "p".repeat(8192) + "\"}");
        server.answer(r -> Answer.json(huge));
        StacException e;
        try (StacClient client = client(settings().maxResponseBytes(4096).build())) {
            e = assertThrows(StacException.class, () -> client.search(SEASON_QUERY));
        }
        assertEquals(1, server.requests().size(), "not retried");
        assertTrue(e.getMessage().contains("too large") && e.getMessage().contains("4096"), e.getMessage());
    }

    @Test
    void redirectsAreFollowedWithinTheAllowlist() {
        server.answer(r -> r.path().equals("/old/search")
                ? Answer.status(308, "").withHeader("Location", "/search")
                : Answer.json(page(List.of(item("S2_1", "2024-11-01T08:00:00Z", 1)))));
        try (StacClient client = client(settings().endpoint(server.base().resolve("/old/")).build())) {
            assertEquals(List.of("S2_1"), ids(client.search(SEASON_QUERY)));
        }
        List<Received> requests = server.requests();
        assertEquals(List.of("/old/search", "/search"), requests.stream().map(Received::path).toList());
        assertEquals(requests.get(0).body(), requests.get(1).body(), "308 keeps the POST body");
    }

    @Test
    void singleItemsAreFetchedByCollectionAndId() {
        server.answer(r -> r.path().equals("/collections/s2_l2a/items/S2_ONE")
                ? Answer.json(item("S2_ONE", "2024-11-01T08:00:00Z", 4.5))
                : Answer.status(404, "{\"code\":\"NotFoundError\",\"description\":\"no such item\"}"));
        try (StacClient client = client(settings().build())) {
            StacItem one = client.item("s2_l2a", "S2_ONE");
            assertEquals(4.5, one.cloudCover());
            assertEquals("https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/sentinel-s2-l2a-cogs/36/K/VD/"
                    + "S2_ONE/B04.tif", one.requireBand(S2Band.B04).href().toString());
            assertTrue(client.settings().isAssetHostAllowed(one.requireBand(S2Band.B04).href()));
            StacException e = assertThrows(StacException.class, () -> client.item("s2_l2a", "S2_MISSING"));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("/collections/s2_l2a/items/S2_MISSING answered HTTP 404")
                    && e.getMessage().contains("no such item"), e.getMessage());
        }
        assertNull(server.requests().get(0).rawQuery());
    }
}
