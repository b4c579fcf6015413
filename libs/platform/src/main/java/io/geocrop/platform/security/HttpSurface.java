package io.geocrop.platform.security;

import java.util.Locale;

/**
 * Which routes one server answers ({@code geocrop.http.surface}). In a cluster every function runs twice from the
 * same image: a public Knative Service ({@code public}) and a cluster-local one ({@code internal}); the embedded
 * runtime serves both ({@code all}). A route outside the surface answers 404 as if it did not exist.
 */
public enum HttpSurface {
    ALL, PUBLIC, INTERNAL;

    /** Parses the setting; a clear message for anything else. */
    public static HttpSurface parse(String value) {
        String v = value == null || value.isBlank() ? "all" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "all" -> ALL;
            case "public" -> PUBLIC;
            case "internal" -> INTERNAL;
            default -> throw new IllegalStateException(
                    "geocrop.http.surface (GEOCROP_HTTP_SURFACE) must be all, public or internal, got '" + value + "'");
        };
    }

    /** Whether a route of this access class is served on this surface. */
    public boolean serves(RouteAccess access) {
        return switch (this) {
            case ALL -> true;
            case PUBLIC -> access.isPublic() || access == RouteAccess.PROBE;
            case INTERNAL -> !access.isPublic();
        };
    }
}
