package io.geocrop.raster;

import java.io.IOException;

/**
 * A file is not a GeoTIFF this library can read, is truncated or malformed, or exceeds a safety limit. The
 * message names the source and what is wrong.
 */
public class RasterFormatException extends IOException {
    public RasterFormatException(String message) {
        super(message);
    }

    public RasterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
