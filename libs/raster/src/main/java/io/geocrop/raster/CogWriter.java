package io.geocrop.raster;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.raster.CogWriteOptions.MissingTiles;
import io.geocrop.raster.CogWriteOptions.Predictor;
import io.geocrop.raster.cog.CogAssembler;
import io.geocrop.raster.cog.GeoTiffTags;
import io.geocrop.raster.cog.OverviewLevel;
import io.geocrop.raster.cog.Samples;
import io.geocrop.raster.cog.SpillFile;
import io.geocrop.raster.cog.TileCodec;
import io.geocrop.raster.cog.TiffIfd;
import io.geocrop.raster.tiff.TiffTags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes a Cloud-Optimized GeoTIFF that GDAL reads and its COG validator accepts, tile by tile, with memory
 * bounded by a few tile rows whatever the image size.
 *
 * <p>Usage: {@link #create} with the raster's description, {@link #writeTile} for every full-resolution tile
 * (any order, each once, from any number of threads), then {@link #finish()}. {@link #close()} without a
 * successful {@code finish()} discards everything: a failed or abandoned write never leaves an output file.
 * For a raster already in memory, {@link #write} does all three.
 *
 * <pre>{@code
 * try (CogWriter w = CogWriter.create(path, meta, CogWriteOptions.defaults())) {
 *     for (...) w.writeTile(col, row, tile);
 *     w.finish();
 * }
 * }</pre>
 *
 * <p>How it streams: each full-resolution tile is encoded (predictor + compression) when it arrives and appended
 * to a hidden spill file next to the output. {@code finish()} then makes a second pass: it decodes the spilled
 * tiles one tile row at a time and pushes those rows through the overview levels, each of which computes its rows
 * as soon as their source rows are there (see {@link OverviewLevel}) and spills its own tiles one tile row at a
 * time. Finally the file is assembled in COG order (header, GDAL's structural metadata, all IFDs, then tile data
 * from the smallest overview to full resolution) into a second hidden file that is atomically renamed to the
 * output. Peak memory is about one full-resolution tile row plus one tile row per overview level.
 *
 * <p>Layout and tags: little-endian TIFF (BigTIFF when needed or asked for), pixel-interleaved
 * (PlanarConfiguration 1), square tiles, MinIsBlack (or Palette with a ColorMap when band 1 has a colour table;
 * TIFF allows that for one or two bands), ExtraSamples "unspecified" for bands past the first, SampleFormat,
 * Predictor, NewSubfileType 1 on overviews, GDAL_NODATA on every level, and on the full-resolution IFD the
 * GeoTIFF tags (pixel scale + tie point for north-up transforms, a transformation matrix otherwise; GeoKeys for
 * EPSG 326xx/327xx, 4326 and 3857) and GDAL_METADATA (dataset items, band descriptions, scales and offsets).
 *
 * <p>Unwritten tiles are filled with nodata (0 without nodata) at finish, or make finish fail, per
 * {@link CogWriteOptions#missingTiles()}. Edge tiles are padded with the same fill value.
 */
public final class CogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CogWriter.class);

    private enum State { OPEN, FINISHING, FINISHED, CLOSED, FAILED }

    private static final byte EMPTY = 0, ENCODING = 1, STORED = 2;

    private final Path out;
    private final RasterMetadata meta;
    private final CogWriteOptions options;
    private final int tileSize;
    private final int[][] sizes; // [level] = {width, height}; level 0 is full resolution
    private final double fillValue;
    private final Double nodata;
    private final Resampling[] resampling;
    private final Predictor predictor;
    private final TileCodec codec;
    private final String gdalMetadata;
    private final int[] colorMap;
    private final SpillFile spill;
    private final long[][] spillOffsets;
    private final int[][] byteCounts;

    private final Object lock = new Object();
    private final byte[] tileState;
    private int tilesInFlight;
    private State state = State.OPEN;
    private Throwable failure;

    private CogWriter(Path out, RasterMetadata meta, CogWriteOptions options) throws IOException {
        this.out = out;
        this.meta = meta;
        this.options = options;
        this.tileSize = options.tileSize();
        SampleType type = meta.sampleType();
        if (meta.bandDescriptions().size() > meta.bands() || meta.scales().size() > meta.bands()
                || meta.offsets().size() > meta.bands()) {
            throw new IllegalArgumentException("band descriptions, scales and offsets may not outnumber the "
                    + meta.bands() + " bands");
        }
        this.nodata = meta.nodata() == null ? null : Samples.checkNodata(meta.nodata(), type);
        this.fillValue = nodata == null ? 0 : nodata;
        if (!GeoTiffTags.supportsEpsg(meta.epsg())) {
            throw new IllegalArgumentException("cannot write GeoKeys for EPSG:" + meta.epsg()
                    + "; supported: 326xx/327xx (UTM on WGS 84), 4326 and 3857");
        }
        if (meta.colorTable() != null) {
            if (type != SampleType.UINT8 && type != SampleType.UINT16) {
                throw new IllegalArgumentException("a colour table needs UINT8 or UINT16 samples, not " + type);
            }
            if (meta.bands() > 2) {
                throw new IllegalArgumentException("TIFF stores a colour table only for 1 or 2 bands (palette plus an "
                        + "extra sample); this raster has " + meta.bands());
            }
            this.colorMap = GeoTiffTags.colorMap(meta.colorTable(), type);
        } else {
            this.colorMap = null;
        }
        this.gdalMetadata = GeoTiffTags.gdalMetadataXml(meta);
        this.predictor = options.effectivePredictor(type);
        this.resampling = options.effectiveResampling(meta);
        int[][] overviews = options.overviewSizes(meta.width(), meta.height());
        this.sizes = new int[overviews.length + 1][];
        sizes[0] = new int[] {meta.width(), meta.height()};
        System.arraycopy(overviews, 0, sizes, 1, overviews.length);
        this.codec = new TileCodec(type, meta.bands(), tileSize, options.compression(),
                options.effectiveCompressionLevel(), predictor, fillValue);
        this.spillOffsets = new long[sizes.length][];
        this.byteCounts = new int[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            long tiles = (long) tilesAcross(k) * tilesDown(k);
            if (tiles > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException(meta.width() + "x" + meta.height() + " needs " + tiles
                        + " tiles, too many for one file");
            }
            spillOffsets[k] = new long[(int) tiles];
            Arrays.fill(spillOffsets[k], -1);
            byteCounts[k] = new int[(int) tiles];
        }
        this.tileState = new byte[spillOffsets[0].length];
        if (Files.isDirectory(out)) {
            throw new IOException("cannot write COG " + out + ": it is a directory");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write COG " + out + ": directory " + dir + " does not exist");
        }
        this.spill = SpillFile.createNextTo(out, ".spill");
    }

    /**
     * Starts writing a COG to {@code out} (replaced when finished; nothing appears there until then).
     *
     * @throws IllegalArgumentException if the description or options cannot be written (unsupported EPSG code,
     *                                  nodata outside the sample type, colour table on a non-integer band, ...)
     * @throws IOException              if no temporary file can be created next to {@code out}
     */
    public static CogWriter create(Path out, RasterMetadata meta, CogWriteOptions options) throws IOException {
        return new CogWriter(out, meta, options);
    }

    /**
     * Writes a raster held in memory as a COG (tiles encoded in parallel). The raster must match {@code meta}'s
     * size, band count and sample type.
     */
    public static void write(Path out, RasterMetadata meta, Raster whole, CogWriteOptions options) throws IOException {
        if (whole.width() != meta.width() || whole.height() != meta.height() || whole.bandCount() != meta.bands()
                || whole.sampleType() != meta.sampleType()) {
            throw new IllegalArgumentException("raster is " + whole.width() + "x" + whole.height() + "x"
                    + whole.bandCount() + " " + whole.sampleType() + " but the metadata describes " + meta.width()
                    + "x" + meta.height() + "x" + meta.bands() + " " + meta.sampleType());
        }
        try (CogWriter w = create(out, meta, options)) {
            int across = w.tilesAcross(0);
            try {
                IntStream.range(0, w.tileState.length).parallel().forEach(WorkMeter.wrap((int i) -> {
                    int col = i % across, row = i / across;
                    try {
                        w.storeTile(col, row, whole, col * w.tileSize, row * w.tileSize);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.finish(whole);
        }
    }

    /** The output path. */
    public Path path() {
        return out;
    }

    /** Number of full-resolution tile columns. */
    public int tilesAcross() {
        return tilesAcross(0);
    }

    /** Number of full-resolution tile rows. */
    public int tilesDown() {
        return tilesDown(0);
    }

    /** Sizes of the overview levels that will be written, largest first ({@code {width, height}} each). */
    public int[][] overviewSizes() {
        int[][] o = new int[sizes.length - 1][];
        for (int k = 1; k < sizes.length; k++) o[k - 1] = sizes[k].clone();
        return o;
    }

    private int tilesAcross(int level) {
        return (sizes[level][0] + tileSize - 1) / tileSize;
    }

    private int tilesDown(int level) {
        return (sizes[level][1] + tileSize - 1) / tileSize;
    }

    /**
     * Writes the full-resolution tile at ({@code tileCol}, {@code tileRow}). The tile holds all bands in the
     * file's sample type and is {@code tileSize x tileSize}, or smaller at the right and bottom edges (exactly the
     * part inside the image, or anything up to full size; pixels outside the image are ignored). Thread-safe.
     *
     * @throws IllegalArgumentException if the tile is outside the grid or has the wrong size, type or band count
     * @throws IllegalStateException    if the tile was already written, or the writer is finished or closed
     * @throws IOException              if the spill file cannot be written (the writer is then unusable)
     */
    public void writeTile(int tileCol, int tileRow, Raster tile) throws IOException {
        int across = tilesAcross(0), down = tilesDown(0);
        if (tileCol < 0 || tileRow < 0 || tileCol >= across || tileRow >= down) {
            throw new IllegalArgumentException("tile (" + tileCol + ", " + tileRow + ") is outside the " + across + "x"
                    + down + " tile grid of " + out);
        }
        if (tile.sampleType() != meta.sampleType()) {
            throw new IllegalArgumentException("tile (" + tileCol + ", " + tileRow + ") is " + tile.sampleType()
                    + " but " + out + " is " + meta.sampleType());
        }
        if (tile.bandCount() != meta.bands()) {
            throw new IllegalArgumentException("tile (" + tileCol + ", " + tileRow + ") has " + tile.bandCount()
                    + " bands but " + out + " has " + meta.bands());
        }
        int validW = Math.min(tileSize, meta.width() - tileCol * tileSize);
        int validH = Math.min(tileSize, meta.height() - tileRow * tileSize);
        if (tile.width() < validW || tile.width() > tileSize || tile.height() < validH || tile.height() > tileSize) {
            throw new IllegalArgumentException("tile (" + tileCol + ", " + tileRow + ") is " + tile.width() + "x"
                    + tile.height() + "; it must cover " + validW + "x" + validH + " image pixels and be at most "
                    + tileSize + "x" + tileSize);
        }
        storeTile(tileCol, tileRow, tile, 0, 0);
    }

    /**
     * Writes a whole row of full-resolution tiles from one strip of the image: {@code strip} holds image rows
     * {@code tileRow * tileSize} onwards, the full image width, and as many rows as the tile row has inside the
     * image (or a full tile height). The tiles are encoded in parallel. Handy when the source is read in strips.
     *
     * @throws IllegalArgumentException if the row is outside the grid or the strip has the wrong size, type or bands
     * @throws IllegalStateException    if a tile of the row was already written, or the writer is not open
     * @throws IOException              if the spill file cannot be written
     */
    public void writeTileRow(int tileRow, Raster strip) throws IOException {
        int down = tilesDown(0);
        if (tileRow < 0 || tileRow >= down) {
            throw new IllegalArgumentException("tile row " + tileRow + " is outside the " + down + " tile rows of " + out);
        }
        int validH = Math.min(tileSize, meta.height() - tileRow * tileSize);
        if (strip.sampleType() != meta.sampleType() || strip.bandCount() != meta.bands()
                || strip.width() != meta.width() || strip.height() < validH || strip.height() > tileSize) {
            throw new IllegalArgumentException("tile row " + tileRow + " strip is " + strip.width() + "x"
                    + strip.height() + "x" + strip.bandCount() + " " + strip.sampleType() + "; " + out + " needs "
                    + meta.width() + "x" + validH + "x" + meta.bands() + " " + meta.sampleType());
        }
        try {
            IntStream.range(0, tilesAcross(0)).parallel().forEach(WorkMeter.wrap((int col) -> {
                try {
                    storeTile(col, tileRow, strip, col * tileSize, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Encodes and spills the tile whose image pixels start at ({@code srcX}, {@code srcY}) of {@code src}. */
    private void storeTile(int col, int row, Raster src, int srcX, int srcY) throws IOException {
        int index = row * tilesAcross(0) + col;
        synchronized (lock) {
            checkOpen();
            if (tileState[index] != EMPTY) {
                throw new IllegalStateException("tile (" + col + ", " + row + ") of " + out + " was already written");
            }
            tileState[index] = ENCODING;
            tilesInFlight++;
        }
        boolean stored = false;
        try {
            int validW = Math.min(tileSize, meta.width() - col * tileSize);
            int validH = Math.min(tileSize, meta.height() - row * tileSize);
            byte[] data = codec.encode(src, srcX, srcY, validW, validH);
            long offset;
            try {
                offset = spill.append(data);
            } catch (IOException e) {
                fail(e);
                throw new IOException("cannot spill tile (" + col + ", " + row + ") of " + out + " to " + spill.path()
                        + ": " + e.getMessage(), e);
            }
            synchronized (lock) {
                spillOffsets[0][index] = offset;
                byteCounts[0][index] = data.length;
                tileState[index] = STORED;
            }
            stored = true;
        } finally {
            synchronized (lock) {
                if (!stored && tileState[index] == ENCODING) {
                    tileState[index] = EMPTY;
                }
                tilesInFlight--;
            }
        }
    }

    private void checkOpen() {
        switch (state) {
            case OPEN -> { }
            case FAILED -> throw new IllegalStateException("writing " + out + " failed earlier: " + failure, failure);
            default -> throw new IllegalStateException("COG writer for " + out + " is " + state.name().toLowerCase());
        }
    }

    private void fail(Throwable t) {
        synchronized (lock) {
            if (state == State.OPEN || state == State.FINISHING) {
                state = State.FAILED;
                failure = t;
            }
        }
    }

    /**
     * Builds the overviews and writes the COG to the output path (replacing any file there). Afterwards the writer
     * accepts no more tiles; {@link #close()} only releases it.
     *
     * @throws IllegalStateException if tiles are missing and {@link MissingTiles#FAIL} is set (the writer stays open
     *                               so they can still be written), or if tiles are still being written
     * @throws IOException           if writing fails; nothing is left at the output path
     */
    public void finish() throws IOException {
        finish(null);
    }

    private void finish(Raster whole) throws IOException {
        int missing = 0;
        List<String> firstMissing = new ArrayList<>();
        synchronized (lock) {
            checkOpen();
            if (tilesInFlight > 0) {
                throw new IllegalStateException("finish() called on " + out + " while " + tilesInFlight
                        + " writeTile calls are still running");
            }
            for (int i = 0; i < tileState.length; i++) {
                if (tileState[i] != STORED) {
                    if (missing++ < 5) {
                        firstMissing.add("(" + i % tilesAcross(0) + ", " + i / tilesAcross(0) + ")");
                    }
                }
            }
            if (missing > 0 && options.missingTiles() == MissingTiles.FAIL) {
                throw new IllegalStateException(missing + " of " + tileState.length + " tiles of " + out
                        + " were never written, e.g. " + String.join(", ", firstMissing));
            }
            state = State.FINISHING;
        }
        long started = System.nanoTime();
        Path part = null;
        try {
            byte[] fill = codec.encodeFill();
            buildOverviews(whole);
            part = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName() + ".", ".part");
            Files.delete(part); // the assembler creates it exclusively
            List<CogAssembler.Level> levels = new ArrayList<>();
            for (int k = 0; k < sizes.length; k++) {
                levels.add(new CogAssembler.Level(spillOffsets[k], byteCounts[k]));
            }
            long bytes = CogAssembler.write(part, levels, this::ifd, spill, fill, options.bigTiff(), out.toString());
            moveIntoPlace(part, out);
            part = null;
            synchronized (lock) {
                state = State.FINISHED;
            }
            if (log.isDebugEnabled()) {
                log.debug("wrote COG {}: {}x{}x{} {}, {} overviews, {} missing tiles filled, {} bytes in {} ms", out,
                        meta.width(), meta.height(), meta.bands(), meta.sampleType(), sizes.length - 1, missing,
                        bytes, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
            if (part != null) {
                Files.deleteIfExists(part);
            }
            throw e;
        } finally {
            spill.close();
        }
    }

    private static void moveIntoPlace(Path part, Path out) throws IOException {
        try {
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Discards the output unless {@link #finish()} succeeded: deletes the temporary files. Idempotent.
     */
    @Override
    public void close() throws IOException {
        boolean discard;
        synchronized (lock) {
            discard = state != State.FINISHED;
            if (state == State.OPEN || state == State.FAILED) {
                state = State.CLOSED;
            } else if (state == State.FINISHED) {
                state = State.CLOSED;
            }
        }
        if (discard) {
            spill.close();
        }
    }

    // ---------------------------------------------------------------- overviews (second pass)

    private void buildOverviews(Raster whole) throws IOException {
        if (sizes.length == 1) {
            return;
        }
        OverviewLevel[] levels = new OverviewLevel[sizes.length];
        LevelOutput[] outputs = new LevelOutput[sizes.length];
        for (int k = sizes.length - 1; k >= 1; k--) {
            outputs[k] = new LevelOutput(k, k + 1 < sizes.length ? levels[k + 1] : null);
            levels[k] = new OverviewLevel(sizes[k - 1][0], sizes[k - 1][1], sizes[k][0], sizes[k][1],
                    meta.sampleType(), resampling, nodata, options.modeTies(), outputs[k]);
        }
        if (whole != null) {
            levels[1].accept(whole, 0, whole.height());
        } else {
            int width = meta.width(), height = meta.height();
            Raster strip = Raster.allocate(width, Math.min(tileSize, height), meta.bands(), meta.sampleType());
            int across = tilesAcross(0);
            for (int row = 0; row < tilesDown(0); row++) {
                int rows = Math.min(tileSize, height - row * tileSize);
                int tileRow = row;
                try {
                    IntStream.range(0, across).parallel().forEach(WorkMeter.wrap((int col) -> {
                        int index = tileRow * across + col;
                        int validW = Math.min(tileSize, width - col * tileSize);
                        try {
                            if (spillOffsets[0][index] < 0) {
                                Samples.fillRect(strip, col * tileSize, 0, validW, rows, fillValue);
                            } else {
                                byte[] data = spill.read(spillOffsets[0][index], byteCounts[0][index]);
                                codec.decode(data, strip, col * tileSize, 0, validW, rows);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                } catch (UncheckedIOException e) {
                    throw new IOException("cannot read back spilled tile row " + row + " of " + out + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                levels[1].accept(strip, row * tileSize, rows);
            }
        }
        for (int k = 1; k < sizes.length; k++) {
            if (!levels[k].complete() || outputs[k].pendingRows() != 0) {
                throw new IllegalStateException("overview level " + k + " of " + out + " is incomplete: "
                        + levels[k].rowsDone() + " of " + sizes[k][1] + " rows");
            }
        }
    }

    /**
     * Collects the rows of one overview level into a tile-row buffer; each full buffer is encoded into tiles
     * (in parallel), spilled, and passed on as the source of the next level.
     */
    private final class LevelOutput implements OverviewLevel.RowSink {
        private final int level;
        private final OverviewLevel next;
        private final Raster buffer;
        private int firstRow;
        private int rows;

        LevelOutput(int level, OverviewLevel next) {
            this.level = level;
            this.next = next;
            this.buffer = Raster.allocate(sizes[level][0], Math.min(tileSize, sizes[level][1]), meta.bands(),
                    meta.sampleType());
        }

        int pendingRows() {
            return rows;
        }

        @Override
        public void row(int dstRow, double[][] values) throws IOException {
            for (int b = 0; b < values.length; b++) {
                Samples.writeRow(buffer, b, 0, rows, sizes[level][0], values[b]);
            }
            rows++;
            if (rows == buffer.height() || dstRow == sizes[level][1] - 1) {
                flush();
            }
        }

        private void flush() throws IOException {
            int across = tilesAcross(level), tileRow = firstRow / tileSize, width = sizes[level][0];
            int validH = rows;
            byte[][] tiles = new byte[across][];
            IntStream.range(0, across).parallel().forEach(WorkMeter.wrap((int col) ->
                    tiles[col] = codec.encode(buffer, col * tileSize, 0, Math.min(tileSize, width - col * tileSize), validH)));
            for (int col = 0; col < across; col++) {
                int index = tileRow * across + col;
                spillOffsets[level][index] = spill.append(tiles[col]);
                byteCounts[level][index] = tiles[col].length;
            }
            if (next != null) {
                next.accept(buffer, firstRow, rows);
            }
            firstRow += rows;
            rows = 0;
        }
    }

    // ---------------------------------------------------------------- IFDs

    private TiffIfd ifd(int level, long[] tileOffsets, long[] tileByteCounts, boolean bigTiff) {
        SampleType type = meta.sampleType();
        int bands = meta.bands();
        TiffIfd ifd = new TiffIfd();
        if (level > 0) {
            ifd.longs(TiffTags.NEW_SUBFILE_TYPE, 1);
        }
        ifd.shortOrLong(TiffTags.IMAGE_WIDTH, sizes[level][0]);
        ifd.shortOrLong(TiffTags.IMAGE_LENGTH, sizes[level][1]);
        int[] bits = new int[bands];
        Arrays.fill(bits, type.bits());
        ifd.shorts(TiffTags.BITS_PER_SAMPLE, bits);
        ifd.shorts(TiffTags.COMPRESSION, switch (options.compression()) {
            case NONE -> TiffTags.COMPRESSION_NONE;
            case DEFLATE -> TiffTags.COMPRESSION_DEFLATE;
            case ZSTD -> TiffTags.COMPRESSION_ZSTD;
        });
        ifd.shorts(TiffTags.PHOTOMETRIC, colorMap != null ? TiffTags.PHOTOMETRIC_PALETTE : TiffTags.PHOTOMETRIC_MIN_IS_BLACK);
        ifd.shorts(TiffTags.SAMPLES_PER_PIXEL, bands);
        ifd.shorts(TiffTags.PLANAR_CONFIGURATION, 1);
        if (options.compression() != CogWriteOptions.Compression.NONE) {
            ifd.shorts(TiffTags.PREDICTOR, switch (predictor) {
                case NONE -> TiffTags.PREDICTOR_NONE;
                case HORIZONTAL -> TiffTags.PREDICTOR_HORIZONTAL;
                case FLOATING_POINT -> TiffTags.PREDICTOR_FLOATING_POINT;
            });
        }
        if (colorMap != null) {
            ifd.shorts(TiffTags.COLOR_MAP, colorMap);
        }
        ifd.shorts(TiffTags.TILE_WIDTH, tileSize);
        ifd.shorts(TiffTags.TILE_LENGTH, tileSize);
        if (bigTiff) {
            ifd.long8s(TiffTags.TILE_OFFSETS, tileOffsets);
        } else {
            ifd.longs(TiffTags.TILE_OFFSETS, tileOffsets);
        }
        ifd.longs(TiffTags.TILE_BYTE_COUNTS, tileByteCounts);
        if (bands > 1) {
            ifd.shorts(TiffTags.EXTRA_SAMPLES, new int[bands - 1]);
        }
        int[] formats = new int[bands];
        Arrays.fill(formats, type.tiffSampleFormat());
        ifd.shorts(TiffTags.SAMPLE_FORMAT, formats);
        if (level == 0) {
            GeoTiffTags.addGeoreferencing(ifd, meta.transform(), meta.epsg());
            if (gdalMetadata != null) {
                ifd.ascii(TiffTags.GDAL_METADATA, gdalMetadata);
            }
        }
        if (nodata != null) {
            ifd.ascii(TiffTags.GDAL_NODATA, GeoTiffTags.gdalNoData(nodata));
        }
        return ifd;
    }
}
