package io.geocrop.tiles;

/** The tile does not overlap the layer's data at all: HTTP answers 404 rather than an empty image. */
public final class TileOutsideLayerException extends RuntimeException {
    public TileOutsideLayerException(String message) {
        super(message);
    }
}
