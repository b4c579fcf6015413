package io.geocrop.imagery.sim;

import static io.geocrop.imagery.sim.SimTestSupport.SEED;
import static io.geocrop.imagery.sim.SimTestSupport.ZONE_36S;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic World baselines derived from the simulated landscape: mapping, COG validity (GDAL), determinism, storage. */
class SimulatedDynamicWorldTest {
    /** The cell (28, 803) of zone 36S, east of Harare, well inside its zone. */
    private static final Scene CELL = new Scene(ZONE_36S, 28, 803, 1, 1);
    @TempDir Path dir;

    private static byte[] read(Path file) throws Exception {
        try (GeoTiff t = GeoTiffReader.open(new FileByteSource(file))) {
            return t.read(0, new RasterWindow(0, 0, 1000, 1000), new int[] {0}).bytes(0);
        }
    }

    @Test
    void everyPixelIsTheDynamicWorldClassOfTheGroundTruth() throws Exception {
        Path file = dir.resolve("cell.tif");
        new SimulatedDynamicWorld(SEED).write(2024, CELL, file);
        byte[] labels = read(file);
        Raster truth = new SimulatedLandscape(SEED, ZONE_36S).truth(CELL.minX(), CELL.maxY(), 1000, 1000);
        byte[] classes = truth.bytes(0);
        Map<DynamicWorldClass, Integer> counts = new EnumMap<>(DynamicWorldClass.class);
        for (int i = 0; i < labels.length; i++) {
            CropClass c = CropClass.ofCode(classes[i] & 0xff).orElseThrow();
            DynamicWorldClass expected = switch (c) {
                case MAIZE, TOBACCO, SOYBEAN, GROUNDNUT, COTTON, SORGHUM_MILLET, SUGARCANE -> DynamicWorldClass.CROPS;
                case GRASSLAND_SHRUB -> DynamicWorldClass.GRASS;
                case TREES -> DynamicWorldClass.TREES;
                case WATER -> DynamicWorldClass.WATER;
                case BARE_BUILT -> DynamicWorldClass.BUILT;
            };
            assertEquals(expected.code(), labels[i] & 0xff, "pixel " + (i % 1000) + "," + (i / 1000) + " is " + c);
            counts.merge(expected, 1, Integer::sum);
        }
        assertTrue(counts.get(DynamicWorldClass.CROPS) > 300_000, "mostly cropland: " + counts);
        assertTrue(counts.get(DynamicWorldClass.TREES) > 10_000 && counts.get(DynamicWorldClass.GRASS) > 10_000, counts.toString());
    }

    @Test
    void gdalReadsPaletteNodataCrsAndOverviewsAndTheCogIsValid() throws Exception {
        Path file = dir.resolve("cell.tif");
        new SimulatedDynamicWorld(SEED).write(2023, CELL, file);
        SimTestSupport.assertValidCog(file);
        JsonNode info = SimTestSupport.gdalinfo(file);
        assertEquals(List.of(1000, 1000), List.of(info.get("size").get(0).asInt(), info.get("size").get(1).asInt()));
        JsonNode band = info.get("bands").get(0);
        assertEquals("Byte", band.get("type").asText());
        assertEquals(255, band.get("noDataValue").asInt());
        assertEquals("label", band.get("description").asText());
        assertEquals("Palette", band.get("colorInterpretation").asText());
        JsonNode entries = band.at("/colorTable/entries");
        for (DynamicWorldClass c : DynamicWorldClass.values()) {
            JsonNode e = entries.get(c.code());
            assertEquals(c.rgb(), e.get(0).asInt() << 16 | e.get(1).asInt() << 8 | e.get(2).asInt(), c.id());
            assertEquals(255, e.get(3).asInt());
        }
        assertEquals(4, band.get("overviews").size());
        assertTrue(info.at("/coordinateSystem/wkt").asText().contains("UTM zone 36S"), info.get("coordinateSystem").toString());
        assertEquals(CELL.minX(), info.get("geoTransform").get(0).asDouble());
        assertEquals(10.0, info.get("geoTransform").get(1).asDouble());
        assertEquals(CELL.maxY(), info.get("geoTransform").get(3).asDouble());
        assertEquals("2023", info.get("metadata").get("").get("SEASON").asText());
        assertEquals(CELL.id(), info.get("metadata").get("").get("CELL").asText());
    }

    @Test
    void theSameSeedYearAndCellGiveTheSameBytes() throws Exception {
        Path a = dir.resolve("a.tif");
        Path b = dir.resolve("b.tif");
        Path otherSeed = dir.resolve("c.tif");
        new SimulatedDynamicWorld(SEED).write(2024, CELL, a);
        new SimulatedDynamicWorld(SEED).write(2024, CELL, b);
        new SimulatedDynamicWorld(SEED + 1).write(2024, CELL, otherSeed);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(java.util.Arrays.equals(read(a), read(otherSeed)), "another seed is another landscape");
    }

