package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geocrop baselines import} on Dynamic World-like exports made by GDAL: in EPSG:4326 (a probability band
 * before the {@code label} band, a nodata corner) and in UTM 36S (one band, on a grid offset from any round
 * number, no nodata). The import stores the export's own pixels (here cut into 512 px pieces, so tiles cross piece
 * seams), and every z12 and z14 tile covering the export, drawn by tile-render's own mosaic path next to a
 * simulated-like 10 km UTM cell, must equal {@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts 256 256 -r near} of the
 * export pixel for pixel; where the export has no label the cell shows through.
 */
class DynamicWorldImportTest {
    private static final int YEAR = 2023;
    private static final int PIECE = 512;
    @TempDir Path dir;

    /** Writes an export with GDAL's Python bindings; {@code body} fills {@code label} (a numpy array). */
    private Path export(String name, String srs, double[] geoTransform, int width, int height, boolean twoBands,
                        String type, String nodata, String body) throws Exception {
        Path out = dir.resolve(name);
        String script = String.join("\n",
                "from osgeo import gdal, osr",
                "import numpy as np",
                "w, h = " + width + ", " + height,
                "rows, cols = np.mgrid[0:h, 0:w]",
                // Blocks of classes with ragged edges, so every tile has many class boundaries at odd positions.
                "label = ((cols // 7 + rows // 11) * 3 + (cols * rows // 97) % 2 + (cols // 48) * 5) % 9",
                body,
                "ds = gdal.GetDriverByName('GTiff').Create('" + out + "', w, h, " + (twoBands ? 2 : 1) + ", gdal." + type + ")",
                "ds.SetGeoTransform([" + String.join(", ", java.util.Arrays.stream(geoTransform)
                        .mapToObj(v -> new java.math.BigDecimal(v).toPlainString()).toList()) + "])",
                srs == null ? "" : "s = osr.SpatialReference(); s.SetFromUserInput('" + srs + "'); ds.SetProjection(s.ExportToWkt())",
                "bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]",
                twoBands ? "bands[0].SetDescription('probability'); bands[0].WriteArray((cols % 100).astype('uint8'))" : "",
                "bands[-1].SetDescription('label'); bands[-1].WriteArray(label)",
                nodata == null ? "" : "[b.SetNoDataValue(" + nodata + ") for b in bands]",
                "ds = None");
        GdalWarp.run(List.of("/usr/bin/python3", "-c", script));
        return out;
    }

    /** 31.000..31.150 E, -17.800..-17.920 N at 0.0001 degree, a corner of nodata (255). */
    private Path lonLatExport() throws Exception {
        return export("dw-4326.tif", "EPSG:4326", new double[] {31.0, 0.0001, 0, -17.80, 0, -0.0001}, 1500, 1200,
                true, "GDT_Byte", "255", "label[:160, :230] = 255");
    }

    /**
     * UTM 36S, 10 m pixels on a grid 3 m / 7 m off round numbers, one band, no nodata declared. Classes 1..8 only,
     * so gdalwarp's fill outside the export (0, as no nodata is declared) tells where the export ends.
     */
    private Path utmExport(Path out, int width, int height) throws Exception {
        return export(out.getFileName().toString(), "EPSG:32736", new double[] {290_003, 10, 0, 8_030_007, 0, -10},
                width, height, false, "GDT_UInt16", null, "label = label % 8 + 1");
    }

    private LocalObjectStore store() {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        return store;
    }

