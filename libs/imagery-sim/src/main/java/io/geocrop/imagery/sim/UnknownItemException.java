package io.geocrop.imagery.sim;

/** The simulated catalogue has no such item, asset or scene (the HTTP server answers 404). */
public final class UnknownItemException extends RuntimeException {
    public UnknownItemException(String message) {
        super(message);
    }

    public UnknownItemException(String message, Throwable cause) {
        super(message, cause);
    }
}
