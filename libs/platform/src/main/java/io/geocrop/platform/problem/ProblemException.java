package io.geocrop.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown by request handlers to answer with a specific problem; headers (for example {@code Retry-After})
 * are added to the response. The factories take the problem's type and title from {@link ProblemMapping}, so a
 * status is spelled the same way wherever it is answered; call sites give only the status and what went wrong.
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    private ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail());
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    /** A problem with {@code status}'s type and title, saying {@code detail}. */
    public static ProblemException of(int status, String detail) {
        return of(status, detail, List.of(), Map.of());
    }

    /** A problem with {@code status}'s type and title, naming the fields at fault and adding response headers. */
    public static ProblemException of(int status, String detail, List<Problem.InvalidField> errors,
            Map<String, String> headers) {
        return new ProblemException(ProblemMapping.forStatus(status, detail, errors == null ? null : List.copyOf(errors)),
                headers);
    }

    /** A problem about one field ({@code field} names it in {@code errors}); {@code detail} is the whole sentence. */
    public static ProblemException ofField(int status, String field, String message, String detail) {
        return of(status, detail, List.of(new Problem.InvalidField(field, message)), Map.of());
    }

    /** A 400 about one field. */
    public static ProblemException badField(String field, String message) {
        return ofField(400, field, message, field + ": " + message);
    }

    /** A 404 saying what was not found. */
    public static ProblemException notFound(String detail) {
        return of(404, detail);
    }

    /** A 503 with {@code Retry-After}: the client may try again after {@code retryAfterSeconds}. */
    public static ProblemException unavailable(String detail, long retryAfterSeconds) {
        return of(503, detail, List.of(), Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
