package io.geocrop.imagery.stac;

import java.net.URI;

/**
 * A STAC search or item could not be used: the server refused or failed, the answer was not valid STAC, an item
 * lacks what GeoCrop needs, or a URL is not on an allowlist. The message names the URL (credentials and query
 * values redacted), the HTTP status and the item id where they apply.
 */
public class StacException extends RuntimeException {
    private final URI uri;
    private final int status;

    /** A failure not tied to one HTTP exchange (an invalid item, a refused host). */
    public StacException(String message) {
        this(message, null, 0, null);
    }

    /** A failure with a cause, not tied to one HTTP exchange. */
    public StacException(String message, Throwable cause) {
        this(message, null, 0, cause);
    }

    /**
     * @param message what went wrong, naming the URL, status and item where they apply
     * @param uri     the URL involved, or null
     * @param status  the HTTP status, or 0 when there was no HTTP answer
     * @param cause   the underlying failure, or null
     */
    public StacException(String message, URI uri, int status, Throwable cause) {
        super(message, cause);
        this.uri = uri;
        this.status = status;
    }

    /** The URL the failure is about, or null. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status of the failed answer, or 0 when there was none (connection failure, timeout, parse error). */
    public int status() {
        return status;
    }
}
