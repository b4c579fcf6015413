package io.geocrop.events;

import java.util.Optional;

/**
 * A CloudEvent, an HTTP request carrying one, or an event's data could not be read. The message names the
 * event (id and type, where known) and the attribute or field at fault; a web layer maps it to a 400.
 */
public class InvalidEventException extends RuntimeException {

    private final String field;

    /** An invalid event whose fault is described by {@code message}. */
    public InvalidEventException(String message) {
        this(message, null, null);
    }

    /** An invalid event, with the lower-level cause (a JSON or date parser error, for instance). */
    public InvalidEventException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** An invalid event where one attribute or data field ({@code field}) is at fault. */
    public InvalidEventException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The attribute or data field at fault, if the problem is one field (e.g. {@code id}, {@code lat}). */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
