package io.geocrop.raster;

/** {@code length} bytes starting at {@code offset}. */
public record ByteRange(long offset, int length) {
    public ByteRange {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("byte range must be non-negative, got " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
