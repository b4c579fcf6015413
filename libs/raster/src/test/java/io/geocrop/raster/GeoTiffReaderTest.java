package io.geocrop.raster;

import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.tiff.TiffLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request counts, window semantics, overview choice and thread safety of {@link GeoTiff}. */
class GeoTiffReaderTest {
    private static final Path COG = ReaderTestSupport.sharedData().resolve("geotiff/rio-tiler_cog.tif");
    private static final Path NOCOG = ReaderTestSupport.sharedData().resolve("geotiff/rio-tiler_nocog.tif");
    private static final Path SCL = ReaderTestSupport.sharedData().resolve("geotiff/S2A_29RKH_20200219_0_L2A_SCL.tif");

    @Test
    void openingACogCostsAtMostTwoReadsAndAWindowOneBatchedReadOfItsTiles() throws IOException {
        ReaderTestSupport.CountingSource source = new ReaderTestSupport.CountingSource(new FileByteSource(COG));
        try (GeoTiff tiff = GeoTiffReader.open(source)) {
            assertTrue(source.totalCalls() <= 2, "open cost " + source.totalCalls() + " reads");
            assertEquals(5, tiff.levelCount());

            source.reset();
            Raster r = tiff.read(new RasterWindow(256, 512, 256, 256));
            assertEquals(0, source.singleReads.get(), "no single reads for a window");
            assertEquals(1, source.listReads.get(), "one batched read for a window");
            assertEquals(1, source.listCalls.get(0).size(), "a tile-aligned 256x256 window needs one tile");
            assertEquals(256, r.width());

            source.reset();
            tiff.read(new RasterWindow(300, 300, 256, 256));
            assertEquals(1, source.listReads.get());
            assertEquals(4, source.listCalls.get(0).size(), "an unaligned window touches four tiles");
            assertEquals(0, source.singleReads.get());
        }
    }

    @Test
    void theBatchedRangesAreExactlyTheTilesOfTheWindow() throws IOException {
        ReaderTestSupport.CountingSource source = new ReaderTestSupport.CountingSource(new FileByteSource(COG));
        try (GeoTiff tiff = GeoTiffReader.open(source)) {
            TiffLayout layout = tiff.layout();
            TiffLayout.Ifd main = layout.ifds().get(0);
            assertEquals(TiffLayout.Role.MAIN, main.role());
            source.reset();
            tiff.read(new RasterWindow(0, 0, 10, 10));
            List<ByteRange> ranges = source.listCalls.get(0);
            assertEquals(1, ranges.size());
            // The first tile of a COG's full-resolution image is its first data after the overviews'.
            assertTrue(ranges.get(0).offset() >= main.firstDataOffset());
            assertTrue(ranges.get(0).end() <= main.dataEnd());
        }
    }

    @Test
    void cogLayoutHasIfdsFirstAndOverviewDataBeforeFullResolution() throws IOException {
        try (GeoTiff tiff = ReaderTestSupport.open(COG)) {
            TiffLayout layout = tiff.layout();
            assertFalse(layout.bigTiff());
            assertEquals(5, layout.ifds().size());
            long firstData = layout.ifds().stream().mapToLong(TiffLayout.Ifd::firstDataOffset).min().orElseThrow();
            assertTrue(layout.lastIfdOffset() < firstData, "IFDs precede image data");
            TiffLayout.Ifd main = layout.ifds().get(0);
            for (TiffLayout.Ifd ovr : layout.ifds().subList(1, 5)) {
                assertEquals(TiffLayout.Role.OVERVIEW, ovr.role());
                assertTrue(ovr.dataEnd() <= main.firstDataOffset(), "overview data before full resolution");
            }
        }
    }

