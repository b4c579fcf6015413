package io.geocrop.extraction;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.features.FeatureExtractor;
import io.geocrop.features.FeatureOrder;
import io.geocrop.imagery.s2.Acquisition;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.s2.SeasonStack;
import io.geocrop.imagery.s2.SpilledSeason;
import io.geocrop.imagery.stac.StacItem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One tile from imagery to feature GeoTIFF: read the season ({@link SeasonReader}), compute the 51 features
 * ({@link FeatureExtractor}) and write them ({@link FeatureGeoTiff}). Shared by the extract-features function and
 * {@code geocrop features}.
 *
 * <p>The season is streamed through the kernel in blocks of {@link #blockRows()} rows: the reader spills each
 * finished acquisition day to a file ({@link SeasonReader#spill}) and the kernel takes one row block of every day
 * at a time, so a tile's heap does not grow with the season's length beyond one block ({@link TileMemory}). The
 * features are the same, bit for bit, as from the whole season in memory ({@link #computeWholeSeason}): the
 * kernel is per pixel, and the samples are the same reads, warps and mosaics.
 */
public final class FeaturePipeline {
    /** Rows per block by default: 64 rows of 55 days are 38 MB of samples (TileMemory). */
    public static final int DEFAULT_BLOCK_ROWS = 64;

    private final SeasonReader reader;
    private final int parallelism;
    private final int blockRows;
    private final Path spillDir;

    /**
     * Blocks of {@link #DEFAULT_BLOCK_ROWS}, spill files in {@code java.io.tmpdir}.
     *
     * @param parallelism threads computing one tile's features
     */
    public FeaturePipeline(SeasonReader reader, int parallelism) {
        this(reader, parallelism, DEFAULT_BLOCK_ROWS, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param parallelism threads computing one tile's features
     * @param blockRows   rows of the season in memory at a time (1 .. 512)
     * @param spillDir    where the season's spill file goes while {@link #compute} runs ({@link #computeAndWrite}
     *                    puts it beside its output file instead)
     */
    public FeaturePipeline(SeasonReader reader, int parallelism, int blockRows, Path spillDir) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (blockRows < 1 || blockRows > ProcessingGrid.TILE_SIZE_PX) {
            throw new IllegalArgumentException("blockRows must be within 1.." + ProcessingGrid.TILE_SIZE_PX + ", got "
                    + blockRows);
        }
        this.reader = reader;
        this.parallelism = parallelism;
        this.blockRows = blockRows;
        this.spillDir = spillDir;
    }

    /** Rows of the season held in memory at a time. */
    public int blockRows() {
        return blockRows;
    }

    /** The acquisition days read for a tile, the items skipped (with why) and the features. */
    public record Computed(List<Acquisition> acquisitions, List<String> skipped, float[][] features) {
        /** Copies the lists. */
        public Computed {
            acquisitions = List.copyOf(acquisitions);
            skipped = List.copyOf(skipped);
        }

        /** The ids of every item read, in acquisition order. */
        public List<String> itemIds() {
            return acquisitions.stream().flatMap(a -> a.itemIds().stream()).toList();
        }
    }

    /** Reads the tile's season from {@code items} and computes its features, a block of rows at a time. */
    public Computed compute(JobTile tile, Season season, List<StacItem> items) throws IOException {
        return compute(tile, season, items, spillDir, () -> {});
    }

    private Computed compute(JobTile tile, Season season, List<StacItem> items, Path dir, Runnable dayRead)
            throws IOException {
        try (SpilledSeason spilled = reader.spill(tile, season, items, dir, blockRows, dayRead)) {
            int width = ProcessingGrid.TILE_SIZE_PX;
            float[][] features = new float[FeatureOrder.COUNT][width * ProcessingGrid.TILE_SIZE_PX];
            for (int k = 0; k < spilled.blockCount(); k++) {
                float[][] block = FeatureExtractor.extractTile(spilled.block(k), parallelism);
                int offset = spilled.firstRow(k) * width;
                for (int f = 0; f < FeatureOrder.COUNT; f++) {
                    System.arraycopy(block[f], 0, features[f], offset, block[f].length);
                }
            }
            return new Computed(spilled.acquisitions(), spilled.skipped(), features);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing the features of tile " + tile.id());
        }
    }

    /**
     * The features from the whole season held in memory at once (about 5.5 MB per acquisition day): the path
     * before row blocks, kept as the reference the block-streamed output is proven equal to.
     */
    public Computed computeWholeSeason(JobTile tile, Season season, List<StacItem> items) throws IOException {
        SeasonStack stack = reader.read(tile, season, items);
        try {
            return new Computed(stack.acquisitions(), stack.skipped(),
                    FeatureExtractor.extractTile(stack.series(), parallelism));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing the features of tile " + tile.id());
        }
    }

    /**
     * {@link #compute} then {@link FeatureGeoTiff#write} to {@code out}; returns what was computed. The season's
     * spill file goes beside {@code out}.
     */
    public Computed computeAndWrite(JobTile tile, Season season, List<StacItem> items, String jobId, Path out)
            throws IOException {
        return computeAndWrite(tile, season, items, jobId, out, () -> {});
    }

    /** As above, calling {@code dayRead} as each acquisition day is read (from the reading threads). */
    public Computed computeAndWrite(JobTile tile, Season season, List<StacItem> items, String jobId, Path out,
                                    Runnable dayRead) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Computed computed = compute(tile, season, items, dir == null ? spillDir : dir, dayRead);
        FeatureGeoTiff.write(out, new FeatureGeoTiff.Provenance(jobId, tile, season.year(), computed.itemIds()),
                computed.features());
        return computed;
    }
}
