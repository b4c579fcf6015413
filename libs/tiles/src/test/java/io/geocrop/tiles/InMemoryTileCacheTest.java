package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InMemoryTileCacheTest {
    private static TileKey key(int x) {
        return new TileKey("dw-2024", "etag.1", 10, x, 5, 1);
    }

    @Test
    void evictsLeastRecentlyUsedToStayWithinBytes() {
        long entry = 1000 + TileKey.OVERHEAD_BYTES;
        InMemoryTileCache cache = new InMemoryTileCache(3 * entry);
        for (int x = 0; x < 3; x++) {
            cache.put(key(x), new byte[1000]);
        }
        cache.get(key(0)); // 0 becomes the most recently used
        cache.put(key(3), new byte[1000]);
        assertTrue(cache.get(key(1)).isEmpty(), "1 was the least recently used");
        assertTrue(cache.get(key(0)).isPresent());
        assertTrue(cache.get(key(3)).isPresent());
        TileCache.Stats s = cache.stats();
        assertEquals(3, s.entries());
        assertEquals(1, s.evictions());
        assertEquals(3 * entry, s.bytes());
        assertEquals(1, s.misses());
        assertEquals(3, s.hits());
    }

    @Test
    void replacingAKeyKeepsTheByteCountRight() {
        InMemoryTileCache cache = new InMemoryTileCache(1 << 20);
        cache.put(key(1), new byte[100]);
        byte[] newer = {1, 2, 3};
        cache.put(key(1), newer);
        assertArrayEquals(newer, cache.get(key(1)).orElseThrow());
        assertEquals(3 + TileKey.OVERHEAD_BYTES, cache.stats().bytes());
    }

    @Test
    void zeroBytesHoldsNothingAndOversizedTilesAreSkipped() {
        InMemoryTileCache off = new InMemoryTileCache(0);
        off.put(key(1), new byte[10]);
        assertTrue(off.get(key(1)).isEmpty());
        InMemoryTileCache small = new InMemoryTileCache(500);
        small.put(key(1), new byte[1000]);
        assertEquals(0, small.stats().entries());
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTileCache(-1));
    }

    @Test
    void keyStringIsStable() {
        assertEquals("dw-2024/etag.1/10/7/5@1", key(7).asString());
    }
}
