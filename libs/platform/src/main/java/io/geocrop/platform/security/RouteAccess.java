package io.geocrop.platform.security;

/** The decision taken for each route in {@link RouteTable}. */
public enum RouteAccess {
    /** Anyone may read: no credential, no limit (a map polling progress is never locked out). */
    PUBLIC_READ,
    /** Anyone may try: the API key when one is configured, then the per-client rate limit. */
    PUBLIC_WRITE,
    /** The plain health probe, on every surface; details only where internal reads are allowed. */
    PROBE,
    /** Cluster-internal reads (metrics); 404 on the public surface. */
    INTERNAL_READ,
    /** Cluster-internal, state-changing (CloudEvent ingress, /internal/*, webhooks): 404 on the public surface, and
     * the internal token or a Knative OIDC token whenever one is configured. */
    INTERNAL_WRITE;

    boolean isPublic() {
        return this == PUBLIC_READ || this == PUBLIC_WRITE;
    }
}
