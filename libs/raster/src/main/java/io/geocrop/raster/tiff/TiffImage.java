package io.geocrop.raster.tiff;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.raster.ByteRange;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.ReadLimits;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.codec.Decompressor;
import io.geocrop.raster.codec.Decompressors;
import io.geocrop.raster.codec.Predictors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The validated image structure of one IFD (size, samples, tiling or strips, planar configuration,
 * compression, predictor) and window reads from it: only the chunks the window touches are fetched, with one
 * {@code ByteSource.read(List)} call, and decoded in parallel when there are several.
 */
public final class TiffImage {
    /** Reads with at least this many chunks are decoded on the shared pool. */
    private static final int PARALLEL_THRESHOLD = 4;

    private final TiffDirectory directory;
    private final TiffBytes bytes;
    private final long subfileType;
    private final int width;
    private final int height;
    private final int samplesPerPixel;
    private final SampleType sampleType;
    private final int compression;
    private final int predictor;
    private final int planarConfiguration;
    private final int photometric;
    private final boolean tiled;
    private final int blockWidth;
    private final int blockHeight;
    private final int chunksAcross;
    private final int chunksDown;
    private final int planes;
    private final Decompressor decompressor;
    private final ChunkTable chunks;
    /** Decoded chunks shared with other reads, or null (every read decodes what it needs). */
    private volatile io.geocrop.raster.DecodedBlockCache decoded;

