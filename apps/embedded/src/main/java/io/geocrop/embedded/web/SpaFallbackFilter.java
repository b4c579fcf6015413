package io.geocrop.embedded.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/**
 * The single-page app's fallback: a browser navigating to a page of the app that the server does not know
 * (e.g. {@code /how-it-works}) gets index.html and the app routes it. Only a 404, only GET or HEAD, only a
 * request that accepts HTML, never a path of the API or one that names a file: API clients keep their
 * problem bodies.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "geocrop.web.enabled", notEquals = "false")
public final class SpaFallbackFilter {
    /** First path segments owned by the API, the functions and the management endpoints. */
    static final Set<String> API_ROOTS = Set.of("jobs", "tiles", "legend", "baselines", "model", "models", "health",
            "prometheus", "metrics", "openapi", "internal", "webhooks", "prerender", "assets", "config.json");

    private final WebAppResources files;

    SpaFallbackFilter(WebAppResources files) {
        this.files = files;
    }

    @ResponseFilter
    @Nullable
    public HttpResponse<?> fallback(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.status() != HttpStatus.NOT_FOUND || !isPageRequest(request) || files.index().isEmpty()) {
            return null;
        }
        return WebAppController.indexResponse(files);
    }

    static boolean isPageRequest(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String accept = request.getHeaders().get("Accept");
        if (accept == null || !accept.toLowerCase(java.util.Locale.ROOT).contains("text/html")) {
            return false;
        }
        return isPagePath(request.getPath());
    }

    /** A path the app may own: not under an API root, and its last segment names no file. */
    static boolean isPagePath(String path) {
        if (path == null || !path.startsWith("/")) {
            return false;
        }
        String[] segments = path.substring(1).split("/", -1);
        if (API_ROOTS.contains(segments[0])) {
            return false;
        }
        String last = segments[segments.length - 1];
        return !last.contains(".");
    }
}
