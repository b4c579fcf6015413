package io.geocrop.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code errors} names every field at
 * fault, the extension member clients use to highlight inputs.
 *
 * @param type     a URI naming the kind of problem (relative, resolvable against the API's docs)
 * @param title    short, the same for every occurrence of the type
 * @param status   the HTTP status code
 * @param detail   this occurrence, in words a person can act on
 * @param instance the request path
 * @param errors   per-field problems, empty when the problem is not about fields
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<InvalidField> errors) {

    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field and what is wrong with it. */
    @Serdeable
    public record InvalidField(String field, String message) {}

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }
}
