package io.geocrop.raster.tiff;

/** Unsigned integer decoding from byte arrays in either byte order. */
final class Endian {
    private Endian() {}

    /** The {@code size}-byte unsigned integer at {@code pos} (8-byte values may come back negative). */
    static long get(byte[] b, int pos, int size, boolean littleEndian) {
        long v = 0;
        if (littleEndian) {
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (b[pos + i] & 0xFF);
            }
        } else {
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (b[pos + i] & 0xFF);
            }
        }
        return v;
    }
}