    @Test
    void windowsPastTheEdgeAreFilledWithNodataAndBandsCanBeRepeated() throws IOException {
        try (GeoTiff tiff = ReaderTestSupport.open(SCL)) {
            int w = tiff.metadata().width();
            Raster full = tiff.read(new RasterWindow(0, 0, w, tiff.metadata().height()));
            Raster r = tiff.read(0, new RasterWindow(w - 5, -3, 10, 8), new int[] {0, 0});
            assertEquals(2, r.bandCount());
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 10; x++) {
                    int srcX = w - 5 + x;
                    int srcY = y - 3;
                    double expected = srcX < w && srcY >= 0 ? full.get(0, srcX, srcY) : 0;
                    assertEquals(expected, r.get(0, x, y), "at " + x + "," + y);
                    assertEquals(expected, r.get(1, x, y));
                }
            }
            Raster outside = tiff.read(new RasterWindow(-100, -100, 4, 4));
            assertArrayEquals(new byte[16], outside.bytes(0));
            assertThrows(IllegalArgumentException.class, () -> tiff.read(0, new RasterWindow(0, 0, 1, 1), new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> tiff.read(2, new RasterWindow(0, 0, 1, 1)));
        }
    }

    @Test
    void stripedAndTiledCopiesOfTheSameDataReadIdentically() throws IOException {
        try (GeoTiff cog = ReaderTestSupport.open(COG); GeoTiff strips = ReaderTestSupport.open(NOCOG)) {
            assertTrue(cog.isTiled());
            assertFalse(strips.isTiled());
            RasterWindow w = new RasterWindow(1000, 700, 333, 271);
            assertArrayEquals(cog.read(w).shorts(0), strips.read(w).shorts(0));
        }
    }

    @Test
    void bestOverviewIsTheCoarsestLevelAtLeastAsFineAsTheTarget() throws IOException {
        try (GeoTiff tiff = ReaderTestSupport.open(COG)) {
            double res = tiff.metadata().transform().pixelWidth();
            double r1 = tiff.overviews().get(1).transform().pixelWidth();
            double r2 = tiff.overviews().get(2).transform().pixelWidth();
            assertEquals(0, tiff.bestOverview(res / 2));
            assertEquals(0, tiff.bestOverview(res));
            assertEquals(0, tiff.bestOverview(r1 * 0.999));
            assertEquals(1, tiff.bestOverview(r1));
            assertEquals(1, tiff.bestOverview(r2 * 0.99));
            assertEquals(2, tiff.bestOverview(r2));
            assertEquals(4, tiff.bestOverview(1e9));
            assertThrows(IllegalArgumentException.class, () -> tiff.bestOverview(0));
        }
    }

    @Test
    void readAtResolutionPicksTheOverviewAndSamplesNearest() throws IOException {
        try (GeoTiff tiff = ReaderTestSupport.open(COG)) {
            int w = tiff.metadata().width();
            int h = tiff.metadata().height();
            Overview o1 = tiff.overviews().get(1);
            // Exactly the size of overview 1: its pixels, untouched.
            Raster viaRes = tiff.readAtResolution(new RasterWindow(0, 0, w, h), o1.width(), o1.height(), Resampling.NEAREST);
            Raster direct = tiff.read(1, new RasterWindow(0, 0, o1.width(), o1.height()));
            assertArrayEquals(direct.shorts(0), viaRes.shorts(0));
            // At full resolution: the window itself.
            RasterWindow win = new RasterWindow(100, 200, 300, 150);
            assertArrayEquals(tiff.read(win).shorts(0),
                    tiff.readAtResolution(win, 300, 150, Resampling.NEAREST).shorts(0));
            // A 3x reduction reads overview 1 (2x) and takes every 1.5th pixel of it.
            Raster third = tiff.readAtResolution(new RasterWindow(0, 0, 900, 600), 300, 200, Resampling.NEAREST);
            Raster ovr = tiff.read(1, new RasterWindow(0, 0, 450, 300));
            for (int y = 0; y < 200; y++) {
                for (int x = 0; x < 300; x++) {
                    int sx = (int) Math.floor((x + 0.5) * 3 / ((double) w / o1.width()));
                    int sy = (int) Math.floor((y + 0.5) * 3 / ((double) h / o1.height()));
                    assertEquals(ovr.get(0, sx, sy), third.get(0, x, y), "at " + x + "," + y);
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> tiff.readAtResolution(win, 10, 10, Resampling.BILINEAR));
        }
    }

    @Test
    void concurrentReadsGiveTheSameResultsAsSequentialOnes() throws Exception {
        try (GeoTiff tiff = ReaderTestSupport.open(COG)) {
            List<RasterWindow> windows = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                windows.add(new RasterWindow(i * 150, (i * 97) % 2000, 400, 300));
            }
            List<short[]> sequential = new ArrayList<>();
            for (RasterWindow w : windows) {
                sequential.add(tiff.read(w).shorts(0));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<short[]>> futures = new ArrayList<>();
                for (RasterWindow w : windows) {
                    futures.add(pool.submit(() -> tiff.read(w).shorts(0)));
                }
                for (int i = 0; i < windows.size(); i++) {
                    assertTrue(Arrays.equals(sequential.get(i), futures.get(i).get()), "window " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedGeoTiffRefusesToRead() throws IOException {
        GeoTiff tiff = ReaderTestSupport.open(SCL);
        tiff.close();
        IOException e = assertThrows(IOException.class, () -> tiff.read(new RasterWindow(0, 0, 1, 1)));
        assertTrue(e.getMessage().contains("closed"));
    }
}
