package io.geocrop.raster;

import io.geocrop.raster.tiff.TiffTags;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A tiny TIFF writer for hand-made test files, valid or deliberately broken: any tag with any type, count and
 * bytes, or an entry whose count and offset are set by hand; tile/strip data; overridden IFD chain pointers.
 */
final class TiffBuilder {
    private final boolean little;
    private final boolean big;
    private final List<Ifd> ifds = new ArrayList<>();
    private Long firstIfdOverride;

    TiffBuilder(boolean littleEndian, boolean bigTiff) {
        this.little = littleEndian;
        this.big = bigTiff;
    }

    /** A classic little-endian single-band image of {@code w x h} tiles with the given structure tags set. */
    static TiffBuilder simpleTiled(int width, int height, int tile, int bits, int format, int compression, List<byte[]> tiles) {
        TiffBuilder b = new TiffBuilder(true, false);
        Ifd ifd = b.ifd();
        ifd.longs(TiffTags.IMAGE_WIDTH, width).longs(TiffTags.IMAGE_LENGTH, height)
                .shorts(TiffTags.BITS_PER_SAMPLE, bits).shorts(TiffTags.COMPRESSION, compression)
                .shorts(TiffTags.PHOTOMETRIC, 1).shorts(TiffTags.SAMPLES_PER_PIXEL, 1)
                .shorts(TiffTags.SAMPLE_FORMAT, format).longs(TiffTags.TILE_WIDTH, tile).longs(TiffTags.TILE_LENGTH, tile)
                .chunks(TiffTags.TILE_OFFSETS, TiffTags.TILE_BYTE_COUNTS, tiles);
        return b;
    }

    /** Starts a new IFD at the end of the chain. */
    Ifd ifd() {
        Ifd i = new Ifd();
        ifds.add(i);
        return i;
    }

    /** The IFDs added so far. */
    List<Ifd> ifds() {
        return ifds;
    }

    /** Points the header at this offset instead of the first IFD. */
    TiffBuilder firstIfd(long offset) {
        firstIfdOverride = offset;
        return this;
    }

    /** One IFD under construction. */
    final class Ifd {
        final TreeMap<Integer, Entry> entries = new TreeMap<>();
        /** Tags set or removed by hand after chunks(): build() leaves them as they are. */
        final java.util.Set<Integer> manual = new java.util.HashSet<>();
        private boolean building;
        Long nextOverride;
        final List<byte[]> chunkData = new ArrayList<>();
        int offsetsTag = -1;
        int countsTag = -1;
        long[] countOverrides;

        Ifd raw(int tag, int type, long count, byte[] value) {
            entries.put(tag, new Entry(tag, type, count, value, null));
            if (!building) {
                manual.add(tag);
            }
            return this;
        }

        /** An entry whose count and value offset are given as is (the value is not written). */
        Ifd rawOffset(int tag, int type, long count, long offset) {
            entries.put(tag, new Entry(tag, type, count, null, offset));
            manual.add(tag);
            return this;
        }

        Ifd shorts(int tag, int... v) {
            ByteBuffer b = buf(v.length * 2);
            for (int x : v) {
                b.putShort((short) x);
            }
            return raw(tag, TiffTags.TYPE_SHORT, v.length, b.array());
        }

        Ifd longs(int tag, long... v) {
            ByteBuffer b = buf(v.length * 4);
            for (long x : v) {
                b.putInt((int) x);
            }
            return raw(tag, TiffTags.TYPE_LONG, v.length, b.array());
        }

        Ifd long8s(int tag, long... v) {
            ByteBuffer b = buf(v.length * 8);
            for (long x : v) {
                b.putLong(x);
            }
            return raw(tag, TiffTags.TYPE_LONG8, v.length, b.array());
        }

        Ifd doubles(int tag, double... v) {
            ByteBuffer b = buf(v.length * 8);
            for (double x : v) {
                b.putDouble(x);
            }
            return raw(tag, TiffTags.TYPE_DOUBLE, v.length, b.array());
        }

        Ifd ascii(int tag, String s) {
            byte[] text = (s + "\0").getBytes(StandardCharsets.UTF_8);
            return raw(tag, TiffTags.TYPE_ASCII, text.length, text);
        }

        /** Writes the chunks and adds offset/byte-count tags (LONG) pointing at them. */
        Ifd chunks(int offsetsTag, int countsTag, List<byte[]> data) {
            this.offsetsTag = offsetsTag;
            this.countsTag = countsTag;
            manual.remove(offsetsTag);
            manual.remove(countsTag);
            chunkData.clear();
            chunkData.addAll(data);
            return this;
        }