    private TiffImage(TiffDirectory d, long subfileType, int width, int height, int samplesPerPixel, SampleType sampleType,
                      int compression, int predictor, int planarConfiguration, int photometric, boolean tiled,
                      int blockWidth, int blockHeight, Decompressor decompressor, ChunkTable chunks) {
        this.directory = d;
        this.bytes = d.bytes();
        this.subfileType = subfileType;
        this.width = width;
        this.height = height;
        this.samplesPerPixel = samplesPerPixel;
        this.sampleType = sampleType;
        this.compression = compression;
        this.predictor = predictor;
        this.planarConfiguration = planarConfiguration;
        this.photometric = photometric;
        this.tiled = tiled;
        this.blockWidth = blockWidth;
        this.blockHeight = blockHeight;
        this.chunksAcross = ceilDiv(width, blockWidth);
        this.chunksDown = ceilDiv(height, blockHeight);
        this.planes = planarConfiguration == 2 ? samplesPerPixel : 1;
        this.decompressor = decompressor;
        this.chunks = chunks;
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    /**
     * Validates the image structure of {@code d} against what this library decodes and against {@code limits}.
     *
     * @throws RasterFormatException naming the source, IFD and offending tag
     */
    public static TiffImage of(TiffDirectory d, ReadLimits limits) throws IOException {
        long subfileType = d.integer(TiffTags.NEW_SUBFILE_TYPE, 0);
        int width = d.positiveInt(TiffTags.IMAGE_WIDTH, 0, true);
        int height = d.positiveInt(TiffTags.IMAGE_LENGTH, 0, true);
        if (width > limits.maxWidth() || height > limits.maxHeight()) {
            throw d.error("image of " + width + "x" + height + " exceeds the limit of " + limits.maxWidth() + "x"
                    + limits.maxHeight() + " pixels");
        }
        int spp = d.positiveInt(TiffTags.SAMPLES_PER_PIXEL, 1, false);
        if (spp > limits.maxBands()) {
            throw d.error("SamplesPerPixel " + spp + " exceeds the limit of " + limits.maxBands() + " bands");
        }
        int bits = uniform(d, TiffTags.BITS_PER_SAMPLE, 1, spp);
        int format = uniform(d, TiffTags.SAMPLE_FORMAT, 1, spp);
        if (format == 4) {
            format = 1; // "undefined" data is read as unsigned integers, like libtiff and GDAL do
        }
        SampleType type;
        try {
            type = SampleType.of(bits, format);
        } catch (IllegalArgumentException e) {
            throw d.error("unsupported sample type: " + bits + " bits per sample, SampleFormat " + format
                    + " (supported: 8/16/32-bit integers, 32/64-bit floats)");
        }
        int compression = (int) d.integer(TiffTags.COMPRESSION, TiffTags.COMPRESSION_NONE);
        Decompressor decompressor;
        try {
            decompressor = Decompressors.forCompression(compression);
        } catch (RasterFormatException e) {
            throw d.error(e.getMessage());
        }
        int predictor = (int) d.integer(TiffTags.PREDICTOR, TiffTags.PREDICTOR_NONE);
        if (predictor == TiffTags.PREDICTOR_FLOATING_POINT && !type.isFloat()) {
            throw d.error("floating-point Predictor 3 used with " + type + " samples");
        }
        if (predictor < 1 || predictor > 3) {
            throw d.error("Predictor " + predictor + " is not supported (expected 1, 2 or 3)");
        }
        int planar = (int) d.integer(TiffTags.PLANAR_CONFIGURATION, 1);
        if (planar != 1 && planar != 2) {
            throw d.error("PlanarConfiguration " + planar + " is not valid (expected 1 or 2)");
        }
        if (spp == 1) {
            planar = 1; // one sample per pixel: both layouts are the same bytes
        }
        int photometric = (int) d.integer(TiffTags.PHOTOMETRIC, TiffTags.PHOTOMETRIC_MIN_IS_BLACK);
        if (photometric == 6) {
            // GDAL converts YCbCr to RGB; reading the raw samples would silently give other values.
            throw d.error("YCbCr images (PhotometricInterpretation 6) are not supported");
        }
        boolean hasTileWidth = d.has(TiffTags.TILE_WIDTH);
        boolean hasTileLength = d.has(TiffTags.TILE_LENGTH);
        if (hasTileWidth != hasTileLength) {
            throw d.error("TileWidth and TileLength must both be present for a tiled image");
        }
        boolean tiled = hasTileWidth;
        int blockWidth;
        int blockHeight;
        TiffEntry offsets;
        TiffEntry counts;
        if (tiled) {
            blockWidth = d.positiveInt(TiffTags.TILE_WIDTH, 0, true);
            blockHeight = d.positiveInt(TiffTags.TILE_LENGTH, 0, true);
            offsets = firstPresent(d, TiffTags.TILE_OFFSETS, TiffTags.STRIP_OFFSETS);
            counts = firstPresent(d, TiffTags.TILE_BYTE_COUNTS, TiffTags.STRIP_BYTE_COUNTS);
        } else {
            blockWidth = width;
            long rows = d.integer(TiffTags.ROWS_PER_STRIP, 0xFFFFFFFFL);
            if (rows <= 0 && d.has(TiffTags.ROWS_PER_STRIP)) {
                throw d.error("RowsPerStrip is " + Long.toUnsignedString(rows) + ", expected at least 1");
            }
            blockHeight = (int) Math.min(Math.max(rows, 1), height);
            offsets = firstPresent(d, TiffTags.STRIP_OFFSETS, TiffTags.TILE_OFFSETS);
            counts = firstPresent(d, TiffTags.STRIP_BYTE_COUNTS, TiffTags.TILE_BYTE_COUNTS);
        }
        long samplesInChunk = planar == 1 ? spp : 1;
        long chunkBytes = (long) blockWidth * blockHeight * samplesInChunk * type.bytes();
        if (chunkBytes > limits.maxDecompressedChunkBytes()) {
            throw d.error((tiled ? "tile" : "strip") + " of " + blockWidth + "x" + blockHeight + " pixels x "
                    + samplesInChunk + " samples decompresses to " + chunkBytes + " bytes, more than the limit of "
                    + limits.maxDecompressedChunkBytes());
        }
        long chunkCount = (long) ceilDiv(width, blockWidth) * ceilDiv(height, blockHeight) * (planar == 2 ? spp : 1);
        if (chunkCount > Integer.MAX_VALUE - 16) {
            throw d.error("image has " + chunkCount + " tiles/strips, too many to index");
        }
        String label = tiled ? "tile" : "strip";
        if (offsets == null || counts == null) {
            throw d.error("required " + (tiled ? "TileOffsets/TileByteCounts" : "StripOffsets/StripByteCounts")
                    + " are missing (" + label + " locations unknown)");
        }
        ChunkTable table = new ChunkTable(d.bytes(), offsets, counts, (int) chunkCount, d.where());
        return new TiffImage(d, subfileType, width, height, spp, type, compression, predictor, planar, photometric,
                tiled, blockWidth, blockHeight, decompressor, table);
    }

    private static TiffEntry firstPresent(TiffDirectory d, int tag, int fallback) {
        TiffEntry e = d.entry(tag);
        return e != null ? e : d.entry(fallback);
    }

    /** A per-sample tag (BitsPerSample, SampleFormat) whose values must all be equal; GDAL requires the same. */
    private static int uniform(TiffDirectory d, int tag, int defaultValue, int spp) throws IOException {
        long[] values = d.integers(tag);
        if (values == null) {
            return defaultValue;
        }
        if (values.length == 0) {
            throw d.error(TiffEntry.tagName(tag) + " has no values");
        }
        for (int i = 1; i < Math.min(values.length, spp); i++) {
            if (values[i] != values[0]) {
                throw d.error(TiffEntry.tagName(tag) + " differs between samples (" + values[0] + " and "
                        + values[i] + "); mixed sample types are not supported");
            }
        }
        if (values[0] < 0 || values[0] > 0xFFFF) {
            throw d.error(TiffEntry.tagName(tag) + " is " + values[0]);
        }
        return (int) values[0];
    }

    /** The IFD this image comes from. */
    public TiffDirectory directory() {
        return directory;
    }

    /** NewSubfileType (bit 0: reduced resolution, bit 2: transparency mask). */
    public long subfileType() {
        return subfileType;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** SamplesPerPixel (= bands). */
    public int samplesPerPixel() {
        return samplesPerPixel;
    }

    /** The type of every sample. */
    public SampleType sampleType() {
        return sampleType;
    }

    /** TIFF Compression code. */
    public int compression() {
        return compression;
    }

    /** TIFF Predictor (1 none, 2 horizontal, 3 floating point). */
    public int predictor() {
        return predictor;
    }

    /** PlanarConfiguration: 1 chunky (pixel-interleaved), 2 planar (band-sequential chunks). */
    public int planarConfiguration() {
        return planarConfiguration;
    }

    /** PhotometricInterpretation. */
    public int photometric() {
        return photometric;
    }

    /** Whether the image is tiled (otherwise striped). */
    public boolean tiled() {
        return tiled;
    }

    /** Tile width, or the image width for strips. */
    public int blockWidth() {
        return blockWidth;
    }

    /** Tile height, or RowsPerStrip (clamped to the image height) for strips. */
    public int blockHeight() {
        return blockHeight;
    }

    /** The lazily loaded chunk offset table. */
    public ChunkTable chunks() {
        return chunks;
    }

    /** Number of tiles/strips per row of chunks. */
    public int chunksAcross() {
        return chunksAcross;
    }

    /** Number of rows of chunks. */
    public int chunksDown() {
        return chunksDown;
    }

    private String label() {
        return tiled ? "tile" : "strip";
    }

    /**
     * Keeps the chunks this image decodes in {@code cache}, and reads them from it (null: no cache). For files read
     * many times over the same chunks, such as the COGs map tiles are rendered from.
     */
    public void useDecodedCache(io.geocrop.raster.DecodedBlockCache cache) {
        this.decoded = cache;
    }

    /**
     * Reads a window of the given bands (0-based, any order, repeats allowed). Pixels outside the image and in
     * sparse (zero-length) chunks get {@code fill}, converted to the sample type.
     */
    public Raster read(RasterWindow window, int[] bands, double fill, ReadLimits limits) throws IOException {
        for (int b : bands) {
            if (b < 0 || b >= samplesPerPixel) {
                throw new IllegalArgumentException("band " + b + " does not exist; the image has bands 0.." + (samplesPerPixel - 1));
            }
        }
        long samples = (long) window.width() * window.height() * bands.length;
        if (samples > limits.maxPixelsPerRead() || (long) window.width() * window.height() > Integer.MAX_VALUE - 16) {
            throw new RasterFormatException(bytes.describe() + ": a read of " + window.width() + "x" + window.height()
                    + " pixels x " + bands.length + " bands exceeds the limit of " + limits.maxPixelsPerRead() + " samples");
        }
        Raster out = Raster.allocate(window.width(), window.height(), bands.length, sampleType);
        fill(out, fill);
        RasterWindow clip = window.clipTo(width, height);
        if (clip == null || bands.length == 0) {
            return out;
        }
        int cx0 = clip.col() / blockWidth;
        int cx1 = (clip.col() + clip.width() - 1) / blockWidth;
        int cy0 = clip.row() / blockHeight;
        int cy1 = (clip.row() + clip.height() - 1) / blockHeight;
        boolean[] planeNeeded = new boolean[planes];
        for (int b : bands) {
            planeNeeded[planarConfiguration == 2 ? b : 0] = true;
        }
        int perPlane = chunksAcross * chunksDown;
        List<Integer> wanted = new ArrayList<>();
        for (int p = 0; p < planes; p++) {
            if (!planeNeeded[p]) {
                continue;
            }
            for (int cy = cy0; cy <= cy1; cy++) {
                for (int cx = cx0; cx <= cx1; cx++) {
                    wanted.add(p * perPlane + cy * chunksAcross + cx);
                }
            }
        }
        io.geocrop.raster.DecodedBlockCache cache = decoded;
        if (cache != null) {
            // Chunks another read decoded lately are copied from the cache: no read, no decompression.
            for (Iterator<Integer> it = wanted.iterator(); it.hasNext(); ) {
                int chunk = it.next();
                Object hit = cache.get(this, chunk);
                if (hit != null) {
                    copy(hit, chunk, out, window, bands, clip);
                    it.remove();
                }
            }
            if (wanted.isEmpty()) {
                return out;
            }
        }
        int[] ids = wanted.stream().mapToInt(Integer::intValue).toArray();
        long[][] table = chunks.lookup(ids);
        List<Integer> present = new ArrayList<>();
        List<ByteRange> ranges = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            long offset = table[0][i];
            long count = table[1][i];
            if (count == 0) {
                continue; // sparse chunk: stays filled, as GDAL does
            }
            String what = label() + " " + ids[i] + " of IFD " + directory.index();
            if (count < 0 || count > limits.maxChunkBytes()) {
                throw new RasterFormatException(directory.where() + ": " + what + " has a byte count of "
                        + Long.toUnsignedString(count) + ", more than the limit of " + limits.maxChunkBytes());
            }
            if (offset == 0) {
                throw new RasterFormatException(directory.where() + ": " + what + " has offset 0 but "
                        + count + " bytes of data");
            }
            bytes.checkInFile(offset, count, what);
            total += count;
            if (total > limits.maxBytesPerRead()) {
                throw new RasterFormatException(bytes.describe() + ": the window needs more than "
                        + limits.maxBytesPerRead() + " compressed bytes (limit maxBytesPerRead)");
            }
            present.add(ids[i]);
            ranges.add(new ByteRange(offset, (int) count));
        }
        if (ranges.isEmpty()) {
            return out;
        }
        List<byte[]> data = bytes.source().read(ranges);
        if (data.size() != ranges.size()) {
            throw new RasterFormatException(bytes.describe() + ": source returned " + data.size() + " ranges for "
                    + ranges.size() + " requested");
        }
        List<Callable<Void>> tasks = new ArrayList<>(present.size());
        for (int i = 0; i < present.size(); i++) {
            int chunk = present.get(i);
            byte[] compressed = data.get(i);
            int expected = ranges.get(i).length();
            tasks.add(() -> {
                if (compressed.length < expected) {
                    throw new RasterFormatException(directory.where() + ": truncated file: " + label() + " " + chunk
                            + " has " + compressed.length + " of its " + expected + " bytes");
                }
                Object decodedChunk = decodeChunk(chunk, compressed);
                if (cache != null) {
                    cache.put(this, chunk, decodedChunk);
                }
                copy(decodedChunk, chunk, out, window, bands, clip);
                return null;
            });
        }
        run(tasks);
        return out;
    }

    private static void run(List<Callable<Void>> tasks) throws IOException {
        if (tasks.size() < PARALLEL_THRESHOLD || DecodePool.threads() == 1) {
            for (Callable<Void> t : tasks) {
                try {
                    t.call();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            return;
        }
        List<Future<Void>> futures;
        try {
            futures = DecodePool.pool().invokeAll(tasks.stream().map(t -> WorkMeter.wrap(t)).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding tiles");
        }
        // Report the first failure in chunk order, so errors are deterministic.
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while decoding tiles");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException(cause);
            }
        }
    }

    /**
     * Decompresses one chunk and undoes its predictor. Returns the chunk's samples, row-major and interleaved
     * for chunky data: {@code byte[]} for 8-bit, {@code short[]} for 16-bit, {@code int[]} for 32-bit (float
     * bit patterns for FLOAT32) and {@code long[]} for 64-bit (double bit patterns).
     */
    public Object decodeChunk(int chunk, byte[] compressed) throws RasterFormatException {
        int inPlane = chunk % (chunksAcross * chunksDown);
        int chunkRow = inPlane / chunksAcross;
        int rows = tiled ? blockHeight : Math.min(blockHeight, height - chunkRow * blockHeight);
        int stride = planarConfiguration == 1 ? samplesPerPixel : 1;
        int samplesPerRow = blockWidth * stride;
        int bps = sampleType.bytes();
        byte[] raw = new byte[samplesPerRow * rows * bps];
        try {
            decompressor.decompress(compressed, raw);
        } catch (RasterFormatException e) {
            throw new RasterFormatException(directory.where() + ": " + label() + " " + chunk + " ("
                    + Decompressors.name(compression) + "): " + e.getMessage(), e);
        }
        ByteOrder order = bytes.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        if (predictor == TiffTags.PREDICTOR_FLOATING_POINT) {
            Predictors.undoFloatingPoint(raw, samplesPerRow, rows, stride, bps);
            order = ByteOrder.BIG_ENDIAN;
        }
        boolean horizontal = predictor == TiffTags.PREDICTOR_HORIZONTAL;
        switch (bps) {
            case 1 -> {
                if (horizontal) {
                    Predictors.undoHorizontal(raw, samplesPerRow, rows, stride);
                }
                return raw;
            }
            case 2 -> {
                short[] s = new short[raw.length / 2];
                ByteBuffer.wrap(raw).order(order).asShortBuffer().get(s);
                if (horizontal) {
                    Predictors.undoHorizontal(s, samplesPerRow, rows, stride);
                }
                return s;
            }
            case 4 -> {
                int[] s = new int[raw.length / 4];
                ByteBuffer.wrap(raw).order(order).asIntBuffer().get(s);
                if (horizontal) {
                    Predictors.undoHorizontal(s, samplesPerRow, rows, stride);
                }
                return s;
            }
            default -> {
                long[] s = new long[raw.length / 8];
                ByteBuffer.wrap(raw).order(order).asLongBuffer().get(s);
                if (horizontal) {
                    Predictors.undoHorizontal(s, samplesPerRow, rows, stride);
                }
                return s;
            }
        }
    }

    /** Copies the part of a decoded chunk inside {@code clip} into the output bands that come from it. */
    private void copy(Object samples, int chunk, Raster out, RasterWindow window, int[] bands, RasterWindow clip) {
        int perPlane = chunksAcross * chunksDown;
        int plane = chunk / perPlane;
        int inPlane = chunk % perPlane;
        int x0 = (inPlane % chunksAcross) * blockWidth;
        int y0 = (inPlane / chunksAcross) * blockHeight;
        int rows = tiled ? blockHeight : Math.min(blockHeight, height - y0);
        int ix0 = Math.max(x0, clip.col());
        int ix1 = Math.min(x0 + blockWidth, clip.col() + clip.width());
        int iy0 = Math.max(y0, clip.row());
        int iy1 = Math.min(y0 + rows, clip.row() + clip.height());
        if (ix1 <= ix0 || iy1 <= iy0) {
            return;
        }
        int stride = planarConfiguration == 1 ? samplesPerPixel : 1;
        int count = ix1 - ix0;
        for (int i = 0; i < bands.length; i++) {
            int component;
            if (planarConfiguration == 2) {
                if (bands[i] != plane) {
                    continue;
                }
                component = 0;
            } else {
                component = bands[i];
            }
            Object dst = out.band(i);
            for (int y = iy0; y < iy1; y++) {
                int src = ((y - y0) * blockWidth + (ix0 - x0)) * stride + component;
                int dstPos = (y - window.row()) * window.width() + (ix0 - window.col());
                copyRow(samples, src, stride, dst, dstPos, count);
            }
        }
    }

    private void copyRow(Object samples, int src, int stride, Object dst, int dstPos, int count) {
        switch (sampleType) {
            case UINT8, INT8 -> {
                byte[] s = (byte[]) samples;
                byte[] d = (byte[]) dst;
                if (stride == 1) {
                    System.arraycopy(s, src, d, dstPos, count);
                } else {
                    for (int k = 0; k < count; k++) {
                        d[dstPos + k] = s[src + k * stride];
                    }
                }
            }
            case UINT16, INT16 -> {
                short[] s = (short[]) samples;
                short[] d = (short[]) dst;
                if (stride == 1) {
                    System.arraycopy(s, src, d, dstPos, count);
                } else {
                    for (int k = 0; k < count; k++) {
                        d[dstPos + k] = s[src + k * stride];
                    }
                }
            }
            case UINT32, INT32 -> {
                int[] s = (int[]) samples;
                int[] d = (int[]) dst;
                if (stride == 1) {
                    System.arraycopy(s, src, d, dstPos, count);
                } else {
                    for (int k = 0; k < count; k++) {
                        d[dstPos + k] = s[src + k * stride];
                    }
                }
            }
            case FLOAT32 -> {
                int[] s = (int[]) samples;
                float[] d = (float[]) dst;
                for (int k = 0; k < count; k++) {
                    d[dstPos + k] = Float.intBitsToFloat(s[src + k * stride]);
                }
            }
            case FLOAT64 -> {
                long[] s = (long[]) samples;
                double[] d = (double[]) dst;
                for (int k = 0; k < count; k++) {
                    d[dstPos + k] = Double.longBitsToDouble(s[src + k * stride]);
                }
            }
        }
    }

    /** Fills every band with {@code value} converted to the sample type (0 if it does not fit). */
    private void fill(Raster out, double value) {
        if (value == 0) {
            return;
        }
        for (int b = 0; b < out.bandCount(); b++) {
            switch (sampleType) {
                case UINT8, INT8 -> {
                    double min = sampleType == SampleType.UINT8 ? 0 : -128;
                    if (fits(value, min, min + 255)) {
                        Arrays.fill(out.bytes(b), (byte) (long) value);
                    }
                }
                case UINT16, INT16 -> {
                    double min = sampleType == SampleType.UINT16 ? 0 : -32768;
                    if (fits(value, min, min + 65535)) {
                        Arrays.fill(out.shorts(b), (short) (long) value);
                    }
                }
                case UINT32, INT32 -> {
                    double min = sampleType == SampleType.UINT32 ? 0 : Integer.MIN_VALUE;
                    if (fits(value, min, min + 4294967295.0)) {
                        Arrays.fill(out.ints(b), (int) (long) value);
                    }
                }
                case FLOAT32 -> Arrays.fill(out.floats(b), (float) value);
                case FLOAT64 -> Arrays.fill(out.doubles(b), value);
            }
        }
    }

    private static boolean fits(double value, double min, double max) {
        return value >= min && value <= max && value == Math.rint(value);
    }
}
