package io.geocrop.platform.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of every HTTP route GeoCrop registers, by method and URI template as Micronaut's router knows it,
 * and the decision taken for it. {@link RouteGuardFilter} protects by the matched route, so {@code /jobs/},
 * {@code //jobs} or {@code /jobs;x=1} get exactly the protection of {@code /jobs}; a route missing here answers 404
 * at run time, and {@code RouteTableTest} in each function fails when the router has a route this table lacks.
 */
public final class RouteTable {
    private static final Map<String, RouteAccess> ROUTES = new LinkedHashMap<>();

    static {
        // submit-job
        put("POST", "/jobs", RouteAccess.PUBLIC_WRITE);
        put("GET", "/jobs", RouteAccess.PUBLIC_READ);
        put("GET", "/jobs/{id}", RouteAccess.PUBLIC_READ);
        put("GET", "/jobs/{id}/events", RouteAccess.PUBLIC_READ);
        put("GET", "/jobs/{id}/results/{name}", RouteAccess.PUBLIC_READ);
        put("POST", "/internal/dead-letter", RouteAccess.INTERNAL_WRITE);
        put("POST", "/internal/reconcile", RouteAccess.INTERNAL_WRITE);
        put("POST", "/webhooks/minio", RouteAccess.INTERNAL_WRITE);
        put("PUT", "/uploads/{name}", RouteAccess.PUBLIC_WRITE);
        put("GET", "/uploads/{name}", RouteAccess.PUBLIC_READ);
        put("GET", "/uploads/{name}/result", RouteAccess.PUBLIC_READ);
        // tile-render
        put("GET", "/tiles/{layer}/{z}/{x}/{file}", RouteAccess.PUBLIC_READ);
        put("GET", "/tiles/{layer}/tilejson.json", RouteAccess.PUBLIC_READ);
        put("GET", "/legend/{layer}", RouteAccess.PUBLIC_READ);
        put("POST", "/baselines/dw/{year}", RouteAccess.PUBLIC_WRITE);
        put("POST", "/prerender", RouteAccess.INTERNAL_WRITE);
        // score-tile and extract-features: the CloudEvent ingress of each
        put("POST", "/", RouteAccess.INTERNAL_WRITE);
        // the card of the model in use: score-tile's (embedded) and submit-job's public surface (ModelCardController:
        // in a cluster score-tile is cluster-local and internal-only, so the browser asks submit-job through web)
        put("GET", "/model", RouteAccess.PUBLIC_READ);
        // management (every function)
        put("GET", "/health", RouteAccess.PROBE);
        put("GET", "/health/{selector}", RouteAccess.PROBE);
        put("GET", "/prometheus", RouteAccess.INTERNAL_READ);
        // the web app (apps/embedded)
        put("GET", "/", RouteAccess.PUBLIC_READ);
        put("GET", "/index.html", RouteAccess.PUBLIC_READ);
        put("GET", "/assets/{+path}", RouteAccess.PUBLIC_READ);
        put("GET", "/config.json", RouteAccess.PUBLIC_READ);
    }

    private RouteTable() {}

    private static void put(String method, String template, RouteAccess access) {
        ROUTES.put(key(method, template), access);
    }

    static String key(String method, String template) {
        return method + " " + template;
    }

    /** The decision for a route, or empty when the route is in no table. HEAD is answered by GET routes. */
    public static Optional<RouteAccess> lookup(String method, String template) {
        String m = "HEAD".equals(method) ? "GET" : method;
        return Optional.ofNullable(ROUTES.get(key(m, template)));
    }

    /** Every route and its decision (for docs and tests). */
    public static Map<String, RouteAccess> all() {
        return Map.copyOf(ROUTES);
    }
}
