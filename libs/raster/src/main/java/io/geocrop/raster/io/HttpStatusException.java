package io.geocrop.raster.io;

import java.io.IOException;

/**
 * A server answered with an HTTP status a byte source cannot use (404, 403, ...), or kept answering a retryable
 * one (429, 5xx) until the retries ran out. The message names the URL (without credentials) and the status.
 */
public class HttpStatusException extends IOException {
    private final int status;
    private final String url;

    /**
     * @param status  the HTTP status of the (last) answer
     * @param url     the URL as safe to print (see {@link HttpByteSource#describe()})
     * @param message what was done and what went wrong
     * @param cause   an earlier failure, or {@code null}
     */
    public HttpStatusException(int status, String url, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.url = url;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The URL, without credentials. */
    public String url() {
        return url;
    }
}
