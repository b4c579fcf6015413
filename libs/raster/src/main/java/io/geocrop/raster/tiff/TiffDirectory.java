package io.geocrop.raster.tiff;

import io.geocrop.raster.RasterFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

/**
 * One parsed IFD: its entries by tag and typed accessors that load a value (with at most one read if it is
 * not in memory yet), check its type and size, and name the source, IFD and tag in every error.
 */
public final class TiffDirectory {
    private final TiffBytes bytes;
    private final int index;
    private final long offset;
    private final Map<Integer, TiffEntry> entries;
    private final int maxValueBytes;

    /** A directory over already-parsed entries; {@code maxValueBytes} bounds what the accessors load. */
    public TiffDirectory(TiffBytes bytes, int index, long offset, Map<Integer, TiffEntry> entries, int maxValueBytes) {
        this.bytes = bytes;
        this.index = index;
        this.offset = offset;
        this.entries = Collections.unmodifiableMap(entries);
        this.maxValueBytes = maxValueBytes;
    }

    /** Position of this IFD in the chain (0 = first). */
    public int index() {
        return index;
    }

    /** File offset of this IFD. */
    public long offset() {
        return offset;
    }

    /** The entries by tag (the first one wins if a tag repeats). */
    public Map<Integer, TiffEntry> entries() {
        return entries;
    }

    /** Whether the tag is present. */
    public boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** The entry for {@code tag}, or null. */
    public TiffEntry entry(int tag) {
        return entries.get(tag);
    }

    /** The bytes this directory reads from. */
    public TiffBytes bytes() {
        return bytes;
    }

    /** A prefix for error messages: source and IFD. */
    public String where() {
        return bytes.describe() + ": IFD " + index + " (offset " + offset + ")";
    }

    /** A format error naming this IFD. */
    public RasterFormatException error(String what) {
        return new RasterFormatException(where() + ": " + what);
    }

    private byte[] raw(TiffEntry e) throws IOException {
        long len = e.byteLength();
        if (len > maxValueBytes) {
            throw error(TiffEntry.tagName(e.tag()) + " has " + Long.toUnsignedString(e.count()) + " values ("
                    + len + " bytes), more than the limit of " + maxValueBytes + " bytes");
        }
        String what = TiffEntry.tagName(e.tag()) + " value of IFD " + index;
        bytes.ensure(e.valueOffset(), len, what);
        return bytes.copy(e.valueOffset(), (int) len);
    }

    /** All values of an integer-typed tag, or null if absent. Signed types are sign-extended. */
    public long[] integers(int tag) throws IOException {
        TiffEntry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        if (!TiffEntry.isIntegerType(e.type())) {
            throw error(TiffEntry.tagName(tag) + " has type " + TiffEntry.typeName(e.type()) + ", expected an integer type");
        }
        byte[] raw = raw(e);
        int size = TiffEntry.typeSize(e.type());
        int n = raw.length / size;
        long[] out = new long[n];
        boolean little = bytes.littleEndian();
        for (int i = 0; i < n; i++) {
            long v = Endian.get(raw, i * size, size, little);
            out[i] = switch (e.type()) {
                case TiffTags.TYPE_SBYTE -> (byte) v;
                case TiffTags.TYPE_SSHORT -> (short) v;
                case TiffTags.TYPE_SLONG -> (int) v;
                default -> v;
            };
        }
        return out;
    }

    /** The first value of an integer tag, or {@code defaultValue} if the tag is absent. */
    public long integer(int tag, long defaultValue) throws IOException {
        long[] values = integers(tag);
        if (values == null) {
            return defaultValue;
        }
        if (values.length == 0) {
            throw error(TiffEntry.tagName(tag) + " has no values");
        }
        return values[0];
    }

    /**
     * The first value of a tag that must hold one positive integer that fits an int, e.g. ImageWidth.
     *
     * @throws RasterFormatException if the tag is absent (and required), empty, zero, negative or too large
     */
    public int positiveInt(int tag, int defaultValue, boolean required) throws IOException {
        if (!has(tag)) {
            if (required) {
                throw error("required " + TiffEntry.tagName(tag) + " is missing");
            }
            return defaultValue;
        }
        long v = integer(tag, defaultValue);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error(TiffEntry.tagName(tag) + " is " + Long.toUnsignedString(v) + ", expected 1.." + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** All values of a numeric tag as doubles (integers, rationals, floats, doubles), or null if absent. */
    public double[] doubles(int tag) throws IOException {
        TiffEntry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        int type = e.type();
        if (type == TiffTags.TYPE_DOUBLE || type == TiffTags.TYPE_FLOAT || type == TiffTags.TYPE_RATIONAL
                || type == TiffTags.TYPE_SRATIONAL) {
            byte[] raw = raw(e);
            boolean little = bytes.littleEndian();
            int size = TiffEntry.typeSize(type);
            double[] out = new double[raw.length / size];
            for (int i = 0; i < out.length; i++) {
                int p = i * size;
                out[i] = switch (type) {
                    case TiffTags.TYPE_DOUBLE -> Double.longBitsToDouble(Endian.get(raw, p, 8, little));
                    case TiffTags.TYPE_FLOAT -> Float.intBitsToFloat((int) Endian.get(raw, p, 4, little));
                    case TiffTags.TYPE_RATIONAL -> (double) Endian.get(raw, p, 4, little) / Endian.get(raw, p + 4, 4, little);
                    default -> (double) (int) Endian.get(raw, p, 4, little) / (int) Endian.get(raw, p + 4, 4, little);
                };
            }
            return out;
        }
        if (TiffEntry.isIntegerType(type)) {
            long[] ints = integers(tag);
            double[] out = new double[ints.length];
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i];
            }
            return out;
        }
        throw error(TiffEntry.tagName(tag) + " has type " + TiffEntry.typeName(type) + ", expected a numeric type");
    }

    /** An ASCII tag's text up to its first NUL (decoded as UTF-8, as GDAL writes it), or null if absent. */
    public String ascii(int tag) throws IOException {
        TiffEntry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        if (e.type() != TiffTags.TYPE_ASCII && e.type() != TiffTags.TYPE_BYTE && e.type() != TiffTags.TYPE_UNDEFINED) {
            throw error(TiffEntry.tagName(tag) + " has type " + TiffEntry.typeName(e.type()) + ", expected ASCII");
        }
        byte[] raw = raw(e);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }
}
