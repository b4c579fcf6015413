package io.geocrop.raster.tiff;

import io.geocrop.raster.ByteRange;
import io.geocrop.raster.ByteSource;
import io.geocrop.raster.RasterFormatException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a TIFF file fetched so far: a prefix that starts with one read of the first 16 KiB and grows
 * (at most doubling per read) while the header, IFDs and their values lie just past it, plus a few separate
 * segments for far-away structures (e.g. the IFD at the end of a non-COG file). A COG's header, IFDs and tag
 * values therefore usually cost one read. Thread-safe.
 */
public final class TiffBytes {
    /** Size of the first read. */
    public static final int INITIAL_PREFIX = 16 * 1024;
    private static final int MIN_GROWTH = 64 * 1024;
    private static final int MIN_SEGMENT = 16 * 1024;
    /** The prefix never grows past this; farther structures are read as separate segments. */
    private static final int MAX_PREFIX = 8 << 20;

    private final ByteSource source;
    private final long length;
    private final boolean littleEndian;
    private byte[] prefix;
    private final List<Segment> segments = new ArrayList<>();

    private record Segment(long start, byte[] data) {
        boolean contains(long offset, long len) {
            return offset >= start && offset + len <= start + data.length;
        }
    }

    private TiffBytes(ByteSource source, long length, byte[] prefix, boolean littleEndian) {
        this.source = source;
        this.length = length;
        this.prefix = prefix;
        this.littleEndian = littleEndian;
    }

    /**
     * Reads the first bytes of {@code source} (one read) and checks the byte-order mark.
     *
     * @throws RasterFormatException if the file is too short or does not start with "II" or "MM"
     */
    public static TiffBytes open(ByteSource source) throws IOException {
        long length = source.length();
        if (length < 8) {
            throw new RasterFormatException(source.describe() + ": not a TIFF file: only " + length + " bytes long");
        }
        int first = (int) Math.min(length, INITIAL_PREFIX);
        byte[] prefix = source.read(0, first);
        if (prefix.length < 8) {
            throw new RasterFormatException(source.describe() + ": not a TIFF file: could read only " + prefix.length + " bytes");
        }
        boolean little;
        if (prefix[0] == 'I' && prefix[1] == 'I') {
            little = true;
        } else if (prefix[0] == 'M' && prefix[1] == 'M') {
            little = false;
        } else {
            throw new RasterFormatException(source.describe() + ": not a TIFF file: bad byte-order mark 0x"
                    + String.format("%02x%02x", prefix[0] & 0xFF, prefix[1] & 0xFF) + " (expected \"II\" or \"MM\")");
        }
        return new TiffBytes(source, length, prefix, little);
    }

    /** The source these bytes come from. */
    public ByteSource source() {
        return source;
    }

    /** The source's description, for error messages. */
    public String describe() {
        return source.describe();
    }

    /** Total file length in bytes. */
    public long length() {
        return length;
    }

    /** True for "II" (little-endian) files. */
    public boolean littleEndian() {
        return littleEndian;
    }

