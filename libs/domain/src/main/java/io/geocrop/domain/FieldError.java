package io.geocrop.domain;

import java.util.Objects;

/**
 * One problem with one field of a request: the field's name as the client sent it (for example
 * {@code radius_m}) and a sentence a person can act on.
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
