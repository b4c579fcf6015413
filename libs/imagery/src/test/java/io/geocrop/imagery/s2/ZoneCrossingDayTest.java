package io.geocrop.imagery.s2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.raster.proj.GdalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real imagery the simulation does not make: an AOI near 30 degrees E gets items of UTM zones 35 and 36 on the
 * same day, on different grids, and DEA collection-1 DN below the +1000 offset (reflectance below zero).
 */
class ZoneCrossingDayTest {
    /** A tile in UTM 36S near the zone's western edge (about 31.1 E): x 307200..312320, y 7936000..7941120. */
    static final JobTile TILE = new JobTile(32736, 60, 1550);
    static final Season SEASON = new Season(2024);
    /** The tile column where the zone-36 item's cloud ends: 20 m SCL pixel edges fall on 10 m pixel edges here. */
    static final int CLOUD_EDGE_COL = 256;

    @TempDir
    Path dir;

    private Path cog(String name, int epsg, GeoTransform transform, int width, int height, SampleType type,
                     IntBinaryOperator value) throws IOException {
        Raster r = Raster.allocate(width, height, 1, type);
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                r.set(0, col, row, value.applyAsInt(col, row));
            }
        }
        RasterMetadata meta = new RasterMetadata(width, height, 1, type, transform, epsg, 0.0, List.of(), List.of(),
                List.of(), Map.of(), null);
        Path file = dir.resolve(name + ".tif");
        CogWriter.write(file, meta, r, CogWriteOptions.builder().tileSize(256).build());
        return file;
    }

    private static StacAsset asset(String key, Path file, double offset) {
        return new StacAsset(key, file.toUri(), file.toUri().toString(), "image/tiff; application=geotiff",
                List.of("data"), null, null, null, 0.0, "uint16", key.equals("SCL") ? 1 : 1e-4, offset);
    }

    /** Values of a band at a pixel of a grid of {@code res} metres: (band, col, row) to DN. */
    interface BandValues {
        int dn(Band band, int col, int row);
    }

    /**
     * An item whose 10 m and 20 m bands and 20 m SCL cover {@code x0, y0} (top-left, metres of {@code epsg})
     * over {@code sizeM} metres.
     */
    private StacItem item(String id, int epsg, double x0, double y0, int sizeM, double cloud, double offset,
                          BandValues values, IntBinaryOperator scl) throws IOException {
        Map<S2Band, StacAsset> bands = new EnumMap<>(S2Band.class);
        for (Band band : Band.ALL) {
            S2Band s2 = S2Band.valueOf(band.name());
            int res = s2.resolutionM();
            Path file = cog(id + "-" + band, epsg, GeoTransform.northUp(x0, y0, res, res), sizeM / res, sizeM / res,
                    SampleType.UINT16, (c, r) -> values.dn(band, c, r));
            bands.put(s2, asset(band.name(), file, offset));
        }
        bands.put(S2Band.SCL, asset("SCL", cog(id + "-SCL", epsg, GeoTransform.northUp(x0, y0, 20, 20), sizeM / 20,
                sizeM / 20, SampleType.UINT8, scl), 0));
        LonLatBox box = SeasonReader.footprint(TILE);
        return new StacItem(id, "s2_l2a", Instant.parse("2024-12-05T08:00:00Z").plusSeconds(id.length()),
                new LonLatBox(box.minLon() - 0.01, box.minLat() - 0.01, box.maxLon() + 0.01, box.maxLat() + 0.01),
                null, epsg, cloud, id, "sentinel-2a", "05.10", offset == 0 ? Boolean.TRUE : null, bands, Map.of());
    }

    private static SeasonReader reader() {
        return new SeasonReader(asset -> new FileByteSource(Path.of(asset.href())), 2);
    }

    /**
     * One day, two items: zone 36 (the tile's own grid), clouded west of {@link #CLOUD_EDGE_COL}, and zone 35 over
     * the same ground on its own grid, clear, with 200 m fields; zone 35 first in the list.
     */
    private List<StacItem> twoZones() throws IOException {
        // Zone 36 (the tile's own grid), 1 km beyond the tile: clouded (SCL 9) west of CLOUD_EDGE_COL, clear east.
        double ox = TILE.minX() - 1000, oy = TILE.maxY() + 1000;
        int cloudEdge20 = (int) ((TILE.minX() + CLOUD_EDGE_COL * 10 - ox) / 20);
        StacItem zone36 = item("S2A_36KTE", 32736, ox, oy, 7120, 10, 0,
                (band, c, r) -> 3000 + 10 * band.index() + c % 50, (c, r) -> c < cloudEdge20 ? 9 : 4);
        // Zone 35 over the same ground, on its own 10 m grid, clear everywhere: fields of 200 m with sharp edges.
        CrsTransforms.Transform to35 = CrsTransforms.between(32736, 32735);
        double minX35 = Double.POSITIVE_INFINITY, maxY35 = Double.NEGATIVE_INFINITY;
        for (double[] corner : new double[][] {{TILE.minX(), TILE.minY()}, {TILE.minX(), TILE.maxY()},
                {TILE.maxX(), TILE.minY()}, {TILE.maxX(), TILE.maxY()}}) {
            double[] p = to35.apply(corner[0], corner[1]);
            minX35 = Math.min(minX35, p[0]);
            maxY35 = Math.max(maxY35, p[1]);
        }
        double ox35 = Math.floor(minX35 / 20) * 20 - 1000, oy35 = Math.ceil(maxY35 / 20) * 20 + 1000;
        StacItem zone35 = item("S2B_35KQE_LATER_ID", 32735, ox35, oy35, 8000, 30, 0,
                (band, c, r) -> {
                    int res = S2Band.valueOf(band.name()).resolutionM();
                    boolean dark = ((c * res / 200) + (r * res / 200)) % 2 == 0;
                    return 1200 + 100 * band.index() + (dark ? 0 : 1500);
                }, (c, r) -> 4);

        return List.of(zone35, zone36);
    }

    @Test
    void theSpilledSeasonHoldsTheSameSamplesBlockByBlockAsTheWholeSeason() throws IOException {
        List<StacItem> items = twoZones();
        SeasonTimeSeries whole = reader().read(TILE, SEASON, items).series();
        // 100 rows: five full blocks and a last one of 12 rows.
        try (SpilledSeason spilled = reader().spill(TILE, SEASON, items, dir.resolve("spill"), 100)) {
            assertEquals(6, spilled.blockCount());
            assertEquals(12, spilled.rows(5));
            assertEquals(List.of("S2A_36KTE", "S2B_35KQE_LATER_ID"), spilled.itemIds());
            assertEquals(SpilledSeason.fileBytes(1), Files.size(onlyFile(dir.resolve("spill"))));
            for (int k = 0; k < spilled.blockCount(); k++) {
                SeasonTimeSeries block = spilled.block(k);
                assertEquals(spilled.rows(k), block.height());
                int offset = spilled.firstRow(k) * 512;
                for (int p = 0; p < block.pixelCount(); p++) {
                    assertEquals(whole.quality(0, offset + p), block.quality(0, p), "quality at " + (offset + p));
                    for (Band band : Band.ALL) {
                        assertEquals(Float.floatToIntBits(whole.reflectance(band, 0, offset + p)),
                                Float.floatToIntBits(block.reflectance(band, 0, p)), band + " at " + (offset + p));
                    }
                }
            }
        }
        try (var files = Files.list(dir.resolve("spill"))) {
            assertEquals(0, files.count(), "closing deletes the spill file");
        }
    }

    private static Path onlyFile(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.getFirst();
        }
    }

    @Test
    void theFirstItemThatSeesAPixelClearWinsAndTheOtherZoneIsWarpedLikeGdalwarp() throws IOException {
        assumeTrue(GdalTool.available(), "GDAL is not installed");
        List<StacItem> items = twoZones();
        StacItem zone35 = items.getFirst();
        SeasonStack stack = reader().read(TILE, SEASON, items);
        SeasonTimeSeries series = stack.series();
        assertEquals(1, series.acquisitionCount(), "one day, two items");
        assertEquals(List.of("S2A_36KTE", "S2B_35KQE_LATER_ID"), stack.acquisitions().getFirst().itemIds(),
                "lowest cloud cover first");

        // The reference: gdalwarp of the zone-35 bands onto the tile's grid, bilinear, exact transforms.
        Map<Band, Raster> gdal = new EnumMap<>(Band.class);
        for (Band band : List.of(Band.B04, Band.B08, Band.B11, Band.B12)) {
            Path warped = dir.resolve("gdal-" + band + ".envi");
            GdalTool.run(null, "gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:32736", "-te",
                    Double.toString(TILE.minX()), Double.toString(TILE.minY()), Double.toString(TILE.maxX()),
                    Double.toString(TILE.maxY()), "-tr", "10", "10", "-r", "bilinear", "-et", "0", "-of", "ENVI",
                    Path.of(zone35.requireBand(S2Band.valueOf(band.name())).href()).toString(), warped.toString());
            gdal.put(band, GdalTool.read(warped, dir).raster());
        }
        int compared = 0;
        double worst = 0;
        for (int r = 0; r < 512; r++) {
            for (int c = 0; c < 512; c++) {
                int pixel = r * 512 + c;
                assertEquals(SeasonTimeSeries.CLEAR, series.quality(0, pixel), "one of the two sees " + c + "," + r);
                if (c >= CLOUD_EDGE_COL) {
                    // Zone 36 sees it clear and comes first: its own 10 m values, copied.
                    assertEquals(3000 + 10 * Band.B04.index() + (c + 100) % 50,
                            Math.round(series.reflectance(Band.B04, 0, pixel) * 10000), "zone 36 at " + c + "," + r);
                    continue;
                }
                for (Map.Entry<Band, Raster> e : gdal.entrySet()) {
                    double ours = Math.round(series.reflectance(e.getKey(), 0, pixel) * 10000);
                    double diff = Math.abs(ours - e.getValue().get(0, c, r));
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= 1, e.getKey() + " at " + c + "," + r + ": ours " + ours + ", gdalwarp "
                            + e.getValue().get(0, c, r));
                    compared++;
                }
            }
        }
        assertEquals(4 * 512 * CLOUD_EDGE_COL, compared);
        // The checkerboard's edges cross the warped half: values between the two field levels prove bilinear.
        Raster b04 = gdal.get(Band.B04);
        long mixed = 0;
        for (int r = 0; r < 512; r++) {
            for (int c = 0; c < CLOUD_EDGE_COL; c++) {
                double v = b04.get(0, c, r);
                mixed += v > 1200 + 200 + 50 && v < 1200 + 200 + 1450 ? 1 : 0;
            }
        }
        assertTrue(mixed > 1000, "sharp edges seen across zones: " + mixed + " edge pixels; worst difference " + worst);
    }

    @Test
    void collectionOneDnBelowTheOffsetIsNegativeReflectanceNotAGap() throws IOException {
        double ox = TILE.minX() - 1000, oy = TILE.maxY() + 1000;
        // DEA collection 1: reflectance = DN * 0.0001 - 0.1. Water-like SWIR: DN 950 (-0.005) and 1000 (0).
        StacItem water = item("S2A_WATER", 32736, ox, oy, 7120, 1, -0.1,
                (band, c, r) -> switch (band) {
                    case B11 -> c % 2 == 0 ? 950 : 1000;
                    case B12 -> 930;
                    default -> 1400 + 10 * band.index();
                }, (c, r) -> 6);
        SeasonTimeSeries series = reader().read(TILE, SEASON, List.of(water)).series();
        int pixel = 300 * 512 + 200; // 20 m bands: bilinear between equal 20 m neighbours in the centre of a pixel pair
        assertEquals(SeasonTimeSeries.CLEAR, series.quality(0, pixel));
        assertEquals(-0.007f, series.reflectance(Band.B12, 0, pixel), 1e-6, "DN 930 is -0.007, kept");
        float b11 = series.reflectance(Band.B11, 0, pixel);
        assertTrue(b11 >= -0.005f - 1e-6 && b11 <= 0f + 1e-6, "B11 between -0.005 and 0, got " + b11);
        assertEquals(0.04f + 0.001f * Band.B04.index(), series.reflectance(Band.B04, 0, pixel), 1e-6);
    }
}
