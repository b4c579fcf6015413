package io.geocrop.raster.cog;

import io.geocrop.raster.tiff.TiffTags;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One little-endian TIFF or BigTIFF image file directory being written: entries sorted by tag, then the values
 * too large to sit inside their entry, each on an even offset. The serialized size depends only on the entries'
 * types and counts, never on their values, so a writer can lay out every IFD before it knows the tile offsets.
 */
public final class TiffIfd {
    private record Entry(int tag, int type, long count, byte[] value) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Adds SHORT values. */
    public TiffIfd shorts(int tag, int... values) {
        ByteBuffer b = buffer(values.length * 2L);
        for (int v : values) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("tag " + tag + ": " + v + " does not fit a TIFF SHORT");
            }
            b.putShort((short) v);
        }
        return add(tag, TiffTags.TYPE_SHORT, values.length, b);
    }

    /** Adds one value as SHORT when it fits, LONG otherwise (as libtiff does for image sizes). */
    public TiffIfd shortOrLong(int tag, long value) {
        return value <= 0xFFFF ? shorts(tag, (int) value) : longs(tag, value);
    }

    /** Adds LONG (uint32) values. */
    public TiffIfd longs(int tag, long... values) {
        ByteBuffer b = buffer(values.length * 4L);
        for (long v : values) {
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("tag " + tag + ": " + v + " does not fit a TIFF LONG");
            }
            b.putInt((int) v);
        }
        return add(tag, TiffTags.TYPE_LONG, values.length, b);
    }

    /** Adds LONG8 (uint64, BigTIFF only) values. */
    public TiffIfd long8s(int tag, long... values) {
        ByteBuffer b = buffer(values.length * 8L);
        for (long v : values) b.putLong(v);
        return add(tag, TiffTags.TYPE_LONG8, values.length, b);
    }

    /** Adds DOUBLE values. */
    public TiffIfd doubles(int tag, double... values) {
        ByteBuffer b = buffer(values.length * 8L);
        for (double v : values) b.putDouble(v);
        return add(tag, TiffTags.TYPE_DOUBLE, values.length, b);
    }

    /** Adds an ASCII value: the UTF-8 bytes of {@code text} and a terminating NUL (GDAL stores UTF-8 there). */
    public TiffIfd ascii(int tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = buffer(bytes.length + 1L);
        b.put(bytes).put((byte) 0);
        return add(tag, TiffTags.TYPE_ASCII, bytes.length + 1, b);
    }

    private static ByteBuffer buffer(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TIFF tag value of " + size + " bytes is too large");
        }
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private TiffIfd add(int tag, int type, long count, ByteBuffer value) {
        for (Entry e : entries) {
            if (e.tag == tag) {
                throw new IllegalStateException("tag " + tag + " added twice");
            }
        }
        entries.add(new Entry(tag, type, count, value.array()));
        entries.sort(Comparator.comparingInt(Entry::tag));
        return this;
    }

    /** Bytes this IFD occupies, entries and out-of-line values included, rounded up to an even size. */
    public long size(boolean bigTiff) {
        int inline = bigTiff ? 8 : 4;
        long size = bigTiff ? 8 + 20L * entries.size() + 8 : 2 + 12L * entries.size() + 4;
        for (Entry e : entries) {
            if (e.value.length > inline) {
                size += even(e.value.length);
            }
        }
        return even(size);
    }

    /**
     * The IFD as it sits at {@code offset} in the file, pointing to the next IFD at {@code nextIfdOffset}
     * (0 for the last).
     */
    public byte[] serialize(long offset, long nextIfdOffset, boolean bigTiff) {
        int inline = bigTiff ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate((int) size(bigTiff)).order(ByteOrder.LITTLE_ENDIAN);
        long dataOffset = offset + (bigTiff ? 8 + 20L * entries.size() + 8 : 2 + 12L * entries.size() + 4);
        if (bigTiff) {
            b.putLong(entries.size());
        } else {
            b.putShort((short) entries.size());
        }
        List<byte[]> outOfLine = new ArrayList<>();
        for (Entry e : entries) {
            b.putShort((short) e.tag).putShort((short) e.type);
            if (bigTiff) {
                b.putLong(e.count);
            } else {
                b.putInt((int) e.count);
            }
            if (e.value.length <= inline) {
                byte[] field = new byte[inline];
                System.arraycopy(e.value, 0, field, 0, e.value.length);
                b.put(field);
            } else {
                if (bigTiff) {
                    b.putLong(dataOffset);
                } else {
                    b.putInt((int) dataOffset);
                }
                outOfLine.add(e.value);
                dataOffset += even(e.value.length);
            }
        }
        if (bigTiff) {
            b.putLong(nextIfdOffset);
        } else {
            b.putInt((int) nextIfdOffset);
        }
        for (byte[] v : outOfLine) {
            b.put(v);
            if ((v.length & 1) == 1) {
                b.put((byte) 0);
            }
        }
        return b.array();
    }

    private static long even(long n) {
        return (n + 1) & ~1L;
    }
}
