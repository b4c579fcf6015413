package io.geocrop.imagery.s2;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.features.Band;
import io.geocrop.features.SeasonTimeSeries;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One job tile's season written to a file by {@link SeasonReader#spill}, so that only one block of rows of every
 * acquisition day is in memory at a time while the features are computed.
 *
 * <p>File layout, blocks of {@code blockRows} rows (the last may be shorter), every block contiguous:
 * {@code block k: day 0 .. T-1: band 0 .. 9 as int16 (rows x 512), then quality as int8 (rows x 512)}, native byte
 * order. A block is therefore one region of {@code T x rows x 512 x 21} bytes, read in {@code T} positional reads,
 * and days can be written concurrently (positional writes of disjoint regions) in whatever order they finish.
 *
 * <p>Not thread-safe for reading: take blocks from one thread. Closing deletes the file.
 */
public final class SpilledSeason implements AutoCloseable {
    private static final int WIDTH = ProcessingGrid.TILE_SIZE_PX;
    private static final int HEIGHT = ProcessingGrid.TILE_SIZE_PX;
    /** Bytes per pixel and day: ten int16 bands and one quality byte. */
    public static final int BYTES_PER_PIXEL_DAY = Band.COUNT * Short.BYTES + 1;

    private final JobTile tile;
    private final Season season;
    private final List<Acquisition> acquisitions;
    private final int[] days;
    private final Path file;
    private final FileChannel channel;
    private final int blockRows;
    private List<String> skipped = List.of();
    private boolean finished;

    SpilledSeason(JobTile tile, Season season, List<Acquisition> acquisitions, Path file, int blockRows)
            throws IOException {
        this.tile = tile;
        this.season = season;
        this.acquisitions = List.copyOf(acquisitions);
        this.days = acquisitions.stream().mapToInt(Acquisition::dayOfSeason).toArray();
        this.file = file;
        this.blockRows = blockRows;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** The job tile. */
    public JobTile tile() {
        return tile;
    }

    /** The acquisition days, in the order of the series. */
    public List<Acquisition> acquisitions() {
        return acquisitions;
    }

    /** One readable line per item left out (corrupt or truncated COG, ...). */
    public List<String> skipped() {
        return skipped;
    }

    /** The ids of every item read, in acquisition order. */
    public List<String> itemIds() {
        return acquisitions.stream().flatMap(a -> a.itemIds().stream()).toList();
    }

    /** Rows per block (the last block may have fewer). */
    public int blockRows() {
        return blockRows;
    }

    /** Number of row blocks. */
    public int blockCount() {
        return (HEIGHT + blockRows - 1) / blockRows;
    }

    /** First tile row of block {@code k}. */
    public int firstRow(int k) {
        return k * blockRows;
    }

    /** Rows in block {@code k}. */
    public int rows(int k) {
        return Math.min(blockRows, HEIGHT - firstRow(k));
    }

    /** Size of the spill file: 21 bytes per pixel and acquisition day. */
    public long fileBytes() {
        return fileBytes(days.length);
    }

    /** Size of the spill file of a 512 x 512 tile with {@code acquisitions} days. */
    public static long fileBytes(int acquisitions) {
        return (long) acquisitions * WIDTH * HEIGHT * BYTES_PER_PIXEL_DAY;
    }

    /**
     * Block {@code k} of the season: a series {@code 512 x rows(k)} whose pixel {@code (row, col)} is tile pixel
     * {@code (firstRow(k) + row, col)}. Each call reads the block from the file into fresh arrays.
     */
    public SeasonTimeSeries block(int k) throws IOException {
        if (!finished) {
            throw new IllegalStateException("the season of tile " + tile.id() + " is not fully written yet");
        }
        if (k < 0 || k >= blockCount()) {
            throw new IndexOutOfBoundsException("block " + k + " of " + blockCount());
        }
        int rows = rows(k);
        int pixels = rows * WIDTH;
        int t = days.length;
        short[][][] bands = new short[Band.COUNT][t][pixels];
        byte[][] quality = new byte[t][pixels];
        ByteBuffer buffer = ByteBuffer.allocate(pixels * BYTES_PER_PIXEL_DAY).order(ByteOrder.nativeOrder());
        for (int i = 0; i < t; i++) {
            buffer.clear();
            long position = dayOffset(k, i);
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new EOFException("spill file " + file + " ends before block " + k + " of day " + i);
                }
            }
            buffer.flip();
            for (int b = 0; b < Band.COUNT; b++) {
                buffer.asShortBuffer().get(bands[b][i]);
                buffer.position(buffer.position() + pixels * Short.BYTES);
            }
            buffer.get(quality[i]);
        }
        return SeasonTimeSeries.ofScaledReflectance(season, WIDTH, rows, days, bands, quality);
    }

    /** Byte offset of day {@code i}'s part of block {@code k}: all earlier blocks are full height. */
    private long dayOffset(int k, int i) {
        long blockStart = (long) k * days.length * blockRows * WIDTH * BYTES_PER_PIXEL_DAY;
        return blockStart + (long) i * rows(k) * WIDTH * BYTES_PER_PIXEL_DAY;
    }

    /** Writes day {@code i} (whole-tile arrays) into every block; safe to call from several threads. */
    void writeDay(int i, short[][] bands, byte[] quality) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(blockRows * WIDTH * BYTES_PER_PIXEL_DAY).order(ByteOrder.nativeOrder());
        for (int k = 0; k < blockCount(); k++) {
            int from = firstRow(k) * WIDTH;
            int pixels = rows(k) * WIDTH;
            buffer.clear();
            for (int b = 0; b < Band.COUNT; b++) {
                buffer.asShortBuffer().put(bands[b], from, pixels);
                buffer.position(buffer.position() + pixels * Short.BYTES);
            }
            buffer.put(quality, from, pixels);
            buffer.flip();
            long position = dayOffset(k, i);
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position());
            }
        }
    }

    void finish(List<String> skipped) {
        this.skipped = List.copyOf(skipped);
        this.finished = true;
    }

    /** Closes and deletes the spill file. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The file is in a work directory; a leftover is only disk space, and the close must not fail the tile.
            }
        }
    }
}
