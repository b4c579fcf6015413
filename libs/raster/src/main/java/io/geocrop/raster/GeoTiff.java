package io.geocrop.raster;

import io.geocrop.raster.tiff.TiffDirectory;
import io.geocrop.raster.tiff.TiffFile;
import io.geocrop.raster.tiff.TiffImage;
import io.geocrop.raster.tiff.TiffLayout;
import io.geocrop.raster.tiff.TiffTags;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open GeoTIFF: its metadata, its resolution levels (level 0 = full resolution, then the internal overviews
 * from finest to coarsest) and window reads. Reads fetch only the tiles or strips a window touches, with one
 * {@link ByteSource#read(List)} call, and are thread-safe. Closing it closes the source.
 */
public final class GeoTiff implements AutoCloseable {
    /** Metadata key holding the GeoTIFF citation of a user-defined CRS (whose epsg is 0). */
    public static final String CITATION_KEY = "GEOTIFF_CITATION";

    private final TiffFile file;
    private final ReadLimits limits;
    private final List<TiffImage> levels;
    private final Map<Integer, TiffLayout.Role> roles;
    private final RasterMetadata metadata;
    private final List<Overview> overviews;
    private volatile boolean closed;

    GeoTiff(TiffFile file, ReadLimits limits, List<TiffImage> levels, Map<Integer, TiffLayout.Role> roles,
            RasterMetadata metadata) {
        this.file = file;
        this.limits = limits;
        this.levels = List.copyOf(levels);
        this.roles = Map.copyOf(roles);
        this.metadata = metadata;
        List<Overview> list = new ArrayList<>();
        TiffImage main = levels.get(0);
        for (int i = 0; i < levels.size(); i++) {
            TiffImage img = levels.get(i);
            GeoTransform t = metadata.transform();
            if (t != null && i > 0) {
                // GDAL scales the full-resolution transform by the size ratio of each axis.
                t = t.scaled((double) main.width() / img.width(), (double) main.height() / img.height());
            }
            list.add(new Overview(i, img.width(), img.height(), img.blockWidth(), img.blockHeight(), t));
        }
        this.overviews = List.copyOf(list);
    }

    /** Size, type, georeferencing, nodata, band descriptions, scales/offsets, GDAL metadata and palette. */
    public RasterMetadata metadata() {
        return metadata;
    }

    /** All resolution levels including level 0, finest first. */
    public List<Overview> overviews() {
        return overviews;
    }

    /** Number of resolution levels (1 + number of internal overviews). */
    public int levelCount() {
        return levels.size();
    }

    /** Whether the full-resolution image is tiled (otherwise striped). */
    public boolean isTiled() {
        return levels.get(0).tiled();
    }

    /** TIFF Compression code of the full-resolution image (1 none, 5 LZW, 8 DEFLATE, 50000 ZSTD, ...). */
    public int compression() {
        return levels.get(0).compression();
    }

    /** TIFF Predictor of the full-resolution image (1 none, 2 horizontal, 3 floating point). */
    public int predictor() {
        return levels.get(0).predictor();
    }

    /** PlanarConfiguration of the full-resolution image (1 pixel-interleaved, 2 band-sequential). */
    public int planarConfiguration() {
        return levels.get(0).planarConfiguration();
    }

    /** Whether the file is a BigTIFF. */
    public boolean isBigTiff() {
        return file.bigTiff();
    }

    /** The source's description. */
    public String describe() {
        return file.bytes().describe();
    }

    /**
     * Where every IFD and its tile data lie in the file. Loads the complete tile/strip offset tables, so it
     * may read from the source; meant for diagnostics and for checking a COG's layout.
     */
    public TiffLayout layout() throws IOException {
        checkOpen();
        List<TiffLayout.Ifd> ifds = new ArrayList<>();
        for (TiffDirectory d : file.directories()) {
            TiffLayout.Role role = roles.getOrDefault(d.index(), TiffLayout.Role.OTHER);
            TiffImage img = null;
            int level = -1;
            for (int i = 0; i < levels.size(); i++) {
                if (levels.get(i).directory() == d) {
                    img = levels.get(i);
                    level = i;
                }
            }
            try {
                ifds.add(img != null ? describe(img, role, level) : describeLeniently(d, role));
            } catch (RuntimeException e) {
                throw new RasterFormatException(d.where() + ": malformed IFD: " + e, e);
            }
        }
        return new TiffLayout(file.bigTiff(), file.bytes().littleEndian(), file.bytes().length(), ifds);
    }

    private static TiffLayout.Ifd describe(TiffImage img, TiffLayout.Role role, int level) throws IOException {
        int n = img.chunks().chunkCount();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        long[][] table = img.chunks().lookup(all);
        long[] span = span(table[0], table[1]);
        TiffDirectory d = img.directory();
        return new TiffLayout.Ifd(d.index(), d.offset(), img.subfileType(), role, level, img.width(), img.height(),
                img.samplesPerPixel(), img.tiled(), img.blockWidth(), img.blockHeight(), img.planarConfiguration(),
                img.compression(), img.predictor(), n, span[0], span[1], span[2], (int) span[3], tags(d));
    }

    /** Masks and skipped IFDs may use structures this reader does not decode (1-bit masks); report what is there. */
    private static TiffLayout.Ifd describeLeniently(TiffDirectory d, TiffLayout.Role role) throws IOException {
        boolean tiled = d.has(TiffTags.TILE_WIDTH);
        int width = (int) d.integer(TiffTags.IMAGE_WIDTH, 0);
        int height = (int) d.integer(TiffTags.IMAGE_LENGTH, 0);
        long[] offsets = d.integers(tiled ? TiffTags.TILE_OFFSETS : TiffTags.STRIP_OFFSETS);
        long[] counts = d.integers(tiled ? TiffTags.TILE_BYTE_COUNTS : TiffTags.STRIP_BYTE_COUNTS);
        long[] span = offsets != null && counts != null ? span(offsets, counts) : new long[] {-1, -1, 0, 0};
        return new TiffLayout.Ifd(d.index(), d.offset(), d.integer(TiffTags.NEW_SUBFILE_TYPE, 0), role, -1, width, height,
                (int) d.integer(TiffTags.SAMPLES_PER_PIXEL, 1), tiled,
                (int) d.integer(tiled ? TiffTags.TILE_WIDTH : TiffTags.IMAGE_WIDTH, 0),
                (int) d.integer(tiled ? TiffTags.TILE_LENGTH : TiffTags.ROWS_PER_STRIP, height),
                (int) d.integer(TiffTags.PLANAR_CONFIGURATION, 1), (int) d.integer(TiffTags.COMPRESSION, 1),
                (int) d.integer(TiffTags.PREDICTOR, 1), offsets == null ? 0 : offsets.length, span[0], span[1], span[2],
                (int) span[3], tags(d));
    }

    private static List<Integer> tags(TiffDirectory d) {
        return d.entries().keySet().stream().sorted().toList();
    }

    private static long[] span(long[] offsets, long[] counts) {
        long first = -1;
        long end = -1;
        long total = 0;
        long empty = 0;
        for (int i = 0; i < Math.min(offsets.length, counts.length); i++) {
            if (counts[i] <= 0) {
                empty++;
                continue;
            }
            first = first < 0 ? offsets[i] : Math.min(first, offsets[i]);
            end = Math.max(end, offsets[i] + counts[i]);
            total += counts[i];
        }
        return new long[] {first, end, total, empty};
    }

    /**
     * Keeps the blocks this file decodes, at every level, in {@code cache} (shared with other files), and serves
     * later reads of them from it; null turns it off. See {@link DecodedBlockCache}.
     */
    public void useDecodedCache(DecodedBlockCache cache) {
        for (TiffImage level : levels) {
            level.useDecodedCache(cache);
        }
    }

    /** Reads a window of all bands at full resolution. */
    public Raster read(RasterWindow window) throws IOException {
        return read(0, window);
    }

    /** Reads a window of all bands of a level (0 = full resolution; window in that level's pixels). */
    public Raster read(int level, RasterWindow window) throws IOException {
        int[] bands = new int[metadata.bands()];
        for (int i = 0; i < bands.length; i++) {
            bands[i] = i;
        }
        return read(level, window, bands);
    }

    /**
     * Reads a window of some bands of a level. The window may extend past the image: pixels outside it, and
     * pixels of sparse (zero-length) tiles, are the nodata value if it fits the sample type, else 0.
     *
     * @param level  0 = full resolution, 1.. = overviews (see {@link #overviews()})
     * @param window in the level's pixel coordinates
     * @param bands  0-based band indices, in the order wanted in the result
     * @throws IllegalArgumentException if the level or a band does not exist
     * @throws RasterFormatException    if the tile data is corrupt or truncated, or the read exceeds a limit
     */
    public Raster read(int level, RasterWindow window, int[] bands) throws IOException {
        checkOpen();
        if (level < 0 || level >= levels.size()) {
            throw new IllegalArgumentException("level " + level + " does not exist; " + describe() + " has levels 0.."
                    + (levels.size() - 1));
        }
        for (int b : bands) {
            if (b < 0 || b >= metadata.bands()) {
                throw new IllegalArgumentException("band " + b + " does not exist; " + describe() + " has bands 0.."
                        + (metadata.bands() - 1));
            }
        }
        double fill = metadata.nodata() == null ? 0 : metadata.nodata();
        try {
            return levels.get(level).read(window, bands, fill, limits);
        } catch (RuntimeException e) {
            // Safety net: a corrupt file must surface as a RasterFormatException, never an unchecked exception.
            throw new RasterFormatException(describe() + ": malformed TIFF data: " + e, e);
        }
    }

    /**
     * The level to read for a target pixel size (in CRS units, or in full-resolution pixels if the file has no
     * geotransform): the coarsest level whose resolution is still at least as fine as the target. Level 0 if
     * the target is finer than the full resolution.
     */
    public int bestOverview(double targetResX) {
        if (!(targetResX > 0)) {
            throw new IllegalArgumentException("target resolution must be positive, got " + targetResX);
        }
        GeoTransform t = metadata.transform();
        double baseRes = t == null ? 1.0 : Math.hypot(t.pixelWidth(), t.colRotation());
        int best = 0;
        for (int i = 1; i < levels.size(); i++) {
            double res = baseRes * metadata.width() / levels.get(i).width();
            if (res <= targetResX * (1 + 1e-9)) {
                best = i;
            }
        }
        return best;
    }

    /** {@link #readAtResolution(RasterWindow, int, int, Resampling, int[])} for all bands. */
    public Raster readAtResolution(RasterWindow fullResWindow, int outWidth, int outHeight, Resampling resampling)
            throws IOException {
        int[] bands = new int[metadata.bands()];
        for (int i = 0; i < bands.length; i++) {
            bands[i] = i;
        }
        return readAtResolution(fullResWindow, outWidth, outHeight, resampling, bands);
    }

    /**
     * Reads a full-resolution window resampled to {@code outWidth x outHeight}, from the coarsest level that is
     * still at least as fine as the output (GDAL's overview choice), taking for each output pixel the level
     * pixel under its centre. Pixels outside the image are nodata (or 0).
     *
     * @throws IllegalArgumentException for a resampling other than {@link Resampling#NEAREST}, or bad sizes
     */
    public Raster readAtResolution(RasterWindow fullResWindow, int outWidth, int outHeight, Resampling resampling,
                                   int[] bands) throws IOException {
        if (resampling != Resampling.NEAREST) {
            throw new IllegalArgumentException("readAtResolution supports NEAREST only, got " + resampling);
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
        }
        if ((long) outWidth * outHeight * bands.length > limits.maxPixelsPerRead()) {
            throw new RasterFormatException(describe() + ": an output of " + outWidth + "x" + outHeight + " x "
                    + bands.length + " bands exceeds the limit of " + limits.maxPixelsPerRead() + " samples");
        }
        int level = chooseLevel(fullResWindow, outWidth, outHeight);
        TiffImage img = levels.get(level);
        double fx = (double) metadata.width() / img.width();
        double fy = (double) metadata.height() / img.height();
        double x0 = fullResWindow.col() / fx;
        double y0 = fullResWindow.row() / fy;
        double x1 = (fullResWindow.col() + (double) fullResWindow.width()) / fx;
        double y1 = (fullResWindow.row() + (double) fullResWindow.height()) / fy;
        int readX = (int) Math.floor(x0);
        int readY = (int) Math.floor(y0);
        int readW = Math.max(1, (int) Math.ceil(x1) - readX);
        int readH = Math.max(1, (int) Math.ceil(y1) - readY);
        Raster src = read(level, new RasterWindow(readX, readY, readW, readH), bands);
        int[] cols = new int[outWidth];
        for (int i = 0; i < outWidth; i++) {
            double x = (fullResWindow.col() + (i + 0.5) * fullResWindow.width() / outWidth) / fx;
            cols[i] = Math.clamp((long) Math.floor(x) - readX, 0, readW - 1);
        }
        Raster out = Raster.allocate(outWidth, outHeight, bands.length, metadata.sampleType());
        for (int j = 0; j < outHeight; j++) {
            double y = (fullResWindow.row() + (j + 0.5) * fullResWindow.height() / outHeight) / fy;
            int row = Math.clamp((long) Math.floor(y) - readY, 0, readH - 1);
            for (int b = 0; b < bands.length; b++) {
                Object s = src.band(b);
                Object d = out.band(b);
                int srcRow = row * readW;
                int dstRow = j * outWidth;
                switch (metadata.sampleType()) {
                    case UINT8, INT8 -> {
                        byte[] sa = (byte[]) s, da = (byte[]) d;
                        for (int i = 0; i < outWidth; i++) {
                            da[dstRow + i] = sa[srcRow + cols[i]];
                        }
                    }
                    case UINT16, INT16 -> {
                        short[] sa = (short[]) s, da = (short[]) d;
                        for (int i = 0; i < outWidth; i++) {
                            da[dstRow + i] = sa[srcRow + cols[i]];
                        }
                    }
                    case UINT32, INT32 -> {
                        int[] sa = (int[]) s, da = (int[]) d;
                        for (int i = 0; i < outWidth; i++) {
                            da[dstRow + i] = sa[srcRow + cols[i]];
                        }
                    }
                    case FLOAT32 -> {
                        float[] sa = (float[]) s, da = (float[]) d;
                        for (int i = 0; i < outWidth; i++) {
                            da[dstRow + i] = sa[srcRow + cols[i]];
                        }
                    }
                    case FLOAT64 -> {
                        double[] sa = (double[]) s, da = (double[]) d;
                        for (int i = 0; i < outWidth; i++) {
                            da[dstRow + i] = sa[srcRow + cols[i]];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * GDAL's choice (GDALBandGetBestOverviewLevel2 with threshold 1.0): on the axis that is downsampled less,
     * the coarsest level whose reduction factor does not exceed the requested one.
     */
    private int chooseLevel(RasterWindow window, int outWidth, int outHeight) {
        double fx = (double) window.width() / outWidth;
        double fy = (double) window.height() / outHeight;
        boolean useX = fx <= fy;
        double desired = Math.min(fx, fy);
        int best = 0;
        for (int i = 1; i < levels.size(); i++) {
            TiffImage img = levels.get(i);
            double factor = useX ? (double) metadata.width() / img.width() : (double) metadata.height() / img.height();
            if (factor <= desired * (1 + 1e-9)) {
                best = i;
            }
        }
        return best;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException(describe() + ": GeoTiff is closed");
        }
    }

    /** Closes the source. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                file.bytes().source().close();
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(describe() + ": closing the source failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "GeoTiff[" + describe() + ", " + metadata.width() + "x" + metadata.height() + "x" + metadata.bands()
                + " " + metadata.sampleType() + ", " + levels.size() + " levels, epsg " + metadata.epsg() + "]";
    }
}