        /** Byte counts written instead of the chunks' real lengths. */
        Ifd byteCounts(long... counts) {
            countOverrides = counts;
            return this;
        }

        Ifd next(long offset) {
            nextOverride = offset;
            return this;
        }

        Ifd remove(int tag) {
            entries.remove(tag);
            manual.add(tag);
            return this;
        }
    }

    private record Entry(int tag, int type, long count, byte[] value, Long offset) {}

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    /** Offsets of the IFDs in the last built file. */
    final List<Long> ifdOffsets = new ArrayList<>();

    byte[] build() {
        Out out = new Out();
        out.bytes(little ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        out.u16(big ? 43 : 42);
        if (big) {
            out.u16(8);
            out.u16(0);
        }
        int firstPointer = out.size();
        out.offset(0);
        List<Integer> nextPointers = new ArrayList<>();
        ifdOffsets.clear();
        for (Ifd ifd : ifds) {
            if (ifd.offsetsTag >= 0) {
                long[] offs = new long[ifd.chunkData.size()];
                long[] counts = new long[ifd.chunkData.size()];
                for (int i = 0; i < offs.length; i++) {
                    offs[i] = out.size();
                    counts[i] = ifd.countOverrides != null ? ifd.countOverrides[i] : ifd.chunkData.get(i).length;
                    out.bytes(ifd.chunkData.get(i));
                }
                ifd.building = true;
                if (!ifd.manual.contains(ifd.offsetsTag)) {
                    if (big) {
                        ifd.long8s(ifd.offsetsTag, offs);
                    } else {
                        ifd.longs(ifd.offsetsTag, offs);
                    }
                }
                if (!ifd.manual.contains(ifd.countsTag)) {
                    if (big) {
                        ifd.long8s(ifd.countsTag, counts);
                    } else {
                        ifd.longs(ifd.countsTag, counts);
                    }
                }
                ifd.building = false;
            }
            int inline = big ? 8 : 4;
            TreeMap<Integer, Long> valueOffsets = new TreeMap<>();
            for (Entry e : ifd.entries.values()) {
                if (e.value != null && e.value.length > inline) {
                    if (out.size() % 2 == 1) {
                        out.bytes(new byte[1]);
                    }
                    valueOffsets.put(e.tag, (long) out.size());
                    out.bytes(e.value);
                }
            }
            if (out.size() % 2 == 1) {
                out.bytes(new byte[1]);
            }
            ifdOffsets.add((long) out.size());
            if (big) {
                out.u64(ifd.entries.size());
            } else {
                out.u16(ifd.entries.size());
            }
            for (Entry e : ifd.entries.values()) {
                out.u16(e.tag);
                out.u16(e.type);
                if (big) {
                    out.u64(e.count);
                } else {
                    out.u32(e.count);
                }
                if (e.offset != null) {
                    out.offset(e.offset);
                } else if (valueOffsets.containsKey(e.tag)) {
                    out.offset(valueOffsets.get(e.tag));
                } else {
                    byte[] field = new byte[inline];
                    System.arraycopy(e.value, 0, field, 0, e.value.length);
                    out.bytes(field);
                }
            }
            nextPointers.add(out.size());
            out.offset(0);
        }
        byte[] data = out.toByteArray();
        patch(data, firstPointer, firstIfdOverride != null ? firstIfdOverride : ifdOffsets.get(0));
        for (int i = 0; i < ifds.size(); i++) {
            Long override = ifds.get(i).nextOverride;
            long next = override != null ? override : i + 1 < ifds.size() ? ifdOffsets.get(i + 1) : 0;
            patch(data, nextPointers.get(i), next);
        }
        return data;
    }

    private void patch(byte[] data, int at, long value) {
        ByteBuffer b = ByteBuffer.wrap(data).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        if (big) {
            b.putLong(at, value);
        } else {
            b.putInt(at, (int) value);
        }
    }

    private final class Out extends ByteArrayOutputStream {
        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void u16(int v) {
            bytes(buf(2).putShort((short) v).array());
        }

        void u32(long v) {
            bytes(buf(4).putInt((int) v).array());
        }

        void u64(long v) {
            bytes(buf(8).putLong(v).array());
        }

        void offset(long v) {
            if (big) {
                u64(v);
            } else {
                u32(v);
            }
        }
    }
}
