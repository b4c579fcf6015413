package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening COGs from the embedded object store, revalidation by ETag, and the tile pipeline on top. */
class CogCacheTest {
    @TempDir Path dir;

    @Test
    void reusesOpenFilesAndReopensWhenTheEtagChanges() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            String key = ObjectKeys.resultCog(UUID.randomUUID());
            store.put(Bucket.RESULTS, key, TestCogs.writeJobResult(dir.resolve("a.tif")), "image/tiff");
            AtomicLong now = new AtomicLong();
            CogCache cogs = new CogCache(store, 2, 1 << 20, Duration.ofSeconds(5), now::get);

            OpenCog first = cogs.open(Bucket.RESULTS, key).orElseThrow();
            assertSame(first, cogs.open(Bucket.RESULTS, key).orElseThrow(), "within the revalidation period");
            now.addAndGet(Duration.ofSeconds(6).toNanos());
            assertSame(first, cogs.open(Bucket.RESULTS, key).orElseThrow(), "same ETag: same open file");

            // A different file under the same key: a new ETag, seen once the period has passed.
            store.put(Bucket.RESULTS, key, TestCogs.writeDynamicWorld(dir.resolve("b.tif")), "image/tiff");
            assertSame(first, cogs.open(Bucket.RESULTS, key).orElseThrow());
            now.addAndGet(Duration.ofSeconds(6).toNanos());
            OpenCog second = cogs.open(Bucket.RESULTS, key).orElseThrow();
            assertNotSame(first, second);
            assertNotEquals(first.eTag(), second.eTag());
            assertEquals(1, second.tiff().metadata().bands());

            store.delete(Bucket.RESULTS, key);
            now.addAndGet(Duration.ofSeconds(6).toNanos());
            assertTrue(cogs.open(Bucket.RESULTS, key).isEmpty());
            assertEquals(0, cogs.size());
        }
    }

    @Test
    void holdsAtMostMaxOpen() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            Path file = TestCogs.writeDynamicWorld(dir.resolve("dw.tif"));
            CogCache cogs = new CogCache(store, 2, 1 << 20, Duration.ZERO, System::nanoTime);
            for (int year = 2020; year < 2024; year++) {
                store.put(Bucket.BASELINES, ObjectKeys.baseline(year, "dw-label.tif"), file, "image/tiff");
                cogs.open(Bucket.BASELINES, ObjectKeys.baseline(year, "dw-label.tif")).orElseThrow();
            }
            assertEquals(2, cogs.size());
        }
    }

    @Test
    void notAGeoTiffIsAnIoErrorNamingTheObject() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            store.put(Bucket.BASELINES, "dw/zim/summer/2020/dw-label.tif", "not a tiff".getBytes(), "image/tiff");
            CogCache cogs = new CogCache(store, 2, 1 << 20, Duration.ZERO, System::nanoTime);
            Exception e = assertThrows(java.io.IOException.class, () -> cogs.open(Bucket.BASELINES, "dw/zim/summer/2020/dw-label.tif"));
            assertTrue(e.getMessage().contains("dw-label.tif"), e.getMessage());
        }
    }

    @Test
    void pipelineCachesTilesUnderTheirEtag() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            String key = ObjectKeys.baseline(2024, "dw-label.tif");
            store.put(Bucket.BASELINES, key, TestCogs.writeDynamicWorld(dir.resolve("dw.tif")), "image/tiff");
            OpenCog cog = new CogCache(store, 2, 1 << 20, Duration.ZERO, System::nanoTime).open(Bucket.BASELINES, key).orElseThrow();
            TilePipeline pipeline = new TilePipeline(new TileRenderer(), new PngEncoder(), new InMemoryTileCache(1 << 20));
            TileCoord tile = TileMath.tilesCovering(cog.footprint().mercatorBounds(), 14).getFirst();
            TilePipeline.Tile a = pipeline.tile(cog, "dw-2024", LayerStyle.DYNAMIC_WORLD, tile, 1);
            TilePipeline.Tile b = pipeline.tile(cog, "dw-2024", LayerStyle.DYNAMIC_WORLD, tile, 1);
            assertTrue(!a.cacheHit() && b.cacheHit());
            assertSame(a.png(), b.png());
            assertEquals(a.eTag(), b.eTag());
            assertTrue(a.eTag().matches("\"[0-9a-f]{32}\""), a.eTag());
            TilePipeline.Tile retina = pipeline.tile(cog, "dw-2024", LayerStyle.DYNAMIC_WORLD, tile, 2);
            assertNotEquals(a.eTag(), retina.eTag());
            assertThrows(TileOutsideLayerException.class,
                    () -> pipeline.tile(cog, "dw-2024", LayerStyle.DYNAMIC_WORLD, new TileCoord(14, 0, 0), 1));
            assertThrows(InvalidTileException.class, () -> pipeline.tile(cog, "dw-2024", LayerStyle.DYNAMIC_WORLD, tile, 5));
            assertTrue(Files.exists(dir.resolve("dw.tif")));
        }
    }
}
