package io.geocrop.platform.problem;

import io.geocrop.domain.ValidationException;
import io.geocrop.jobs.IllegalJobTransitionException;
import io.geocrop.jobs.JobNotFoundException;
import io.geocrop.storage.UnsafeKeyException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exception to HTTP problem. Anything not listed is a 500 whose body says only that it
 * failed and gives a reference to find the logged stack trace: internals never leak to clients.
 */
public final class ProblemMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private ProblemMapping() {}

    public static Problem toProblem(Throwable error) {
        return switch (error) {
            case ProblemException p -> p.problem();
            case ValidationException v -> forStatus(422, v.getMessage(),
                    v.errors().stream().map(e -> new Problem.InvalidField(e.field(), e.message())).toList());
            case JobNotFoundException n -> forStatus(404, n.getMessage(), null);
            case IllegalJobTransitionException t -> forStatus(409, t.getMessage(), null);
            case UnsafeKeyException k -> forStatus(400, k.getMessage(), null);
            default -> internal(error);
        };
    }

    /** A 500 with a reference id; the cause is logged with the same id. */
    public static Problem internal(Throwable error) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Unhandled error, reference {}", reference, error);
        return forStatus(500, "The server failed to handle the request; quote reference " + reference
                + " when reporting it.", null);
    }

    /**
     * The problem for a status: its type and title from this table. Used for the statuses Micronaut produces itself
     * (routing, content negotiation, body limits) and by {@link ProblemException}'s factories.
     */
    public static Problem forStatus(int status, String detail, List<Problem.InvalidField> errors) {
        String type = switch (status) {
            case 404 -> ProblemTypes.NOT_FOUND;
            case 409 -> ProblemTypes.CONFLICT;
            case 422 -> ProblemTypes.VALIDATION;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 401, 403 -> ProblemTypes.UNAUTHORIZED;
            case 429 -> ProblemTypes.RATE_LIMITED;
            case 503 -> ProblemTypes.UNAVAILABLE;
            default -> status >= 500 ? ProblemTypes.INTERNAL : ProblemTypes.INVALID_REQUEST;
        };
        return new Problem(type, title(status), status, detail, null, errors == null || errors.isEmpty() ? null : errors);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Request failed validation";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> status >= 500 ? "Internal error" : "Request error";
        };
    }
}
