package io.geocrop.imagery.s2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.features.Band;
import io.geocrop.features.SeasonTimeSeries;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.S2Band;
import io.geocrop.imagery.stac.StacAsset;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.io.FileByteSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The season reader on hand-made COGs whose every value is known: 10 m bands copied exactly, 20 m bands
 * interpolated bilinearly, SCL masking, same-day mosaics, DN offsets, corrupt files, items elsewhere.
 */
class SeasonReaderTest {
    /** A tile in UTM 36S: x 307200..312320, y 7936000..7941120. */
    static final JobTile TILE = new JobTile(32736, 60, 1550);
    static final Season SEASON = new Season(2024);
    /** Scene grid: 1 km beyond the tile on every side. */
    static final double OX = TILE.minX() - 1000, OY = TILE.maxY() + 1000;
    static final int SIZE_10M = 712, SIZE_20M = 356;

    @TempDir
    Path dir;

    /** DN of a 10 m band at scene pixel (col, row): different per band, varying along both axes. */
    static int dn10(Band band, int col, int row) {
        return 1000 + 200 * band.index() + (col % 300) + 2 * (row % 200);
    }

    /** DN of a 20 m band at scene pixel (col, row): linear, so bilinear interpolation is exact inside. */
    static int dn20(Band band, int col, int row) {
        return 1000 + 200 * band.index() + 2 * col + 3 * row;
    }

