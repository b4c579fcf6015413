package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link TileCache} must do; run against the in-memory, Redis and tiered caches. */
abstract class TileCacheContract {
    /** A new, empty cache. */
    abstract TileCache newCache();

    /** Keys unique to this run, so caches that outlive a test (Redis) never see another run's tiles. */
    final String layer = "dw-2024-" + UUID.randomUUID();

    TileKey key(int x) {
        return new TileKey(layer, "etag-1/style-1", 14, x, 9000, 1);
    }

    static byte[] png(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMissThenTheStoredBytes() {
        TileCache cache = newCache();
        assertTrue(cache.get(key(1)).isEmpty());
        cache.put(key(1), png("tile one"));
        assertArrayEquals(png("tile one"), cache.get(key(1)).orElseThrow());
        TileCache.Stats stats = cache.stats();
        assertEquals(1, stats.hits());
        assertEquals(1, stats.misses());
    }

    @Test
    void everyPartOfTheKeyCounts() {
        TileCache cache = newCache();
        cache.put(key(2), png("v1"));
        assertTrue(cache.get(new TileKey(layer, "etag-2/style-1", 14, 2, 9000, 1)).isEmpty(), "a new ETag is a new key");
        assertTrue(cache.get(new TileKey(layer, "etag-1/style-1", 14, 2, 9000, 2)).isEmpty(), "@2x is another tile");
        assertTrue(cache.get(new TileKey(layer, "etag-1/style-1", 15, 2, 9000, 1)).isEmpty());
        cache.put(key(2), png("v2"));
        assertArrayEquals(png("v2"), cache.get(key(2)).orElseThrow(), "a store replaces");
    }

    @Test
    void concurrentReadersAndWritersSeeWholeTiles() throws Exception {
        TileCache cache = newCache();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int x = (i * 7 + thread) % 50;
                        cache.put(key(x), png("tile " + x));
                        cache.get(key((x + 1) % 50)).ifPresent(p ->
                                assertTrue(new String(p, StandardCharsets.UTF_8).startsWith("tile "), "torn tile"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int x = 0; x < 50; x++) {
            assertArrayEquals(png("tile " + x), cache.get(key(x)).orElseThrow());
        }
    }
}