    /** Whether {@code len} bytes at {@code offset} are already in memory. */
    public synchronized boolean has(long offset, long len) {
        if (offset >= 0 && len >= 0 && offset + len <= prefix.length) {
            return true;
        }
        for (Segment s : segments) {
            if (s.contains(offset, len)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes {@code len} bytes at {@code offset} available, fetching them with at most one read.
     *
     * @param what what lies there, for the error message if it lies outside the file
     */
    public synchronized void ensure(long offset, long len, String what) throws IOException {
        checkInFile(offset, len, what);
        if (has(offset, len)) {
            return;
        }
        long end = offset + len;
        if (end <= MAX_PREFIX && end - prefix.length <= Math.max(prefix.length, MIN_GROWTH)) {
            growPrefix(Math.min(Math.min(length, MAX_PREFIX), Math.max(end, 2L * prefix.length)), what);
        } else {
            long segmentEnd = Math.min(length, offset + Math.max(len, MIN_SEGMENT));
            byte[] data = readFully(offset, (int) (segmentEnd - offset), what);
            segments.add(new Segment(offset, data));
        }
    }

    /** Makes all {@code ranges} available with at most one read (a prefix extension or one list read). */
    public synchronized void ensureAll(List<ByteRange> ranges, String what) throws IOException {
        List<ByteRange> missing = new ArrayList<>();
        long maxEnd = 0;
        for (ByteRange r : ranges) {
            checkInFile(r.offset(), r.length(), what);
            if (!has(r.offset(), r.length())) {
                missing.add(r);
                maxEnd = Math.max(maxEnd, r.end());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (maxEnd <= MAX_PREFIX && maxEnd - prefix.length <= Math.max(prefix.length, MIN_GROWTH)) {
            growPrefix(maxEnd, what);
            return;
        }
        List<byte[]> data = source.read(missing);
        if (data.size() != missing.size()) {
            throw new RasterFormatException(describe() + ": source returned " + data.size() + " ranges for "
                    + missing.size() + " requested while reading " + what);
        }
        for (int i = 0; i < missing.size(); i++) {
            ByteRange r = missing.get(i);
            if (data.get(i).length < r.length()) {
                throw truncated(r.offset(), r.length(), data.get(i).length, what);
            }
            segments.add(new Segment(r.offset(), data.get(i)));
        }
    }

    private void growPrefix(long newLength, String what) throws IOException {
        int oldLength = prefix.length;
        if (newLength <= oldLength) {
            return;
        }
        byte[] tail = readFully(oldLength, (int) (newLength - oldLength), what);
        byte[] grown = new byte[(int) newLength];
        System.arraycopy(prefix, 0, grown, 0, oldLength);
        System.arraycopy(tail, 0, grown, oldLength, tail.length);
        prefix = grown;
    }

    private byte[] readFully(long offset, int len, String what) throws IOException {
        byte[] data = source.read(offset, len);
        if (data.length < len) {
            throw truncated(offset, len, data.length, what);
        }
        return data;
    }

    private RasterFormatException truncated(long offset, long wanted, int got, String what) {
        return new RasterFormatException(describe() + ": truncated file: reading " + what + " at offset " + offset
                + " returned " + got + " of " + wanted + " bytes");
    }

    /** Throws if {@code len} bytes at {@code offset} are not inside the file. */
    public void checkInFile(long offset, long len, String what) throws RasterFormatException {
        if (offset < 0 || len < 0 || len > Integer.MAX_VALUE - 16 || offset > length || len > length - offset) {
            throw new RasterFormatException(describe() + ": " + what + " at offset " + Long.toUnsignedString(offset)
                    + " (" + Long.toUnsignedString(len) + " bytes) lies outside the file (" + length + " bytes): truncated or corrupt file");
        }
    }

    /** Copies {@code len} in-memory bytes at {@code offset}; call {@link #ensure} first. */
    public synchronized byte[] copy(long offset, int len) {
        byte[] out = new byte[len];
        if (offset + len <= prefix.length) {
            System.arraycopy(prefix, (int) offset, out, 0, len);
            return out;
        }
        for (Segment s : segments) {
            if (s.contains(offset, len)) {
                System.arraycopy(s.data, (int) (offset - s.start), out, 0, len);
                return out;
            }
        }
        throw new IllegalStateException("bytes " + offset + "+" + len + " were not loaded");
    }

    /** Unsigned 16-bit value at {@code offset} (must be loaded). */
    public int u16(long offset) {
        return (int) Endian.get(copy(offset, 2), 0, 2, littleEndian);
    }

    /** Unsigned 32-bit value at {@code offset} (must be loaded). */
    public long u32(long offset) {
        return Endian.get(copy(offset, 4), 0, 4, littleEndian);
    }

    /** 64-bit value at {@code offset} (must be loaded); values of 2^63 and more come back negative. */
    public long u64(long offset) {
        return Endian.get(copy(offset, 8), 0, 8, littleEndian);
    }
}
