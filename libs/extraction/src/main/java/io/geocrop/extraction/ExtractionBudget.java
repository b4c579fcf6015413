package io.geocrop.extraction;

import java.util.concurrent.Semaphore;

/**
 * How many tiles one process extracts at once, and the fair semaphore that holds it to that. The number follows
 * from the heap: {@code floor(maxHeap x HEAP_SHARE / peak heap of one tile)}, at least 1, where the tile's peak
 * is {@link TileMemory#peakBytes()}. Embedded, the heap is {@code -Xmx} (or the JVM's default share of the
 * machine); in a container the JVM sizes it from the container's memory limit ({@code -XX:MaxRAMPercentage}), so
 * the same rule follows the pod's memory. {@code geocrop.extraction.max-tiles-in-flight}
 * ({@code GEOCROP_EXTRACTION_MAX_TILES_IN_FLIGHT}) above 0 overrides it.
 *
 * <p>The embedded router can use {@link #tilesInFlight()} as the delivery concurrency of extract-features' tile
 * events, so tiles beyond the budget wait in the router's queue rather than on this semaphore.
 */
public final class ExtractionBudget {
    /** The configuration key of the override. */
    public static final String PROPERTY = "geocrop.extraction.max-tiles-in-flight";
    /**
     * Share of the heap tile extraction may take: the rest is for the model and scoring, the tile cache, the web
     * server, the job store and the garbage collector's headroom.
     */
    public static final double HEAP_SHARE = 0.5;

    private final int tilesInFlight;
    private final long perTileBytes;
    private final long maxHeapBytes;
    private final boolean overridden;
    private final Semaphore permits;

    private ExtractionBudget(int tilesInFlight, long perTileBytes, long maxHeapBytes, boolean overridden) {
        this.tilesInFlight = tilesInFlight;
        this.perTileBytes = perTileBytes;
        this.maxHeapBytes = maxHeapBytes;
        this.overridden = overridden;
        this.permits = new Semaphore(tilesInFlight, true);
    }

    /**
     * The budget of a process with {@code maxHeapBytes} of heap.
     *
     * @param tile     one tile's memory (acquisitions: a typical season, {@link TileMemory#TYPICAL_ACQUISITIONS})
     * @param override tiles in flight configured; 0 or less means computed from the heap
     */
    public static ExtractionBudget of(long maxHeapBytes, TileMemory tile, int override) {
        long perTile = tile.peakBytes();
        if (override > 0) {
            return new ExtractionBudget(override, perTile, maxHeapBytes, true);
        }
        long fits = (long) (maxHeapBytes * HEAP_SHARE) / perTile;
        return new ExtractionBudget((int) Math.clamp(fits, 1, 1024), perTile, maxHeapBytes, false);
    }

    /** The budget of this JVM ({@code Runtime.maxMemory()}). */
    public static ExtractionBudget ofThisProcess(TileMemory tile, int override) {
        return of(Runtime.getRuntime().maxMemory(), tile, override);
    }

    /** Tiles extracted at once by this process. */
    public int tilesInFlight() {
        return tilesInFlight;
    }

    /** The peak heap of one tile the budget was computed with. */
    public long perTileBytes() {
        return perTileBytes;
    }

    /** The heap the budget was computed from. */
    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    /** Whether the number was configured rather than computed. */
    public boolean overridden() {
        return overridden;
    }

    /** Tiles waiting for a permit right now (an estimate, for logs and metrics). */
    public int waiting() {
        return permits.getQueueLength();
    }

    /** Takes a permit, first come first served; the caller releases it with {@link #release()}. */
    public void acquire() throws InterruptedException {
        permits.acquire();
    }

    /** Gives a permit back. */
    public void release() {
        permits.release();
    }

    /** One line for the logs. */
    public String describe() {
        return tilesInFlight + " tile(s) in flight (" + (overridden ? "configured by " + PROPERTY
                : "heap " + mib(maxHeapBytes) + " MiB x " + HEAP_SHARE + " / " + mib(perTileBytes) + " MiB per tile")
                + ")";
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
