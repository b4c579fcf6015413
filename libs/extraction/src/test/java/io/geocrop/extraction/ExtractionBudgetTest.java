package io.geocrop.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-tile memory arithmetic and the number of tiles in flight it gives. */
class ExtractionBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void oneTilesHeapIsTheLargestOfItsPhasesAndDoesNotHoldTheSeason() {
        TileMemory tile = TileMemory.jobTile(55, 64, 16);
        // The season on disk: 55 days x 512 x 512 px x 21 bytes.
        assertEquals(55L * 512 * 512 * 21, tile.spillFileBytes());
        assertEquals(302_776_320L, tile.wholeSeasonBytes());
        // One block of 64 rows of every day: 55 x 512 x 64 x 21.
        assertEquals(37_847_040L, tile.blockBytes());
        assertEquals(51L * 512 * 512 * 4, tile.featureBytes());
        assertEquals(tile.blockBytes() + 51L * 512 * 64 * 4 + tile.featureBytes(), tile.computingBytes());
        assertEquals(16 * tile.bytesPerDayInFlight(), tile.readingBytes());
        assertEquals(Math.max(tile.readingBytes(), Math.max(tile.computingBytes(), tile.writingBytes())),
                tile.peakBytes());
        // The season no longer counts in full: a longer season adds one block row's worth per day, not 5.5 MB.
        TileMemory longer = TileMemory.jobTile(110, 64, 16);
        assertEquals(tile.readingBytes(), longer.readingBytes());
        assertEquals(55L * 512 * 64 * 21, longer.computingBytes() - tile.computingBytes());
        assertTrue(tile.peakBytes() < tile.wholeSeasonBytes(), tile.peakBytes() / MIB + " MiB");
        // Fewer days read at once, smaller reading phase; no fewer than one.
        assertEquals(TileMemory.jobTile(55, 64, 4).bytesPerDayInFlight() * 4,
                TileMemory.jobTile(55, 64, 4).readingBytes());
        assertEquals(TileMemory.jobTile(0, 64, 16).bytesPerDayInFlight(), TileMemory.jobTile(0, 64, 16).readingBytes());
    }

    @Test
    void tilesInFlightFollowTheHeapUnlessConfigured() {
        TileMemory tile = TileMemory.jobTile(55, 64, 16);
        long perTile = tile.peakBytes();
        ExtractionBudget twoGiB = ExtractionBudget.of(2048 * MIB, tile, 0);
        assertEquals((int) (1024 * MIB / perTile), twoGiB.tilesInFlight());
        assertFalse(twoGiB.overridden());
        assertTrue(twoGiB.describe().contains("heap 2048 MiB x 0.5"), twoGiB.describe());
        ExtractionBudget sixGiB = ExtractionBudget.of(6144 * MIB, tile, 0);
        assertEquals((int) (3072 * MIB / perTile), sixGiB.tilesInFlight());
        assertTrue(sixGiB.tilesInFlight() > twoGiB.tilesInFlight());
        assertEquals(1, ExtractionBudget.of(64 * MIB, tile, 0).tilesInFlight(), "at least one tile, however small");
        ExtractionBudget configured = ExtractionBudget.of(64 * MIB, tile, 7);
        assertEquals(7, configured.tilesInFlight());
        assertTrue(configured.overridden());
        assertTrue(configured.describe().contains(ExtractionBudget.PROPERTY), configured.describe());
    }

    @Test
    void noMoreTilesRunAtOnceThanTheBudgetAllows() throws Exception {
        ExtractionBudget budget = ExtractionBudget.of(1, TileMemory.jobTile(55, 64, 16), 2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(6);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 6; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    budget.acquire();
                    try {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        release.await();
                    } finally {
                        running.decrementAndGet();
                        budget.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        // Four of the six wait on the semaphore once two hold their permits.
        for (int i = 0; i < 500 && budget.waiting() < 4; i++) {
            Thread.sleep(10);
        }
        assertEquals(4, budget.waiting());
        assertEquals(2, running.get());
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(2, most.get());
    }
}
