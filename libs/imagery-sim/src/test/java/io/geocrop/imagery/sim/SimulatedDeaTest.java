package io.geocrop.imagery.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.CropClass;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedDeaTest {
    private static final URI BASE = URI.create("http://127.0.0.1:9/");

    @TempDir
    static Path cache;
    private static SimulatedDea dea;
    private static List<SimulatedItemId> season;

    @BeforeAll
    static void search() {
        dea = new SimulatedDea(cache, SimTestSupport.SEED);
        season = dea.search(SimTestSupport.AOI.bbox(), SimTestSupport.SEASON_START, SimTestSupport.SEASON_END);
    }

    /** The least cloudy item of the given months (its cloudy pixels are masked with SCL by the callers). */
    private static SimulatedItemId clearestItemIn(int... months) {
        return season.stream().filter(i -> java.util.Arrays.stream(months).anyMatch(m -> m == i.date().getMonthValue()))
                .min(java.util.Comparator.comparingDouble(i -> dea.stats(i).cloudCover())).orElseThrow();
    }

    private static SimulatedItemId partlyCloudyItem() {
        return season.stream().filter(i -> dea.stats(i).cloudCover() > 25 && dea.stats(i).cloudCover() < 75)
                .findFirst().orElseThrow();
    }

    @Test
    void searchReturnsEveryOverpassOfTheSeasonAsOneScene() {
        assertTrue(season.size() >= 54 && season.size() <= 55);
        assertEquals(1, season.stream().map(SimulatedItemId::scene).distinct().count());
        assertEquals("36KTF83", season.getFirst().scene().id());
        ObjectNode item = dea.item(season.getFirst(), BASE);
        assertEquals(season.getFirst().toString(), item.get("id").asText());
        assertTrue(item.get("id").asText().matches("S2[AB]_36KTF83_2023090\\d_0_L2A"), item.get("id").asText());
        JsonNode props = item.get("properties");
        assertEquals(32736, props.get("proj:epsg").asInt());
        assertTrue(props.get("sentinel:boa_offset_applied").asBoolean());
        assertEquals("s2_l2a", item.get("collection").asText());
        Set<String> assets = new HashSet<>();
        item.get("assets").fieldNames().forEachRemaining(assets::add);
        assertEquals(Set.of("B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12", "SCL"), assets);
        JsonNode b05 = item.get("assets").get("B05");
        assertEquals(List.of(500.0, 500.0), SimTestSupport.doubles(b05.get("proj:shape")));
        assertEquals(List.of(20.0, 0.0, 280_000.0, 0.0, -20.0, 8_040_000.0), SimTestSupport.doubles(b05.get("proj:transform")));
        assertEquals(0.0001, b05.get("raster:bands").get(0).get("scale").asDouble());
        assertEquals("uint8", item.get("assets").get("SCL").get("raster:bands").get(0).get("data_type").asText());
        assertEquals(BASE + "assets/" + item.get("id").asText() + "/B05.tif", b05.get("href").asText());
        List<ObjectNode> items = dea.items(SimTestSupport.AOI.bbox(), SimTestSupport.SEASON_START, SimTestSupport.SEASON_END, BASE);
        assertEquals(season.size(), items.size());
        assertEquals(item, items.getFirst());
    }

    @Test
    void sameSeedSameJsonDifferentSeedDifferentJson(@TempDir Path other) throws Exception {
        SimulatedItemId id = partlyCloudyItem();
        String a = SimTestSupport.MAPPER.writeValueAsString(dea.item(id.toString(), BASE));
        String b = SimTestSupport.MAPPER.writeValueAsString(new SimulatedDea(other, SimTestSupport.SEED).item(id.toString(), BASE));
        assertEquals(a, b);
        SimulatedDea otherSeed = new SimulatedDea(other, SimTestSupport.SEED + 1);
        List<SimulatedItemId> otherItems = otherSeed.search(SimTestSupport.AOI.bbox(), SimTestSupport.SEASON_START, SimTestSupport.SEASON_END);
        String c = SimTestSupport.MAPPER.writeValueAsString(otherSeed.item(otherItems.get(otherItems.size() / 2), BASE));
        assertNotEquals(a, c);
    }

    @Test
    void sameSeedGivesByteIdenticalCogsAndADifferentSeedDoesNot(@TempDir Path a, @TempDir Path b, @TempDir Path c) throws Exception {
        String id = partlyCloudyItem().toString();
        for (S2Band band : List.of(S2Band.B04, S2Band.SCL)) {
            byte[] first = Files.readAllBytes(new SimulatedDea(a, 7).asset(id, band));
            byte[] second = Files.readAllBytes(new SimulatedDea(b, 7).asset(id, band));
            assertArrayEquals(first, second, band.name());
        }
        // Different seed: overpass phases may differ, so compare the same scene's truth.
        String scene = season.getFirst().scene().id();
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(new SimulatedDea(a, 7).truth(scene)),
                Files.readAllBytes(new SimulatedDea(c, 8).truth(scene))));
        assertArrayEquals(Files.readAllBytes(new SimulatedDea(a, 7).truth(scene)), Files.readAllBytes(new SimulatedDea(b, 7).truth(scene)));
    }

    @Test
    void everyAssetIsAValidCogWithTheItemsGrid() throws Exception {
        SimulatedItemId id = partlyCloudyItem();
        ObjectNode item = dea.item(id, BASE);
        List<Path> files = new ArrayList<>();
        for (S2Band band : S2Band.values()) {
            files.add(dea.asset(id.toString(), band));
        }
        Path truth = dea.truth(id.scene().id());
        files.add(truth);
        JsonNode verdicts = SimTestSupport.gdalCheck(files);
        for (S2Band band : S2Band.values()) {
            JsonNode verdict = verdicts.get(files.get(band.ordinal()).toString());
            assertEquals(0, verdict.get("errors").size(), band + ": " + verdict.get("errors"));
            JsonNode info = verdict.get("info");
            JsonNode asset = item.get("assets").get(band.name());
            List<Double> shape = SimTestSupport.doubles(asset.get("proj:shape"));
            assertEquals(List.of(shape.get(1), shape.get(0)), SimTestSupport.doubles(info.get("size")), band.name());
            List<Double> t = SimTestSupport.doubles(asset.get("proj:transform"));
            assertEquals(List.of(t.get(2), t.get(0), 0.0, t.get(5), 0.0, t.get(4)), SimTestSupport.doubles(info.get("geoTransform")));
            assertTrue(info.get("coordinateSystem").get("wkt").asText().contains("\"EPSG\",32736"), band.name());
            JsonNode b1 = info.get("bands").get(0);
            assertEquals(0, b1.get("noDataValue").asInt());
            assertEquals(band.isReflectance() ? "UInt16" : "Byte", b1.get("type").asText());
            assertEquals(List.of(512, 512), List.of(b1.get("block").get(0).asInt(), b1.get("block").get(1).asInt()));
            assertTrue(b1.get("overviews").size() >= 1, band + " has overviews");
            assertEquals("DEFLATE", info.get("metadata").get("IMAGE_STRUCTURE").get("COMPRESSION").asText());
        }
        JsonNode truthVerdict = verdicts.get(truth.toString());
        assertEquals(0, truthVerdict.get("errors").size(), truthVerdict.get("errors").toString());
        JsonNode ct = truthVerdict.get("info").get("bands").get(0).get("colorTable").get("entries");
        int maize = CropClass.MAIZE.rgb();
        assertEquals(List.of((double) (maize >> 16), (double) (maize >> 8 & 0xFF), (double) (maize & 0xFF), 255.0),
                SimTestSupport.doubles(ct.get(CropClass.MAIZE.code())));
        // And the command-line tools agree, as a user would run them.
        SimTestSupport.assertValidCog(files.get(S2Band.B04.ordinal()));
        assertEquals(1000, SimTestSupport.gdalinfo(truth).get("size").get(0).asInt());
    }

    @Test
    void cogPixelsAreThePureFunctionsQuantisedAndTwentyMetreBandsAverageTenMetreOnes() throws Exception {
        SimulatedItemId id = partlyCloudyItem();
        SimulatedSeason s = dea.season(id.scene().zone(), id.date());
        long col0 = 28_000, topRow = 803_999;
        try (GeoTiff b04 = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.B04)));
             GeoTiff b11 = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.B11)))) {
            Raster r10 = b04.read(new RasterWindow(300, 200, 40, 3));
            Raster r20 = b11.read(new RasterWindow(150, 100, 20, 1));
            float[] row = new float[40];
            for (int y = 0; y < 3; y++) {
                s.reflectanceRow(S2Band.B04, id.date(), col0 + 300, topRow - 200 - y, row);
                for (int x = 0; x < 40; x++) {
                    assertEquals(SimulatedDea.toDn(row[x]) & 0xFFFF, (int) r10.get(0, x, y));
                }
            }
            float[] up = new float[40], down = new float[40];
            s.reflectanceRow(S2Band.B11, id.date(), col0 + 300, topRow - 200, up);
            s.reflectanceRow(S2Band.B11, id.date(), col0 + 300, topRow - 201, down);
            for (int x = 0; x < 20; x++) {
                double mean = ((double) up[2 * x] + up[2 * x + 1] + down[2 * x] + down[2 * x + 1]) / 4;
                assertEquals(SimulatedDea.toDn(mean) & 0xFFFF, (int) r20.get(0, x, 0));
            }
        }
    }

    @Test
    void aSceneCogAgreesWithTheOverlappingPartOfALargerScene(@TempDir Path other) throws Exception {
        SimulatedItemId small = partlyCloudyItem();
        Scene wide = new Scene(small.scene().zone(), small.scene().cellX() - 1, small.scene().cellY(), 2, 1);
        String wideId = new SimulatedItemId(small.platformCode(), wide, small.date()).toString();
        SimulatedDea second = new SimulatedDea(other, SimTestSupport.SEED);
        for (S2Band band : List.of(S2Band.B08, S2Band.SCL)) {
            try (GeoTiff a = GeoTiffReader.open(new FileByteSource(dea.asset(small.toString(), band)));
                 GeoTiff b = GeoTiffReader.open(new FileByteSource(second.asset(wideId, band)))) {
                int w = a.metadata().width(), h = a.metadata().height();
                Raster ra = a.read(new RasterWindow(0, 0, w, h));
                Raster rb = b.read(new RasterWindow(w, 0, w, h)); // the small scene is the wide one's east half
                for (int y = 0; y < h; y += 7) {
                    for (int x = 0; x < w; x++) {
                        assertEquals(ra.get(0, x, y), rb.get(0, x, y), band + " " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void cloudCoverOfEachItemMatchesItsScl() throws Exception {
        // Six items spread over the range of cloud cover, from clear to overcast.
        List<SimulatedItemId> byCover = season.stream()
                .sorted(java.util.Comparator.comparingDouble(i -> dea.stats(i).cloudCover())).toList();
        List<SimulatedItemId> picked = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            picked.add(byCover.get(k * (byCover.size() - 1) / 5));
        }
        assertTrue(dea.stats(picked.getFirst()).cloudCover() < 5 && dea.stats(picked.getLast()).cloudCover() > 60);
        for (SimulatedItemId id : picked) {
            double cover = dea.stats(id).cloudCover();
            try (GeoTiff scl = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.SCL)))) {
                int w = scl.metadata().width(), h = scl.metadata().height();
                Raster r = scl.read(new RasterWindow(0, 0, w, h));
                long cloudy = 0;
                for (byte v : r.bytes(0)) {
                    cloudy += v == 8 || v == 9 || v == 10 ? 1 : 0;
                }
                double actual = 100.0 * cloudy / ((long) w * h);
                assertEquals(actual, cover, 3.0, id + ": eo:cloud_cover " + cover + " but SCL says " + actual);
                assertEquals(cover, dea.item(id, BASE).get("properties").get("eo:cloud_cover").asDouble());
            }
        }
    }

    @Test
    void truthClassesDriveTheReflectance() throws Exception {
        SimulatedItemId feb = clearestItemIn(1, 2);
        SimulatedItemId sep = clearestItemIn(9);
        double[][] feb10 = ndviByClass(feb), sep10 = ndviByClass(sep);
        int maize = CropClass.MAIZE.code(), water = CropClass.WATER.code(), trees = CropClass.TREES.code();
        assertTrue(feb10[1][maize] > 1000 && feb10[1][water] > 100 && feb10[1][trees] > 1000, "classes present");
        // Field vigour ranges from poor to excellent (0.55 .. 1.1), so the mean of all maize pixels stays below a
        // good field's 0.8.
        assertTrue(feb10[0][maize] > 0.5 && sep10[0][maize] < 0.3, "maize " + feb10[0][maize] + " / " + sep10[0][maize]);
        assertTrue(feb10[0][water] < 0 && sep10[0][water] < 0, "water");
        assertTrue(sep10[0][trees] > sep10[0][maize] + 0.1, "trees keep leaves when fields are bare");
    }

    /** [0][class] = mean NDVI of clear pixels of that truth class, [1][class] = their count. */
    private static double[][] ndviByClass(SimulatedItemId id) throws Exception {
        double[][] out = new double[2][12];
        try (GeoTiff truth = GeoTiffReader.open(new FileByteSource(dea.truth(id.scene().id())));
             GeoTiff red = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.B04)));
             GeoTiff nir = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.B08)));
             GeoTiff scl = GeoTiffReader.open(new FileByteSource(dea.asset(id.toString(), S2Band.SCL)))) {
            RasterWindow all = new RasterWindow(0, 0, 1000, 1000);
            Raster t = truth.read(all), r = red.read(all), n = nir.read(all), c = scl.read(new RasterWindow(0, 0, 500, 500));
            for (int y = 0; y < 1000; y++) {
                for (int x = 0; x < 1000; x++) {
                    int sclValue = (int) c.get(0, x / 2, y / 2);
                    if (sclValue == 3 || sclValue >= 8) {
                        continue;
                    }
                    int k = (int) t.get(0, x, y);
                    double rr = r.get(0, x, y), nn = n.get(0, x, y);
                    out[0][k] += (nn - rr) / (nn + rr);
                    out[1][k]++;
                }
            }
        }
        for (int k = 0; k < 12; k++) {
            out[0][k] /= Math.max(1, out[1][k]);
        }
        return out;
    }

    @Test
    void concurrentRequestsGenerateAnAssetOnce(@TempDir Path fresh) throws Exception {
        SimulatedDea d = new SimulatedDea(fresh, SimTestSupport.SEED);
        String id = season.get(3).toString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Path>> calls = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                calls.add(() -> d.asset(id, S2Band.B03));
            }
            Set<Path> paths = new HashSet<>();
            for (Future<Path> f : pool.invokeAll(calls)) {
                paths.add(f.get());
            }
            assertEquals(1, paths.size());
            assertEquals(1, d.generatedFiles());
            d.asset(id, S2Band.B03);
            assertEquals(1, d.generatedFiles());
            // No temporary or spill files are left next to the asset.
            try (var files = Files.list(paths.iterator().next().getParent())) {
                assertEquals(List.of("B03.tif"), files.map(p -> p.getFileName().toString()).toList());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownItemsAndBandsAreRefused() {
        SimulatedItemId real = season.getFirst();
        String wrongPlatform = (real.platformCode().equals("S2A") ? "S2B" : "S2A") + real.toString().substring(3);
        UnknownItemException e = assertThrows(UnknownItemException.class, () -> dea.asset(wrongPlatform, S2Band.B04));
        assertTrue(e.getMessage().contains(wrongPlatform), e.getMessage());
        String offDay = new SimulatedItemId(real.platformCode(), real.scene(), real.date().plusDays(1)).toString();
        assertThrows(UnknownItemException.class, () -> dea.item(offDay, BASE));
        assertThrows(UnknownItemException.class, () -> dea.asset("S2A_nonsense_20240101_0_L2A", S2Band.B04));
        assertThrows(IllegalArgumentException.class, () -> S2Band.parse("B13"));
        assertThrows(IllegalArgumentException.class, () -> dea.search(SimTestSupport.AOI.bbox(),
                Instant.parse("2024-02-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z")));
    }

    @Test
    void searchIntervalsAreInclusiveOfTheOverpassTime() {
        SimulatedItemId one = season.get(10);
        Instant t = SimulatedDea.acquisitionTime(one.scene(), one.date());
        assertEquals(List.of(one), dea.search(SimTestSupport.AOI.bbox(), t, t));
        assertEquals(List.of(), dea.search(SimTestSupport.AOI.bbox(), t.plusMillis(1), t.plusSeconds(3600)));
        assertEquals(LocalDate.ofInstant(t, java.time.ZoneOffset.UTC), one.date());
    }
}