    @Test
    void aLonLatExportIsStoredAsItIsAndItsTilesEqualGdalwarps() throws Exception {
        Path export = lonLatExport();
        try (LocalObjectStore store = store()) {
            DynamicWorldImport.Report report = DynamicWorldImport.importExport(export, YEAR, store, dir.resolve("work"), PIECE);
            assertEquals(4326, report.sourceEpsg());
            assertEquals(9, report.keys().size(), report.keys().toString());
            assertEquals(ObjectKeys.baselinePrefix(YEAR) + "0-import-dw-4326-000-000.tif", report.keys().getFirst());
            assertEquals(1500 * 1200 - 160 * 230, report.labelledPixels());
            // 0.0001 degree is about 10.6 x 11.1 m here.
            double km2 = (1500 * 1200 - 160 * 230) * (0.0001 * 111_320 * Math.cos(Math.toRadians(17.86))) * (0.0001 * 110_600) / 1e6;
            assertEquals(km2, report.coveredKm2(), km2 * 0.005, report.describe());
            assertTrue(report.describe().contains("km² labelled"), report.describe());
            assertTrue(report.describe().endsWith("EPSG:4326, 1500 x 1200 pixels stored as exported"), report.describe());
            putSimulatedCell(store, 31.06, -17.90);
            compareAllTiles(store, export, 2, DynamicWorldClass.NODATA);
        }
    }

