package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prefix of COGs drawn as one layer: the index, its refresh, first-with-data-wins compositing and tile versions. */
class MosaicTest {
    private static final String PREFIX = ObjectKeys.baselinePrefix(2024);
    @TempDir Path dir;

    @Test
    void theFirstCogWithDataWinsPixelByPixel() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            // a: 31.00..31.04 E; b: 31.03..31.07 E, overlapping a by 0.01 degree; both with nodata stripes.
            store.put(Bucket.BASELINES, PREFIX + "a.tif", TestCogs.writeDynamicWorld(dir.resolve("a.tif"), 31.00, -17.8, 0), "image/tiff");
            store.put(Bucket.BASELINES, PREFIX + "b.tif", TestCogs.writeDynamicWorld(dir.resolve("b.tif"), 31.03, -17.8, 4), "image/tiff");
            store.put(Bucket.BASELINES, PREFIX + "broken.tif", "not a tiff".getBytes(), "image/tiff");
            store.put(Bucket.BASELINES, PREFIX + "readme.txt", "not a raster".getBytes(), "text/plain");
            CogCache cogs = new CogCache(store, 8, 1 << 20, Duration.ZERO, System::nanoTime);
            CogMosaic mosaic = new MosaicIndex(store, cogs, Duration.ofSeconds(10), System::nanoTime).mosaic(Bucket.BASELINES, PREFIX);

            assertEquals(List.of(PREFIX + "a.tif", PREFIX + "b.tif"), mosaic.sources().stream().map(MosaicSource::key).toList(),
                    "key order; the broken file and the text file are left out");
            Bounds ll = mosaic.footprint().orElseThrow().lonLatBounds();
            assertEquals(31.00, ll.minX(), 1e-9);
            assertEquals(31.07, ll.maxX(), 1e-9);

            // A z14 tile over the overlap (31.03..31.04 E).
            TileCoord tile = TileMath.tilesCovering(LayerFootprint.ofLonLat(new Bounds(31.035, -17.81, 31.0351, -17.8099), 14, 14)
                    .mercatorBounds(), 14).getFirst();
            assertEquals(2, mosaic.covering(tile).size());
            OpenCog a = cogs.open(Bucket.BASELINES, PREFIX + "a.tif").orElseThrow();
            OpenCog b = cogs.open(Bucket.BASELINES, PREFIX + "b.tif").orElseThrow();
            TileRenderer renderer = new TileRenderer();
            LayerStyle style = LayerStyle.DYNAMIC_WORLD;
            byte[] fromA = renderer.render(a.tiff(), a.footprint(), style, tile, 256).indices();
            byte[] fromB = renderer.render(b.tiff(), b.footprint(), style, tile, 256).indices();
            byte[] both = renderer.renderMosaic(List.of(a, b), style, tile, 256).indices();
            int transparent = style.transparentIndex();
            int fromBOnly = 0;
            int fromAWhereBHasData = 0;
            for (int i = 0; i < both.length; i++) {
                int expected = fromA[i] != transparent ? fromA[i] : fromB[i];
                assertEquals(expected, both[i], "pixel " + i);
                fromBOnly += fromA[i] == transparent && fromB[i] != transparent ? 1 : 0;
                fromAWhereBHasData += fromA[i] != transparent && fromB[i] != transparent && fromA[i] != fromB[i] ? 1 : 0;
            }
            assertTrue(fromBOnly > 1000, "b shows through a's nodata and beyond a's edge: " + fromBOnly);
            assertTrue(fromAWhereBHasData > 1000, "a wins where both have data: " + fromAWhereBHasData);

            TilePipeline pipeline = new TilePipeline(renderer, new PngEncoder(), new InMemoryTileCache(1 << 20));
            TilePipeline.Tile t1 = pipeline.tile(mosaic, cogs, "dw-2024", style, tile, 1);
            TilePipeline.Tile t2 = pipeline.tile(mosaic, cogs, "dw-2024", style, tile, 1);
            assertTrue(!t1.cacheHit() && t2.cacheHit());
            assertEquals(t1.eTag(), TilePipeline.eTag(mosaic, "dw-2024", style, tile, 1));
            assertEquals(both.length, 256 * 256);
        }
    }

    @Test
    void aNewCogIsSeenAfterTheTtlOrAtOnceWhenInvalidatedAndChangesOnlyTheTilesItCovers() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            AtomicLong now = new AtomicLong();
            CogCache cogs = new CogCache(store, 8, 1 << 20, Duration.ZERO, System::nanoTime);
            MosaicIndex index = new MosaicIndex(store, cogs, Duration.ofSeconds(10), now::get);
            assertTrue(index.mosaic(Bucket.BASELINES, PREFIX).isEmpty());
            assertTrue(index.mosaic(Bucket.BASELINES, PREFIX).footprint().isEmpty());

            store.put(Bucket.BASELINES, PREFIX + "a.tif", TestCogs.writeDynamicWorld(dir.resolve("a.tif"), 31.00, -17.8, 0), "image/tiff");
            assertTrue(index.mosaic(Bucket.BASELINES, PREFIX).isEmpty(), "the listing is trusted for the TTL");
            now.addAndGet(Duration.ofSeconds(11).toNanos());
            CogMosaic one = index.mosaic(Bucket.BASELINES, PREFIX);
            assertEquals(1, one.sources().size());

            store.put(Bucket.BASELINES, PREFIX + "b.tif", TestCogs.writeDynamicWorld(dir.resolve("b.tif"), 31.10, -17.8, 4), "image/tiff");
            assertEquals(1, index.mosaic(Bucket.BASELINES, PREFIX).sources().size());
            index.invalidate(Bucket.BASELINES, PREFIX);
            CogMosaic two = index.mosaic(Bucket.BASELINES, PREFIX);
            assertEquals(2, two.sources().size());
            assertNotEquals(one.version(), two.version());
            assertTrue(two.sources().getFirst() == one.sources().getFirst(), "an unchanged object keeps its footprint");

            TileCoord overA = TileMath.tilesCovering(one.footprint().orElseThrow().mercatorBounds(), 14).get(5);
            assertFalse(two.covering(overA).stream().anyMatch(s -> s.key().endsWith("b.tif")));
            assertEquals(TilePipeline.eTag(one, "dw-2024", LayerStyle.DYNAMIC_WORLD, overA, 1),
                    TilePipeline.eTag(two, "dw-2024", LayerStyle.DYNAMIC_WORLD, overA, 1), "b is elsewhere");
            TileCoord overB = TileMath.tilesCovering(two.sources().get(1).footprint().mercatorBounds(), 14).get(5);
            assertNotEquals(TilePipeline.eTag(one, "dw-2024", LayerStyle.DYNAMIC_WORLD, overB, 1),
                    TilePipeline.eTag(two, "dw-2024", LayerStyle.DYNAMIC_WORLD, overB, 1));

            // Replaced in place: a new ETag, a new version.
            store.put(Bucket.BASELINES, PREFIX + "b.tif", TestCogs.writeDynamicWorld(dir.resolve("b2.tif"), 31.10, -17.8, 5), "image/tiff");
            index.invalidate(Bucket.BASELINES, PREFIX);
            assertNotEquals(two.version(), index.mosaic(Bucket.BASELINES, PREFIX).version());
        }
    }
}
