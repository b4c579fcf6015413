package io.geocrop.raster.tiff;

import io.geocrop.raster.ByteRange;
import io.geocrop.raster.RasterFormatException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TileOffsets/TileByteCounts (or StripOffsets/StripByteCounts) arrays of one image, loaded lazily in
 * blocks of {@value #BLOCK} entries: a window read only loads the blocks holding its chunks, from memory when
 * the arrays lie in the already-fetched header bytes (the COG case), otherwise with one batched read. Loaded
 * blocks are cached up to a bound. Thread-safe.
 */
public final class ChunkTable {
    static final int BLOCK = 4096;
    private static final int MAX_CACHED_BLOCKS = 256;

    private final TiffBytes bytes;
    private final TiffEntry offsets;
    private final TiffEntry byteCounts;
    private final int chunkCount;
    private final String where;
    private final Map<Integer, long[][]> cache = new ConcurrentHashMap<>();

    /**
     * A table over two entries that must both hold at least {@code chunkCount} unsigned integers lying inside
     * the file.
     */
    public ChunkTable(TiffBytes bytes, TiffEntry offsets, TiffEntry byteCounts, int chunkCount, String where)
            throws RasterFormatException {
        this.bytes = bytes;
        this.offsets = offsets;
        this.byteCounts = byteCounts;
        this.chunkCount = chunkCount;
        this.where = where;
        for (TiffEntry e : List.of(offsets, byteCounts)) {
            int type = e.type();
            if (type != TiffTags.TYPE_SHORT && type != TiffTags.TYPE_LONG && type != TiffTags.TYPE_LONG8
                    && type != TiffTags.TYPE_IFD && type != TiffTags.TYPE_IFD8) {
                throw new RasterFormatException(where + ": " + TiffEntry.tagName(e.tag()) + " has type "
                        + TiffEntry.typeName(type) + ", expected SHORT, LONG or LONG8");
            }
            if (e.count() < chunkCount) {
                throw new RasterFormatException(where + ": " + TiffEntry.tagName(e.tag()) + " has " + e.count()
                        + " entries but the image has " + chunkCount + " tiles/strips");
            }
            bytes.checkInFile(e.valueOffset(), (long) chunkCount * TiffEntry.typeSize(type), TiffEntry.tagName(e.tag()) + " array");
        }
    }

    /** Number of chunks (tiles or strips, all planes). */
    public int chunkCount() {
        return chunkCount;
    }

    /**
     * Offsets and byte counts of the given chunks, as {@code {offsets[], byteCounts[]}} aligned with
     * {@code chunks}; blocks not in memory are fetched with one {@code ByteSource.read(List)} call.
     */
    public long[][] lookup(int[] chunks) throws IOException {
        TreeSet<Integer> needed = new TreeSet<>();
        for (int c : chunks) {
            if (c < 0 || c >= chunkCount) {
                throw new IllegalArgumentException("chunk " + c + " out of range 0.." + (chunkCount - 1));
            }
            needed.add(c / BLOCK);
        }
        Map<Integer, long[][]> blocks = new java.util.HashMap<>();
        List<Integer> toFetch = new ArrayList<>();
        List<ByteRange> ranges = new ArrayList<>();
        for (int b : needed) {
            long[][] cached = cache.get(b);
            if (cached != null) {
                blocks.put(b, cached);
                continue;
            }
            ByteRange ro = blockRange(offsets, b);
            ByteRange rc = blockRange(byteCounts, b);
            if (bytes.has(ro.offset(), ro.length()) && bytes.has(rc.offset(), rc.length())) {
                blocks.put(b, remember(b, new long[][] {decode(offsets, bytes.copy(ro.offset(), ro.length())),
                        decode(byteCounts, bytes.copy(rc.offset(), rc.length()))}));
            } else {
                toFetch.add(b);
                ranges.add(ro);
                ranges.add(rc);
            }
        }
        if (!toFetch.isEmpty()) {
            List<byte[]> data = bytes.source().read(ranges);
            for (int i = 0; i < toFetch.size(); i++) {
                byte[] o = data.get(2 * i);
                byte[] c = data.get(2 * i + 1);
                if (o.length < ranges.get(2 * i).length() || c.length < ranges.get(2 * i + 1).length()) {
                    throw new RasterFormatException(where + ": truncated file: tile/strip offset table could not be read in full");
                }
                int b = toFetch.get(i);
                blocks.put(b, remember(b, new long[][] {decode(offsets, o), decode(byteCounts, c)}));
            }
        }
        long[][] out = new long[2][chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            long[][] block = blocks.get(chunks[i] / BLOCK);
            out[0][i] = block[0][chunks[i] % BLOCK];
            out[1][i] = block[1][chunks[i] % BLOCK];
        }
        return out;
    }

    private long[][] remember(int block, long[][] data) {
        if (cache.size() >= MAX_CACHED_BLOCKS) {
            cache.clear();
        }
        cache.put(block, data);
        return data;
    }

    private ByteRange blockRange(TiffEntry e, int block) {
        int size = TiffEntry.typeSize(e.type());
        long first = (long) block * BLOCK;
        long n = Math.min(BLOCK, chunkCount - first);
        return new ByteRange(e.valueOffset() + first * size, (int) (n * size));
    }

    private long[] decode(TiffEntry e, byte[] raw) {
        int size = TiffEntry.typeSize(e.type());
        long[] values = new long[raw.length / size];
        for (int i = 0; i < values.length; i++) {
            values[i] = Endian.get(raw, i * size, size, bytes.littleEndian());
        }
        return values;
    }
}
