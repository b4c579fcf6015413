package io.geocrop.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown by request handlers to answer with a specific problem; headers (for example {@code Retry-After})
 * are added to the response.
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(int status, String type, String title, String detail, List<Problem.InvalidField> errors,
            Map<String, String> headers) {
        super(detail);
        this.problem = new Problem(type, title, status, detail, null, errors == null || errors.isEmpty() ? null : List.copyOf(errors));
        this.headers = Map.copyOf(headers);
    }

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, List.of(), Map.of());
    }

    /** A 400 about one field. */
    public static ProblemException badField(String field, String message) {
        return new ProblemException(400, ProblemTypes.INVALID_REQUEST, "Invalid request", field + ": " + message,
                List.of(new Problem.InvalidField(field, message)), Map.of());
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
