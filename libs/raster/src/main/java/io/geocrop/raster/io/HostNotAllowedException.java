package io.geocrop.raster.io;

import java.io.IOException;

/**
 * A URL (or a redirect) points at a host outside {@link HttpSettings#allowedHosts()}, or uses a scheme other than
 * http/https. Thrown before any request is sent to it.
 */
public class HostNotAllowedException extends IOException {
    private final String host;

    /**
     * @param host    the refused host
     * @param message names the URL (without credentials) and the allowlist
     */
    public HostNotAllowedException(String host, String message) {
        super(message);
        this.host = host;
    }

    /** The refused host. */
    public String host() {
        return host;
    }
}
