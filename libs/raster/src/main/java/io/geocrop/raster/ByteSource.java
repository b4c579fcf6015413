package io.geocrop.raster;

import java.io.IOException;

/**
 * Random-access bytes of one file: a local file, an HTTP(S) URL read with range requests, or an object read
 * with ranged GETs. Implementations are thread-safe.
 */
public interface ByteSource extends AutoCloseable {

    /** Total length in bytes. */
    long length() throws IOException;

    /**
     * Reads {@code length} bytes at {@code offset}; fewer only at the end of the file. Throws
     * {@link java.io.EOFException} if {@code offset} is past the end.
     */
    byte[] read(long offset, int length) throws IOException;

    /**
     * Reads several ranges, in the order given. Remote sources override this to merge adjacent or nearby
     * ranges into one request; the default reads them one by one.
     */
    default java.util.List<byte[]> read(java.util.List<ByteRange> ranges) throws IOException {
        java.util.List<byte[]> out = new java.util.ArrayList<>(ranges.size());
        for (ByteRange r : ranges) {
            out.add(read(r.offset(), r.length()));
        }
        return out;
    }

    /** Where the bytes come from, for error messages (never contains credentials). */
    String describe();

    @Override
    default void close() throws IOException {}
}
