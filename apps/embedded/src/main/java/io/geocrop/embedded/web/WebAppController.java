package io.geocrop.embedded.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;

/**
 * Serves the web app of the {@code web} module at {@code /}: index.html (never cached, so a new build shows at
 * once), the hashed files under {@code /assets/} (immutable), and {@code /config.json}, the deployment facts
 * the page shows (embedded mode, imagery source). Explicit routes only, so no API route is shadowed; other
 * page paths reach index.html through {@link SpaFallbackFilter}.
 */
@Controller
@Requires(property = "geocrop.web.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class WebAppController {
    static final String INDEX_CACHE = "no-cache";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";

    private final WebAppResources files;
    private final WebSettings settings;
    private final String imagerySource;

    WebAppController(WebAppResources files, WebSettings settings,
                     @Value("${geocrop.imagery.source:simulated}") String imagerySource) {
        this.files = files;
        this.settings = settings;
        this.imagerySource = imagerySource;
    }

    /** What {@code /config.json} tells the page: same-origin API, embedded mode, and what is simulated. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WebConfig(@JsonProperty("api_base") String apiBase, String mode,
                            @JsonProperty("imagery_source") String imagerySource,
                            @JsonProperty("osm_basemap") boolean osmBasemap) {}

    @Get(uris = {"/", "/index.html"}, produces = MediaType.TEXT_HTML)
    public HttpResponse<byte[]> index() {
        return indexResponse(files);
    }

    /** index.html as the answer to any page of the app; a 404 problem when the web module is not in this build. */
    static HttpResponse<byte[]> indexResponse(WebAppResources files) {
        byte[] html = files.index().orElseThrow(() -> ProblemException.notFound(
                "the web app is not part of this build: build the web module (./mvnw -pl web install, needs node and npm)"));
        return HttpResponse.ok(html).contentType(MediaType.TEXT_HTML_TYPE).header(HttpHeaders.CACHE_CONTROL, INDEX_CACHE);
    }

    @Get(value = "/assets/{+path}")
    public HttpResponse<byte[]> asset(@PathVariable String path) {
        String file = "assets/" + path;
        URL url = files.find(file).orElseThrow(() -> ProblemException.notFound(
                "no such file of the web app: /" + abbreviate(file)));
        try (InputStream in = url.openStream()) {
            return HttpResponse.ok(in.readAllBytes()).contentType(WebAppResources.mediaType(file))
                    .header(HttpHeaders.CACHE_CONTROL, ASSET_CACHE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + ": " + e.getMessage(), e);
        }
    }

    @Get(value = "/config.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<WebConfig> config() {
        return HttpResponse.ok(new WebConfig("", "embedded", imagerySource, settings.osmBasemap()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
