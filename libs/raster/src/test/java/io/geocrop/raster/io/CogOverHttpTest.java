package io.geocrop.raster.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader and the HTTP source together, as extract-features uses them on a real COG: the header and IFDs in
 * one request, a window's tiles in one merged request per tile row, the same pixels as the local file.
 */
class CogOverHttpTest {
    private static final String FIXTURE = "rio-tiler_cog.tif"; // 2658 x 2667 uint16, 256 px tiles, 4 overviews
    private static RangeHttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new RangeHttpServer(SourceFixtures.bytes(FIXTURE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void openingCostsOneRequestAndAWindowOneMergedRequestPerTileRow() throws IOException {
        server.reset();
        FileByteSource file = new FileByteSource(SourceFixtures.fixture(FIXTURE));
        try (GeoTiff http = GeoTiffReader.open(new HttpByteSource(server.uri("/file.tif"), HttpSettings.defaults()));
             GeoTiff local = GeoTiffReader.open(file)) {
            assertEquals(1, server.requests.get(), "header and all IFDs from the prefetch: " + server.log);
            assertEquals(5, http.levelCount());

            // 2 x 2 tiles of the full-resolution image: two tile rows, each two adjacent tiles in the file.
            RasterWindow window = new RasterWindow(600, 700, 300, 200);
            server.reset();
            Raster viaHttp = http.read(window);
            int requests = server.requests.get();
            assertTrue(requests >= 1 && requests <= 2, "one merged GET per tile row at most: " + server.log);
            // The local file source reads exactly the tiles' byte ranges, unmerged: their sum is the tile bytes.
            RequestStats.Snapshot before = file.stats().snapshot();
            assertArrayEquals(local.read(window).shorts(0), viaHttp.shorts(0));
            RequestStats.Snapshot tiles = file.stats().snapshot().minus(before);
            assertEquals(4, tiles.requests(), "the window touches 2 x 2 tiles");
            long tileBytes = tiles.bytesFetched();
            long fetched = fetchedBytes(server.log);
            assertTrue(fetched >= tileBytes && fetched <= tileBytes + 2 * 16 * 1024,
                    "bytes fetched " + fetched + " vs tile bytes " + tileBytes + ": only gaps under the merge gap are read through");

            // The same area at overview 2: far fewer bytes, still one request per tile row at most.
            server.reset();
            Raster coarse = http.read(2, new RasterWindow(150, 175, 75, 50));
            assertTrue(server.requests.get() <= 2, server.log.toString());
            assertArrayEquals(local.read(2, new RasterWindow(150, 175, 75, 50)).shorts(0), coarse.shorts(0));
        }
    }

    /** Sum of the lengths of the Range headers the server logged ("GET /file.tif bytes=a-b ..."). */
    private static long fetchedBytes(List<String> log) {
        long total = 0;
        for (String line : log) {
            String[] parts = line.split(" ");
            String[] range = parts[2].substring("bytes=".length()).split("-");
            total += Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
        }
        return total;
    }
}
