package io.geocrop.embedded.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.embedded.EmbeddedApplication;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app as the embedded application serves it: index.html at {@code /}, hashed assets, the SPA fallback
 * for browser navigations only, {@code /config.json}, and every API route still answering for itself.
 */
class WebAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static ApplicationContext app;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        app = EmbeddedApplication.start(Map.of("geocrop.home", Files.createTempDirectory("geocrop-web").toString(),
                "micronaut.server.port", -1));
        base = EmbeddedApplication.baseUrl(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String type(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void servesTheAppAtTheRootWithItsAssets() throws Exception {
        HttpResponse<String> index = get("/", HTML);
        assertEquals(200, index.statusCode());
        assertTrue(type(index).startsWith("text/html"), type(index));
        assertTrue(index.body().contains("<div id=\"root\">"), index.body());
        assertEquals("no-cache", index.headers().firstValue("Cache-Control").orElse(""));

        Matcher script = Pattern.compile("src=\"/(assets/[^\"]+\\.js)\"").matcher(index.body());
        assertTrue(script.find(), "index.html names its script: " + index.body());
        HttpResponse<String> js = get("/" + script.group(1), "*/*");
        assertEquals(200, js.statusCode());
        assertTrue(type(js).startsWith("text/javascript"), type(js));
        assertTrue(js.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertTrue(js.body().length() > 10_000);

        HttpResponse<String> missing = get("/assets/index-nothere.js", "*/*");
        assertEquals(404, missing.statusCode());
        assertTrue(type(missing).startsWith("application/problem+json"), type(missing));
    }

    @Test
    void browserNavigationsToAppPagesGetIndexHtml() throws Exception {
        HttpResponse<String> page = get("/how-it-works", HTML);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<div id=\"root\">"));
        HttpResponse<String> deep = get("/some/unknown/page", HTML);
        assertEquals(200, deep.statusCode());
        assertTrue(deep.body().contains("<div id=\"root\">"));
    }

    @Test
    void apiClientsKeepTheirProblemBodies() throws Exception {
        // Not a browser navigation: the 404 stays a problem.
        HttpResponse<String> json = get("/how-it-works", "application/json");
        assertEquals(404, json.statusCode());
        assertTrue(type(json).startsWith("application/problem+json"));
        // API paths are never answered with the page, even for a browser.
        for (String path : new String[] {"/jobs/not-a-uuid", "/legend/dw-1999", "/tiles/dw-1999/0/0/0.png", "/model",
                "/jobs/00000000-0000-0000-0000-000000000000"}) {
            HttpResponse<String> r = get(path, HTML);
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, path + " -> " + r.statusCode());
            assertTrue(type(r).startsWith("application/problem+json"), path + " -> " + type(r));
            assertFalse(r.body().contains("<div id=\"root\">"), path);
        }
        // A file that does not exist is not a page either.
        assertEquals(404, get("/favicon.ico", HTML).statusCode());
        HttpResponse<String> jobs = get("/jobs?limit=1", HTML);
        assertEquals(200, jobs.statusCode());
        assertTrue(JSON.readTree(jobs.body()).isArray());
        HttpResponse<String> health = get("/health", HTML);
        assertEquals(200, health.statusCode());
        assertEquals("UP", JSON.readTree(health.body()).get("status").asText());
    }

    @Test
    void noPathEscapesThePublicFolder() throws Exception {
        for (String path : new String[] {"/assets/..%2F..%2Fapplication.yml", "/assets/%2e%2e/index.html",
                "/assets/../application.yml", "/assets/.hidden"}) {
            HttpResponse<String> r = get(path, "*/*");
            assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + " -> " + r.statusCode());
            assertFalse(r.body().contains("micronaut"), path);
        }
        assertFalse(WebAppResources.isSafe("../application.yml"));
        assertFalse(WebAppResources.isSafe("assets/../../x"));
        assertFalse(WebAppResources.isSafe("/etc/passwd"));
        assertFalse(WebAppResources.isSafe("assets/a/b/c.js"));
        assertTrue(WebAppResources.isSafe("assets/index-Dh1IbGF9.js"));
    }

    @Test
    void configJsonDescribesTheEmbeddedDeployment() throws Exception {
        HttpResponse<String> r = get("/config.json", "application/json");
        assertEquals(200, r.statusCode());
        JsonNode config = JSON.readTree(r.body());
        assertEquals("", config.get("api_base").asText());
        assertEquals("embedded", config.get("mode").asText());
        assertNotNull(config.get("imagery_source"));
        assertEquals("simulated", config.get("imagery_source").asText());
        assertFalse(config.get("osm_basemap").asBoolean());
    }

    @Test
    void pagePathsAreTellApartFromApiPaths() {
        assertTrue(SpaFallbackFilter.isPagePath("/how-it-works"));
        assertTrue(SpaFallbackFilter.isPagePath("/"));
        assertFalse(SpaFallbackFilter.isPagePath("/jobs/abc"));
        assertFalse(SpaFallbackFilter.isPagePath("/tiles/x"));
        assertFalse(SpaFallbackFilter.isPagePath("/openapi/geocrop-api-1.yml"));
        assertFalse(SpaFallbackFilter.isPagePath("/robots.txt"));
    }
}