    @Test
    void aUtmExportIsStoredAsItIsAndItsTilesEqualGdalwarps() throws Exception {
        Path export = utmExport(dir.resolve("dw-utm.tif"), 1300, 1100);
        try (LocalObjectStore store = store()) {
            DynamicWorldImport.Report report = DynamicWorldImport.importExport(export, YEAR, store, dir.resolve("work"), PIECE);
            assertEquals(32736, report.sourceEpsg());
            assertEquals(9, report.keys().size());
            assertEquals(1300 * 1100, report.labelledPixels());
            // 10 m UTM pixels are 100 m² / k² on the ground; k is about 0.9997 here.
            assertEquals(1300 * 1100 * 100 / 1e6, report.coveredKm2(), 0.2, report.describe());
            double[] centre = io.geocrop.domain.UtmZone.ofEpsg(32736).inverse(290_003 + 6500, 8_030_007 - 5500);
            putSimulatedCell(store, centre[0] + 0.05, centre[1] - 0.03);
            compareAllTiles(store, export, 1, 0);

            // Every piece is a valid COG on the export's grid that says where it came from.
            String key = report.keys().get(4); // row 1, column 1
            Path local = dir.resolve("piece.tif");
            try (var in = store.get(Bucket.BASELINES, key).orElseThrow()) {
                Files.copy(in, local);
            }
            try (GeoTiff piece = GeoTiffReader.open(FileByteSource.open(local))) {
                assertEquals(PIECE, piece.metadata().width());
                assertEquals(32736, piece.metadata().epsg());
                assertEquals(290_003 + 512 * 10, piece.metadata().transform().originX(), 0);
                assertEquals(8_030_007 - 512 * 10, piece.metadata().transform().originY(), 0);
                assertEquals(255.0, piece.metadata().nodata());
                assertEquals(List.of("label"), piece.metadata().bandDescriptions());
                assertEquals("12", piece.metadata().metadata().get(TileRenderer.FULL_RESOLUTION_MIN_ZOOM_KEY));
                assertEquals("512 512 1300 1100 290003.0 8030007.0", piece.metadata().metadata().get(TileRenderer.PIECE_OF_KEY));
                // The export's pixels, unresampled.
                Raster ours = piece.read(new io.geocrop.raster.RasterWindow(0, 0, PIECE, PIECE));
                try (GeoTiff src = GeoTiffReader.open(FileByteSource.open(export))) {
                    Raster theirs = src.read(new io.geocrop.raster.RasterWindow(512, 512, PIECE, PIECE));
                    for (int i = 0; i < PIECE * PIECE; i++) {
                        assertEquals(theirs.get(0, i % PIECE, i / PIECE), ours.get(0, i % PIECE, i / PIECE), "pixel " + i);
                    }
                }
            }
            String validation = GdalWarp.run(List.of("/usr/bin/python3",
                    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py", local.toString()));
            assertTrue(validation.contains("is a valid cloud optimized GeoTIFF"), validation);

            // Importing a smaller file of the same name replaces its pieces and removes the ones it no longer has.
            Files.createDirectories(dir.resolve("again"));
            Path smaller = utmExport(dir.resolve("again").resolve("dw-utm.tif"), 300, 200);
            DynamicWorldImport.Report again = DynamicWorldImport.importExport(smaller, YEAR, store, dir.resolve("work"), PIECE);
            assertEquals(List.of(ObjectKeys.baselinePrefix(YEAR) + "0-import-dw-utm-000-000.tif"), again.keys());
            assertEquals(List.of(again.keys().getFirst(), ObjectKeys.baselinePrefix(YEAR) + "36KTE07.tif"),
                    store.list(Bucket.BASELINES, ObjectKeys.baselinePrefix(YEAR)).stream().map(o -> o.key()).toList());
        }
    }

    /**
     * A 10 km cell like the simulated baselines' (UTM 36S, 10 m, key {@code 36KTE07.tif}, which sorts after the
     * imported pieces) whose centre is near {@code lon, lat}: every pixel class 6 (shrub and scrub).
     */
    private void putSimulatedCell(LocalObjectStore store, double lon, double lat) throws Exception {
        double[] en = io.geocrop.domain.UtmZone.ofEpsg(32736).forward(lon, lat);
        double x0 = Math.floor(en[0] / 10_000) * 10_000, y1 = Math.floor(en[1] / 10_000) * 10_000 + 10_000;
        byte[] px = new byte[1000 * 1000];
        java.util.Arrays.fill(px, (byte) 5);
        Path cell = dir.resolve("cell.tif");
        io.geocrop.raster.CogWriter.write(cell, new io.geocrop.raster.RasterMetadata(1000, 1000, 1,
                        io.geocrop.raster.SampleType.UINT8, io.geocrop.raster.GeoTransform.northUp(x0, y1, 10, 10), 32736,
                        255.0, List.of("label"), List.of(), List.of(), java.util.Map.of(), DynamicWorldImport.colours()),
                Raster.wrap(1000, 1000, io.geocrop.raster.SampleType.UINT8, px),
                io.geocrop.raster.CogWriteOptions.builder().overviewCount(2).build());
        store.put(Bucket.BASELINES, ObjectKeys.baseline(YEAR, "36KTE07.tif"), cell, "image/tiff");
    }

    /**
     * Every z12 and z14 tile covering the export: ours (the mosaic of everything stored, through
     * {@link TileRenderer#renderMosaic}) against gdalwarp's of the export, where gdalwarp's {@code outside} value
     * (its fill beyond the export, or the export's nodata) lets the simulated cell show through.
     */
    private void compareAllTiles(LocalObjectStore store, Path export, int labelBand, int outside) throws Exception {
        CogCache cogs = new CogCache(store, 64, 1 << 24, Duration.ZERO, System::nanoTime);
        CogMosaic mosaic = new MosaicIndex(store, cogs, Duration.ZERO, System::nanoTime)
                .mosaic(Bucket.BASELINES, ObjectKeys.baselinePrefix(YEAR));
        assertTrue(mosaic.sources().getLast().key().endsWith("36KTE07.tif"), "the cell is drawn last");
        OpenCog cell = cogs.open(Bucket.BASELINES, mosaic.sources().getLast().key()).orElseThrow();
        LayerStyle style = LayerStyle.DYNAMIC_WORLD;
        TileRenderer renderer = new TileRenderer();
        Bounds exportBounds = mosaic.sources().stream().filter(s -> s.key().contains("/0-import-"))
                .map(MosaicSource::footprint).reduce(LayerFootprint::union).orElseThrow().mercatorBounds();
        for (int z : new int[] {12, 14}) {
            int tiles = 0, fromExport = 0, fromCell = 0;
            for (TileCoord tile : TileMath.tilesCovering(exportBounds, z)) {
                List<OpenCog> sources = new ArrayList<>();
                for (MosaicSource s : mosaic.covering(tile)) {
                    sources.add(cogs.open(Bucket.BASELINES, s.key()).orElseThrow());
                }
                byte[] ours = renderer.renderMosaic(sources, style, tile, 256).indices();
                byte[] cellOnly = cell.footprint().mercatorBounds().overlaps(TileMath.mercatorBounds(tile))
                        ? renderer.render(cell.tiff(), cell.footprint(), style, tile, 256).indices() : null;
                Raster gdal = GdalWarp.tile(export, tile, 256, dir);
                for (int i = 0; i < 256 * 256; i++) {
                    int v = (int) gdal.get(labelBand - 1, i % 256, i / 256);
                    int expected;
                    if (v != outside) {
                        expected = style.indexOf(v);
                        fromExport++;
                    } else {
                        expected = cellOnly == null ? style.transparentIndex() : cellOnly[i] & 0xff;
                        fromCell += expected != style.transparentIndex() ? 1 : 0;
                    }
                    if ((ours[i] & 0xff) != expected) {
                        throw new AssertionError(String.format(Locale.ROOT,
                                "z%d tile %s pixel (%d, %d): ours %d, gdalwarp's export %d (palette index %d)", z, tile,
                                i % 256, i / 256, ours[i] & 0xff, v, expected));
                    }
                }
                tiles++;
            }
            System.out.printf(Locale.ROOT, "EPSG:%d z%d: %d tiles, every pixel equal to gdalwarp's (%d from the export, "
                    + "%d from the simulated cell)%n", sourceEpsg(export), z, tiles, fromExport, fromCell);
            assertTrue(tiles >= (z == 12 ? 4 : 20), tiles + " tiles at z" + z);
            assertTrue(fromExport > 100_000 && fromCell > 5_000, fromExport + " / " + fromCell);
        }
    }

    private static int sourceEpsg(Path export) throws Exception {
        try (GeoTiff src = GeoTiffReader.open(FileByteSource.open(export))) {
            return src.metadata().epsg();
        }
    }

    @Test
    void badExportsAreRefusedWithTheReasonAndNothingIsStored() throws Exception {
        Path wrongValues = export("values.tif", "EPSG:4326", new double[] {31.0, 0.0001, 0, -17.80, 0, -0.0001}, 200,
                100, false, "GDT_Byte", "255", "label[50, 70] = 12");
        Path noCrs = export("nocrs.tif", null, new double[] {31.0, 0.0001, 0, -17.80, 0, -0.0001}, 200, 100, false,
                "GDT_Byte", null, "");
        Path floats = export("floats.tif", "EPSG:4326", new double[] {31.0, 0.0001, 0, -17.80, 0, -0.0001}, 200, 100,
                false, "GDT_Float32", null, "");
        Path otherCrs = export("mercator.tif", "EPSG:3857", new double[] {3_450_000, 10, 0, -2_010_000, 0, -10}, 200,
                100, false, "GDT_Byte", null, "");
        Path twoBandsNoLabel = dir.resolve("nolabel.tif");
        GdalWarp.run(List.of("gdal_translate", "-q", "-b", "1", "-b", "1", lonLatExport().toString(),
                twoBandsNoLabel.toString()));
        Path text = Files.writeString(dir.resolve("notes.tif"), "not a GeoTIFF");
        try (LocalObjectStore store = store()) {
            assertRefused(store, wrongValues, "values.tif has value 12 at pixel (70, 50); Dynamic World labels are 0..8 (nodata: 255)");
            assertRefused(store, noCrs, "nocrs.tif has no CRS");
            assertRefused(store, floats, "floats.tif holds float32 samples; Dynamic World labels are integers 0..8");
            assertRefused(store, otherCrs, "mercator.tif is in EPSG:3857; baselines import EPSG:4326 or UTM");
            assertRefused(store, twoBandsNoLabel, "nolabel.tif has 2 bands and none is named 'label'");
            assertRefused(store, text, "notes.tif is not a GeoTIFF");
            assertRefused(store, dir.resolve("missing.tif"), "missing.tif: no such file");
            assertTrue(store.list(Bucket.BASELINES, ObjectKeys.baselinePrefix(YEAR)).isEmpty(), "nothing stored");
        }
    }

    private void assertRefused(LocalObjectStore store, Path file, String reason) {
        DynamicWorldImport.InvalidExportException e = assertThrows(DynamicWorldImport.InvalidExportException.class,
                () -> DynamicWorldImport.importExport(file, YEAR, store, dir.resolve("work")));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
