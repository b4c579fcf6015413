package io.geocrop.render;

import io.geocrop.tiles.Bounds;
import io.geocrop.tiles.LayerFootprint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * XYZ map tiles and TileJSON. Layers: {@code job-<uuid>-class}, {@code job-<uuid>-confidence}, {@code dw-<year>}.
 * Runs on the blocking executor: a tile may read object storage and the job store.
 */
@Controller("/tiles")
@Tag(name = "tiles")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class TilesController {
    private static final MediaType PNG = MediaType.IMAGE_PNG_TYPE;
    private final TileService tiles;
    private final TileRenderSettings settings;

    TilesController(TileService tiles, TileRenderSettings settings) {
        this.tiles = tiles;
        this.settings = settings;
    }

    @Operation(summary = "A 256 px (or 512 px with @2x) Web Mercator PNG tile",
            description = "The last segment is <y>.png or <y>@2x.png. Strong ETag; completed job tiles are immutable, "
                    + "baseline tiles cached briefly. 404 outside the layer, 409 while the job runs.")
    @Get(value = "/{layer}/{z}/{x}/{file}", produces = "image/png")
    public HttpResponse<byte[]> tile(@PathVariable String layer, @PathVariable String z, @PathVariable String x,
                                     @PathVariable String file, @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        TileService.TileResponse t = tiles.tile(layer, z, x, file, ifNoneMatch);
        MutableHttpResponse<byte[]> response = t.notModified()
                ? HttpResponse.status(HttpStatus.NOT_MODIFIED)
                : HttpResponse.ok(t.png()).contentType(PNG);
        return response.header(HttpHeaders.ETAG, t.eTag()).header(HttpHeaders.CACHE_CONTROL, t.cacheControl());
    }

    @Operation(summary = "TileJSON 3.0.0 for a layer")
    @Get(value = "/{layer}/tilejson.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<TileJson> tileJson(@PathVariable String layer, HttpRequest<?> request) {
        TileService.Layer l = tiles.layer(layer);
        LayerFootprint fp = l.footprint();
        Bounds b = fp.lonLatBounds();
        String base = baseUrl(request);
        boolean dw = l.ref() instanceof LayerRef.BaselineLayer;
        TileJson json = new TileJson("3.0.0", layer,
                dw ? "Dynamic World land cover, summer season " + ((LayerRef.BaselineLayer) l.ref()).year()
                        : "GeoCrop " + (l.ref().style().id().equals("confidence") ? "classification confidence (%)" : "crop types")
                        + (l.ref() instanceof LayerRef.UploadLayer upload ? " of upload " + upload.name()
                                : " of job " + ((LayerRef.JobLayer) l.ref()).job()),
                dw ? "Dynamic World (Google, National Geographic Society, World Resources Institute), CC-BY-4.0" : null,
                "xyz", List.of(base + "/tiles/" + layer + "/{z}/{x}/{y}.png"), fp.minZoom(), fp.maxZoom(),
                List.of(b.minX(), b.minY(), b.maxX(), b.maxY()),
                List.of(fp.centreLon(), fp.centreLat(), (double) Math.max(fp.minZoom(), fp.maxZoom() - 2)),
                base + "/legend/" + layer);
        return HttpResponse.ok(json).header(HttpHeaders.CACHE_CONTROL, l.cacheControl().contains("immutable")
                ? "public, max-age=3600" : l.cacheControl());
    }

    private String baseUrl(HttpRequest<?> request) {
        return baseUrl(settings, request);
    }

    /** The configured public URL, else the request's scheme (as forwarded) and Host. */
    static String baseUrl(TileRenderSettings settings, HttpRequest<?> request) {
        String configured = settings.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            host = "localhost";
        }
        String proto = request.getHeaders().get("X-Forwarded-Proto");
        String scheme = "https".equalsIgnoreCase(proto) ? "https" : request.isSecure() ? "https" : "http";
        return scheme + "://" + host;
    }
}
