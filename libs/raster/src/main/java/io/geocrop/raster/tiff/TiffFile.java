package io.geocrop.raster.tiff;

import io.geocrop.raster.ByteRange;
import io.geocrop.raster.ByteSource;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.ReadLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structure of a classic or BigTIFF file in either byte order: header and the whole IFD chain, with the
 * small tag values every reader needs loaded up front and the big arrays (tile/strip offsets and byte counts)
 * left for {@link ChunkTable} to load lazily. For a COG all of this usually costs one read of the source.
 */
public final class TiffFile {
    /** Tags whose out-of-line values are fetched with the directory, in one batched read. */
    private static final int[] EAGER_TAGS = {
            TiffTags.BITS_PER_SAMPLE, TiffTags.SAMPLE_FORMAT, TiffTags.EXTRA_SAMPLES, TiffTags.COLOR_MAP,
            TiffTags.MODEL_PIXEL_SCALE, TiffTags.MODEL_TIEPOINT, TiffTags.MODEL_TRANSFORMATION,
            TiffTags.GEO_KEY_DIRECTORY, TiffTags.GEO_DOUBLE_PARAMS, TiffTags.GEO_ASCII_PARAMS,
            TiffTags.GDAL_METADATA, TiffTags.GDAL_NODATA};

    private final TiffBytes bytes;
    private final boolean bigTiff;
    private final List<TiffDirectory> directories;

    private TiffFile(TiffBytes bytes, boolean bigTiff, List<TiffDirectory> directories) {
        this.bytes = bytes;
        this.bigTiff = bigTiff;
        this.directories = List.copyOf(directories);
    }

    /**
     * Parses the header and IFD chain of {@code source}.
     *
     * @throws RasterFormatException if the file is not a TIFF, is truncated or malformed, or exceeds a limit
     */
    public static TiffFile parse(ByteSource source, ReadLimits limits) throws IOException {
        TiffBytes bytes = TiffBytes.open(source);
        int version = bytes.u16(2);
        boolean big;
        long firstIfd;
        if (version == 42) {
            big = false;
            firstIfd = bytes.u32(4);
        } else if (version == 43) {
            big = true;
            bytes.ensure(0, 16, "BigTIFF header");
            int offsetSize = bytes.u16(4);
            if (offsetSize != 8 || bytes.u16(6) != 0) {
                throw new RasterFormatException(bytes.describe() + ": malformed BigTIFF header: offset size "
                        + offsetSize + ", expected 8");
            }
            firstIfd = bytes.u64(8);
        } else {
            throw new RasterFormatException(bytes.describe() + ": not a TIFF file: version " + version
                    + " (expected 42 for TIFF or 43 for BigTIFF)");
        }
        if (firstIfd == 0) {
            throw new RasterFormatException(bytes.describe() + ": TIFF file has no image (first IFD offset is 0)");
        }
        List<TiffDirectory> directories = readChain(bytes, big, firstIfd, limits);
        preloadValues(bytes, directories, limits);
        return new TiffFile(bytes, big, directories);
    }

    private static List<TiffDirectory> readChain(TiffBytes bytes, boolean big, long firstIfd, ReadLimits limits)
            throws IOException {
        int headerSize = big ? 16 : 8;
        int countSize = big ? 8 : 2;
        int entrySize = big ? 20 : 12;
        int nextSize = big ? 8 : 4;
        List<TiffDirectory> directories = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long offset = firstIfd;
        while (offset != 0) {
            int index = directories.size();
            String what = "IFD " + index;
            if (index >= limits.maxIfds()) {
                throw new RasterFormatException(bytes.describe() + ": more than " + limits.maxIfds()
                        + " IFDs in the chain (limit maxIfds)");
            }
            if (!seen.add(offset)) {
                throw new RasterFormatException(bytes.describe() + ": IFD chain loops: IFD " + index
                        + " points back to offset " + offset);
            }
            if (offset < headerSize) {
                throw new RasterFormatException(bytes.describe() + ": " + what + " offset " + Long.toUnsignedString(offset)
                        + " points into the header");
            }
            bytes.ensure(offset, countSize, what);
            long count = big ? bytes.u64(offset) : bytes.u16(offset);
            if (count <= 0 || count > limits.maxTagsPerIfd()) {
                throw new RasterFormatException(bytes.describe() + ": " + what + " at offset " + offset + " has "
                        + Long.toUnsignedString(count) + " entries (expected 1.." + limits.maxTagsPerIfd() + ")");
            }
            long length = countSize + count * entrySize + nextSize;
            bytes.ensure(offset, length, what);
            Map<Integer, TiffEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                long e = offset + countSize + (long) i * entrySize;
                int tag = bytes.u16(e);
                int type = bytes.u16(e + 2);
                long n = big ? bytes.u64(e + 4) : bytes.u32(e + 4);
                long valueField = e + (big ? 12 : 8);
                int size = TiffEntry.typeSize(type);
                if (size == 0 || entries.containsKey(tag)) {
                    // Unknown types are skipped as TIFF 6.0 asks; libtiff also keeps the first of repeated tags.
                    continue;
                }
                if (n < 0) {
                    throw new RasterFormatException(bytes.describe() + ": " + what + ": " + TiffEntry.tagName(tag)
                            + " has a count of " + Long.toUnsignedString(n));
                }
                TiffEntry probe = new TiffEntry(tag, type, n, valueField);
                long valueOffset = probe.byteLength() <= (big ? 8 : 4) ? valueField
                        : big ? bytes.u64(valueField) : bytes.u32(valueField);
                entries.put(tag, new TiffEntry(tag, type, n, valueOffset));
            }
            directories.add(new TiffDirectory(bytes, index, offset, entries, limits.maxTagValueBytes()));
            long nextField = offset + countSize + count * entrySize;
            offset = big ? bytes.u64(nextField) : bytes.u32(nextField);
        }
        return directories;
    }

    /** Fetches all small out-of-line values the reader needs with at most one more read. */
    private static void preloadValues(TiffBytes bytes, List<TiffDirectory> directories, ReadLimits limits) throws IOException {
        List<ByteRange> ranges = new ArrayList<>();
        for (TiffDirectory d : directories) {
            for (int tag : EAGER_TAGS) {
                TiffEntry e = d.entry(tag);
                if (e == null) {
                    continue;
                }
                long len = e.byteLength();
                long off = e.valueOffset();
                // Values that are too big or outside the file are left alone here: the accessor reports them
                // if (and only if) the reader needs them.
                if (len <= limits.maxTagValueBytes() && off >= 0 && off <= bytes.length() && len <= bytes.length() - off) {
                    ranges.add(new ByteRange(off, (int) len));
                }
            }
        }
        bytes.ensureAll(ranges, "tag values");
    }

    /** The fetched bytes (and the source). */
    public TiffBytes bytes() {
        return bytes;
    }

    /** Whether the file is a BigTIFF. */
    public boolean bigTiff() {
        return bigTiff;
    }

    /** The IFDs in chain order. */
    public List<TiffDirectory> directories() {
        return directories;
    }
}
