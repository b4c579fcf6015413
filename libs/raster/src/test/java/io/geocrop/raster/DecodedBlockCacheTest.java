package io.geocrop.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.io.FileByteSource;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoded blocks kept between reads: the same pixels as decoding every time, a block read once from the file however
 * many windows touch it, and the byte bound holding.
 */
class DecodedBlockCacheTest {
    @TempDir
    Path dir;

    @Test
    void windowsOverCachedBlocksAreTheSamePixelsWithoutReadingTheFileAgain() throws Exception {
        int size = 1024;
        short[] pixels = new short[size * size];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (short) ((i % size) / 3 + random.nextInt(50));
        }
        RasterMetadata meta = RasterMetadata.of(size, size, 1, SampleType.UINT16,
                GeoTransform.northUp(300_000, 8_000_000, 10, 10), 32736);
        Path file = dir.resolve("cog.tif");
        CogWriter.write(file, meta, Raster.wrap(size, size, SampleType.UINT16, (Object) pixels),
                CogWriteOptions.builder().tileSize(256).build());

        DecodedBlockCache cache = new DecodedBlockCache(64L << 20);
        ReaderTestSupport.CountingSource counted = new ReaderTestSupport.CountingSource(FileByteSource.open(file));
        try (GeoTiff plain = GeoTiffReader.open(FileByteSource.open(file)); GeoTiff cached = GeoTiffReader.open(counted)) {
            cached.useDecodedCache(cache);
            RasterWindow[] windows = {new RasterWindow(100, 100, 300, 300), new RasterWindow(200, 150, 256, 256),
                    new RasterWindow(900, 900, 300, 300), new RasterWindow(-20, 500, 100, 100)};
            for (RasterWindow w : windows) {
                assertArrayEquals(plain.read(0, w, new int[] {0}).shorts(0), cached.read(0, w, new int[] {0}).shorts(0), w.toString());
            }
            // Every block those windows touch is decoded now: reading them again reads nothing from the file.
            counted.reset();
            for (RasterWindow w : windows) {
                assertArrayEquals(plain.read(0, w, new int[] {0}).shorts(0), cached.read(0, w, new int[] {0}).shorts(0), w.toString());
            }
            assertEquals(0, counted.totalCalls(), "reads of cached blocks go to the file");
            assertTrue(cache.hitsAndMisses()[0] > 0);
        }
    }

    @Test
    void theLeastRecentlyUsedBlocksGoWhenTheBoundIsReached() {
        DecodedBlockCache cache = new DecodedBlockCache(3000);
        Object image = new Object();
        cache.put(image, 0, new byte[1000]);
        cache.put(image, 1, new byte[1000]);
        cache.get(image, 0); // block 0 is now the most recently used
        cache.put(image, 2, new short[600]); // 1200 bytes: over the bound, block 1 goes
        assertEquals(2200, cache.bytes());
        assertTrue(cache.get(image, 0) != null && cache.get(image, 2) != null);
        assertEquals(null, cache.get(image, 1));
        assertEquals(null, cache.get(new Object(), 0), "another image's block 0 is another block");
        cache.put(image, 3, new byte[4000]); // larger than the whole cache: not kept, nothing dropped for it
        assertEquals(2200, cache.bytes());
    }
}
