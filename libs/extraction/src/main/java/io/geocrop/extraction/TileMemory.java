package io.geocrop.extraction;

import io.geocrop.domain.ProcessingGrid;
import io.geocrop.features.Band;
import io.geocrop.features.FeatureOrder;

/**
 * The heap one tile's extraction needs, as arithmetic (docs/performance.md, "Memory per tile"). A tile goes
 * through three phases that do not overlap, so its peak is the largest of them:
 *
 * <ol>
 *   <li><b>reading</b>: {@code min(concurrentDays, acquisitions)} acquisition days in flight, each with its day
 *       mosaic (10 int16 bands + quality), the DN of the item being merged, its SCL and masks, the warp's source
 *       window, decoded source blocks and output, ten DN-to-reflectance tables, and the buffer that spills the
 *       day to disk;</li>
 *   <li><b>computing</b>: one row block of every day ({@code acquisitions x width x blockRows x 21} bytes), the
 *       block's features, and the tile's features ({@code 51 x pixels x 4} bytes);</li>
 *   <li><b>writing</b>: the tile's features and the COG encoder's buffers (one band tile, its predictor copy and
 *       its compressed bytes per encoding thread).</li>
 * </ol>
 * The season itself is on disk ({@code SpilledSeason}: 21 bytes per pixel and day), not on the heap.
 *
 * @param pixels          pixels of the tile (512 x 512 for a job tile)
 * @param width           pixels per row
 * @param bands           reflectance bands read per day (10)
 * @param acquisitions    acquisition days of the season (T)
 * @param blockRows       rows of the season in memory at a time
 * @param concurrentDays  days read at the same time
 * @param encoderThreads  threads encoding the COG's band tiles at once
 */
public record TileMemory(int pixels, int width, int bands, int acquisitions, int blockRows, int concurrentDays,
                         int encoderThreads) {

    /** What a season in a typical Zimbabwe summer holds: 55 acquisition days (Sentinel-2A and 2B, 5 days). */
    public static final int TYPICAL_ACQUISITIONS = 55;
    /** Bytes per DN-to-reflectance table (one per band and item merged). */
    private static final long TABLE_BYTES = 65_536L * Short.BYTES;

    /** Checks the sizes. */
    public TileMemory {
        if (pixels < 1 || width < 1 || bands < 1 || acquisitions < 0 || blockRows < 1 || concurrentDays < 1
                || encoderThreads < 1) {
            throw new IllegalArgumentException("tile memory needs positive sizes, got " + pixels + " pixels, width "
                    + width + ", " + bands + " bands, " + acquisitions + " acquisitions, " + blockRows
                    + " block rows, " + concurrentDays + " concurrent days, " + encoderThreads + " encoder threads");
        }
    }

    /** A 512 x 512 job tile of GeoCrop's ten bands. */
    public static TileMemory jobTile(int acquisitions, int blockRows, int concurrentDays) {
        int size = ProcessingGrid.TILE_SIZE_PX;
        return new TileMemory(size * size, size, Band.COUNT, acquisitions, blockRows, concurrentDays,
                Runtime.getRuntime().availableProcessors());
    }

    /** Heap of one day being read and mosaicked. */
    public long bytesPerDayInFlight() {
        long mosaic = (long) pixels * (bands * Short.BYTES + 1);
        long itemDn = (long) pixels * bands * Short.BYTES;
        long sclAndMasks = (long) pixels * (Short.BYTES + 2);
        // The source window (a little larger than the tile) and up to four decoded source blocks of the same size,
        // then the warped band: six tile-sized int16 planes at most.
        long warp = 6L * pixels * Short.BYTES;
        long spillBuffer = (long) width * blockRows * (bands * Short.BYTES + 1);
        return mosaic + itemDn + sclAndMasks + warp + bands * TABLE_BYTES + spillBuffer;
    }

    /** Phase 1: the days in flight. */
    public long readingBytes() {
        return Math.min(concurrentDays, Math.max(1, acquisitions)) * bytesPerDayInFlight();
    }

    /** The tile's 51 float features. */
    public long featureBytes() {
        return (long) FeatureOrder.COUNT * pixels * Float.BYTES;
    }

    /** One row block of every day, as the kernel reads it. */
    public long blockBytes() {
        return (long) acquisitions * width * blockRows * (bands * Short.BYTES + 1);
    }

    /** Phase 2: a block of the season, its features, and the tile's features. */
    public long computingBytes() {
        long blockFeatures = (long) FeatureOrder.COUNT * width * blockRows * Float.BYTES;
        return blockBytes() + blockFeatures + featureBytes();
    }

    /** Phase 3: the tile's features and the encoder's buffers. */
    public long writingBytes() {
        long bandTile = (long) pixels * Float.BYTES;
        return featureBytes() + encoderThreads * 3L * bandTile;
    }

    /** The tile's peak heap: the largest phase. */
    public long peakBytes() {
        return Math.max(readingBytes(), Math.max(computingBytes(), writingBytes()));
    }

    /** The whole season in memory, as before row blocks, for comparison: T days of 10 int16 bands + quality. */
    public long wholeSeasonBytes() {
        return (long) acquisitions * pixels * (bands * Short.BYTES + 1);
    }

    /** Bytes of the season's spill file on disk. */
    public long spillFileBytes() {
        return wholeSeasonBytes();
    }
}