    Path cog(String name, int size, double res, SampleType type, IntBinaryOperator value) throws IOException {
        Raster r = Raster.allocate(size, size, 1, type);
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                r.set(0, col, row, value.applyAsInt(col, row));
            }
        }
        RasterMetadata meta = new RasterMetadata(size, size, 1, type, GeoTransform.northUp(OX, OY, res, res), 32736,
                0.0, List.of(), List.of(), List.of(), Map.of(), null);
        Path file = dir.resolve(name + ".tif");
        CogWriter.write(file, meta, r, CogWriteOptions.builder().tileSize(256).build());
        return file;
    }

    /** An item whose assets are COGs written for it; {@code scl} gives the SCL class at 20 m pixels. */
    StacItem item(String id, String datetime, double cloud, double offset, IntBinaryOperator scl) throws IOException {
        Map<S2Band, StacAsset> bands = new EnumMap<>(S2Band.class);
        for (Band band : Band.ALL) {
            S2Band s2 = S2Band.valueOf(band.name());
            boolean tenMetre = s2.resolutionM() == 10;
            Path file = tenMetre
                    ? cog(id + "-" + band, SIZE_10M, 10, SampleType.UINT16, (c, r) -> dn10(band, c, r))
                    : cog(id + "-" + band, SIZE_20M, 20, SampleType.UINT16, (c, r) -> dn20(band, c, r));
            bands.put(s2, asset(band.name(), file, offset));
        }
        bands.put(S2Band.SCL, asset("SCL", cog(id + "-SCL", SIZE_20M, 20, SampleType.UINT8, scl), 0));
        LonLatBox box = SeasonReader.footprint(TILE);
        return new StacItem(id, "s2_l2a", Instant.parse(datetime), new LonLatBox(box.minLon() - 0.01,
                box.minLat() - 0.01, box.maxLon() + 0.01, box.maxLat() + 0.01), null, 32736, cloud, "36KTE",
                "sentinel-2a", "05.10", offset == 0 ? Boolean.TRUE : null, bands, Map.copyOf(
                        new java.util.LinkedHashMap<String, StacAsset>(Map.of())));
    }

    static StacAsset asset(String key, Path file, double offset) {
        return new StacAsset(key, file.toUri(), file.toUri().toString(), "image/tiff; application=geotiff", List.of("data"),
                null, null, null, 0.0, "uint16", key.equals("SCL") ? 1 : 1e-4, offset);
    }

    final AtomicInteger opened = new AtomicInteger();

    SeasonReader reader() {
        return new SeasonReader(asset -> {
            opened.incrementAndGet();
            return new FileByteSource(Path.of(asset.href()));
        }, 2);
    }

    /** Scene 10 m pixel of tile pixel (c, r). */
    static int sceneCol10(int c) {
        return c + 100;
    }

    @Test
    void tenMetreBandsAreCopiedAndTwentyMetreBandsInterpolated() throws IOException {
        StacItem clear = item("S2A_A", "2024-12-05T08:00:00Z", 5, 0, (c, r) -> 4);
        SeasonStack stack = reader().read(TILE, SEASON, List.of(clear));
        SeasonTimeSeries series = stack.series();
        assertEquals(1, series.acquisitionCount());
        assertEquals(SEASON.dayOfSeason(java.time.LocalDate.of(2024, 12, 5)), series.day(0));
        for (int[] p : new int[][] {{0, 0}, {511, 0}, {0, 511}, {511, 511}, {137, 402}, {256, 256}}) {
            int c = p[0], r = p[1], pixel = r * 512 + c;
            assertEquals(SeasonTimeSeries.CLEAR, series.quality(0, pixel));
            assertEquals(dn10(Band.B04, sceneCol10(c), r + 100), Math.round(series.reflectance(Band.B04, 0, pixel) * 10000),
                    "B04 at " + c + "," + r);
            assertEquals(dn10(Band.B08, sceneCol10(c), r + 100), Math.round(series.reflectance(Band.B08, 0, pixel) * 10000));
            // 10 m pixel centre in 20 m pixel coordinates (relative to 20 m pixel centres).
            double u = (sceneCol10(c) + 0.5) / 2.0 - 0.5, v = (r + 100 + 0.5) / 2.0 - 0.5;
            double expected = 1000 + 200 * Band.B11.index() + 2 * u + 3 * v;
            assertEquals(expected, Math.round(series.reflectance(Band.B11, 0, pixel) * 10000), 1.0, "B11 at " + c + "," + r);
        }
        assertEquals(List.of("S2A_A"), stack.itemIds());
        assertTrue(stack.skipped().isEmpty());
    }

    @Test
    void cloudsAreMaskedAndTheClearItemOfTheDayWins() throws IOException {
        // Left half cloudy (SCL 9) in the better-ranked item, right half cloud shadow (3) in the other.
        StacItem a = item("S2A_A", "2025-01-10T08:00:00Z", 10, 0, (c, r) -> c < SIZE_20M / 2 ? 9 : 4);
        StacItem b = item("S2B_B", "2025-01-10T08:00:05Z", 40, 0, (c, r) -> c < SIZE_20M / 2 ? 4 : 3);
        StacItem later = item("S2A_C", "2025-01-15T08:00:00Z", 10, 0, (c, r) -> 8);
        SeasonStack stack = reader().read(TILE, SEASON, List.of(later, b, a));
        SeasonTimeSeries series = stack.series();
        assertEquals(2, series.acquisitionCount(), "two days");
        assertEquals(List.of("S2A_A", "S2B_B"), stack.acquisitions().get(0).itemIds(), "lowest cloud cover first");
        for (int c = 0; c < 512; c += 37) {
            for (int r = 0; r < 512; r += 41) {
                int pixel = r * 512 + c;
                assertEquals(SeasonTimeSeries.CLEAR, series.quality(0, pixel), "one of the two sees " + c + "," + r);
                assertEquals(SeasonTimeSeries.MASKED, series.quality(1, pixel), "cloud everywhere on the 15th");
            }
        }
    }

    @Test
    void offsetsAreAppliedOnceAndItemsOutsideTheSeasonOrTileLeftOut() throws IOException {
        StacItem c1 = item("S2A_C1", "2024-10-01T08:00:00Z", 1, -0.1, (c, r) -> 5);
        StacItem before = item("S2A_OLD", "2024-08-20T08:00:00Z", 1, 0, (c, r) -> 5);
        StacItem elsewhere = new StacItem("S2A_FAR", "s2_l2a", Instant.parse("2024-10-06T08:00:00Z"),
                new LonLatBox(20, -10, 21, -9), null, 32736, 1.0, null, null, null, true, c1.bands(), Map.of());
        opened.set(0);
        SeasonStack stack = reader().read(TILE, SEASON, List.of(c1, before, elsewhere));
        assertEquals(List.of("S2A_C1"), stack.itemIds());
        assertEquals(11, opened.get(), "the far and the old items were never opened");
        int pixel = 300 * 512 + 200;
        assertEquals(dn10(Band.B03, sceneCol10(200), 400) - 1000, Math.round(stack.series().reflectance(Band.B03, 0, pixel) * 10000),
                "DN 1000 is reflectance 0 in collection 1");
    }

    @Test
    void aCorruptCogSkipsItsItemAndSaysWhy() throws IOException {
        StacItem good = item("S2A_GOOD", "2024-11-01T08:00:00Z", 1, 0, (c, r) -> 4);
        StacItem bad = item("S2A_BAD", "2024-11-06T08:00:00Z", 1, 0, (c, r) -> 4);
        Path b08 = Path.of(bad.requireBand(S2Band.B08).href());
        byte[] bytes = Files.readAllBytes(b08);
        Files.write(b08, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        SeasonStack stack = reader().read(TILE, SEASON, List.of(good, bad));
        assertEquals(1, stack.skipped().size(), stack.skipped().toString());
        assertTrue(stack.skipped().get(0).contains("S2A_BAD"), stack.skipped().get(0));
        assertEquals(SeasonTimeSeries.NO_DATA, stack.series().quality(1, 1000), "the skipped day has no data");
        assertEquals(SeasonTimeSeries.CLEAR, stack.series().quality(0, 1000));
    }

    @Test
    void anUnreachableAssetIsAnIoErrorForRedelivery() throws IOException {
        StacItem good = item("S2A_GOOD", "2024-11-01T08:00:00Z", 1, 0, (c, r) -> 4);
        SeasonReader failing = new SeasonReader(asset -> {
            throw new IOException("connection refused: " + asset.href());
        }, 2);
        IOException e = assertThrows(IOException.class, () -> failing.read(TILE, SEASON, List.of(good)));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void assetsInAnotherUtmZoneAreReprojected() throws IOException {
        // The same ground in the neighbouring zone 35S: values vary slowly, so bilinear sampling stays close.
        StacItem local = item("S2A_LOCAL", "2024-12-01T08:00:00Z", 1, 0, (c, r) -> 4);
        SeasonStack reference = reader().read(TILE, SEASON, List.of(local));
        assertEquals(1, reference.series().acquisitionCount());
        // Footprint of the tile seen from zone 35: the reader transforms the tile corners; sourceWindow must meet
        // a zone-35 raster placed over the same ground.
        io.geocrop.raster.proj.CrsTransforms.Transform to35 = io.geocrop.raster.proj.CrsTransforms.between(32736, 32735);
        double[] corner = to35.apply(TILE.minX(), TILE.maxY());
        RasterMetadata meta35 = RasterMetadata.of(800, 800, 1, SampleType.UINT16,
                GeoTransform.northUp(corner[0] - 2000, corner[1] + 2000, 10, 10), 32735);
        var window = SeasonReader.sourceWindow(TILE, 32735, meta35);
        assertTrue(window != null && window.width() > 512 && window.width() < 700, String.valueOf(window));
    }
}