    @Test
    void cellsAtTheZoneEdgeHoldOnlyTheirOwnZone() throws Exception {
        // 30 E, 17.8 S: zone 35 lies west of the meridian, zone 36 east.
        List<Scene> cells = SimulatedDynamicWorld.cellsCovering(29.999, -17.801, 30.001, -17.799);
        assertEquals(2, cells.size(), cells.toString());
        assertEquals(35, cells.get(0).zone().zone());
        assertEquals(36, cells.get(1).zone().zone());
        SimulatedDynamicWorld dw = new SimulatedDynamicWorld(SEED);
        for (Scene cell : cells) {
            byte[] labels = dw.labels(cell).bytes(0);
            UtmZone zone = cell.zone();
            int nodata = 0;
            for (int y = 0; y < 1000; y += 7) {
                for (int x = 0; x < 1000; x += 3) {
                    double lon = zone.inverse(cell.minX() + x * 10 + 5, cell.maxY() - y * 10 - 5)[0];
                    boolean ownZone = zone.zone() == 35 ? lon < 30 : lon >= 30;
                    int v = labels[y * 1000 + x] & 0xff;
                    assertEquals(ownZone, v != DynamicWorldClass.NODATA, cell.id() + " " + x + "," + y + " lon " + lon);
                    nodata += ownZone ? 0 : 1;
                }
            }
            assertTrue(nodata > 0, cell.id() + " straddles the zone edge");
        }
    }

    @Test
    void cellsCoveringABoxAreItsWholeCellsInKeyOrder() {
        double[] centre = ZONE_36S.inverse(285_000, 8_035_000);
        assertEquals(List.of(CELL), SimulatedDynamicWorld.cellsCovering(centre[0] - 0.01, centre[1] - 0.01, centre[0] + 0.01, centre[1] + 0.01));
        double[] corner = ZONE_36S.inverse(290_000, 8_040_000);
        List<Scene> four = SimulatedDynamicWorld.cellsCovering(corner[0] - 0.01, corner[1] - 0.01, corner[0] + 0.01, corner[1] + 0.01);
        assertEquals(4, four.size(), four.toString());
        assertTrue(four.contains(CELL));
        assertEquals("dw/zim/summer/2024/" + CELL.id() + ".tif", SimulatedDynamicWorld.key(2024, CELL));
        assertThrows(IllegalArgumentException.class, () -> SimulatedDynamicWorld.cellsCovering(31, -17, 30, -18));
        assertThrows(IllegalArgumentException.class, () -> SimulatedDynamicWorld.key(2024, new Scene(ZONE_36S, 28, 803, 2, 1)));
    }

    @Test
    void storedOncePerCellUnderConcurrentCallsAndNeverOverwritten() throws Exception {
        try (LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            SimulatedBaselines baselines = new SimulatedBaselines(new SimulatedDynamicWorld(SEED), store, dir.resolve("work"), 16, 2);
            double[] corner = ZONE_36S.inverse(290_000, 8_040_000);
            double[] box = {corner[0] - 0.01, corner[1] - 0.01, corner[0] + 0.01, corner[1] + 0.01};
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<SimulatedBaselines.GeneratedBaselines>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return baselines.ensure(2024, box[0], box[1], box[2], box[3]);
                }));
            }
            start.countDown();
            int generatedByCalls = 0;
            for (Future<SimulatedBaselines.GeneratedBaselines> r : results) {
                assertEquals(4, r.get().keys().size());
                generatedByCalls += r.get().generated();
            }
            pool.shutdown();
            assertEquals(4, baselines.generatedCells(), "each of the 4 cells generated once");
            assertEquals(4, generatedByCalls);
            assertEquals(4, store.list(Bucket.BASELINES, "dw/zim/summer/2024/").size());
            System.out.printf("simulated Dynamic World baseline: %.1f ms per cell (generate + store)%n",
                    baselines.generationNanos() / 1e6 / baselines.generatedCells());

            // A fresh instance (another process) finds them stored and leaves them alone.
            String key = SimulatedDynamicWorld.key(2024, CELL);
            String eTag = store.head(Bucket.BASELINES, key).orElseThrow().eTag();
            SimulatedBaselines again = new SimulatedBaselines(new SimulatedDynamicWorld(SEED), store, dir.resolve("work"), 16, 2);
            assertEquals(0, again.ensure(2024, box[0], box[1], box[2], box[3]).generated());
            assertEquals(0, again.generatedCells());
            assertEquals(eTag, store.head(Bucket.BASELINES, key).orElseThrow().eTag());
            assertThrows(IllegalArgumentException.class, () -> again.ensure(2024, 30.5, -18.5, 31.5, -17.5), "too many cells");
            try (var files = Files.list(dir.resolve("work"))) {
                assertEquals(0, files.count(), "temporary files are removed");
            }
        }
    }
}
