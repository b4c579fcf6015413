package io.geocrop.platform.problem;

/** The problem type URIs GeoCrop answers with; each is documented in docs/api.md. */
public final class ProblemTypes {
    public static final String INVALID_REQUEST = "/problems/invalid-request";
    public static final String VALIDATION = "/problems/validation";
    public static final String NOT_FOUND = "/problems/not-found";
    public static final String UNSUPPORTED_MEDIA_TYPE = "/problems/unsupported-media-type";
    public static final String PAYLOAD_TOO_LARGE = "/problems/payload-too-large";
    public static final String METHOD_NOT_ALLOWED = "/problems/method-not-allowed";
    public static final String UNAUTHORIZED = "/problems/unauthorized";
    public static final String RATE_LIMITED = "/problems/rate-limited";
    public static final String UNAVAILABLE = "/problems/unavailable";
    public static final String CONFLICT = "/problems/conflict";
    public static final String INTERNAL = "/problems/internal";

    private ProblemTypes() {}
}
