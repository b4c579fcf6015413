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
 * before the {@code label} band) and in UTM (one band, on a grid offset from the baseline grid). The imported
 * baseline is drawn by tile-render's own mosaic path and compared with {@code gdalwarp -r near} of the export
 * straight onto the same Web Mercator tiles at z12 and z14.
 *
 * <p>The import resamples twice in effect (export to the 10 m baseline grid, then the tile render), gdalwarp once,
 * so a pixel can pick the class across a field edge: every pixel must equal gdalwarp's, or differ only where
 * gdalwarp's own tile shows our value within one pixel (an edge), and such pixels must be few.
 */
class DynamicWorldImportTest {
    private static final int YEAR = 2023;
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
                "label = ((cols // 48) * 3 + (rows // 48) * 5) % 9",
                body,
                "ds = gdal.GetDriverByName('GTiff').Create('" + out + "', w, h, " + (twoBands ? 2 : 1) + ", gdal." + type + ")",
                "ds.SetGeoTransform([" + String.join(", ", java.util.Arrays.stream(geoTransform)
                        .mapToObj(v -> String.format(Locale.ROOT, "%.10f", v)).toList()) + "])",
                srs == null ? "" : "s = osr.SpatialReference(); s.SetFromUserInput('" + srs + "'); ds.SetProjection(s.ExportToWkt())",
                "bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]",
                twoBands ? "bands[0].SetDescription('probability'); bands[0].WriteArray((cols % 100).astype('uint8'))" : "",
                "bands[-1].SetDescription('label'); bands[-1].WriteArray(label)",
                nodata == null ? "" : "[b.SetNoDataValue(" + nodata + ") for b in bands]",
                "ds = None");
        GdalWarp.run(List.of("/usr/bin/python3", "-c", script));
        return out;
    }

    /** 31.000..31.060 E, -17.800..-17.844 N at 0.0001 degree, a corner of nodata (255). */
    private Path lonLatExport() throws Exception {
        return export("dw-4326.tif", "EPSG:4326", new double[] {31.0, 0.0001, 0, -17.80, 0, -0.0001}, 600, 440,
                true, "GDT_Byte", "255", "label[:60, :90] = 255");
    }

    /**
     * UTM 36S, 10 m pixels on a grid 3 m / 7 m off the baseline grid, one band, no nodata declared. Classes 1..8
     * only, so gdalwarp's fill outside the export (0, as no nodata is declared) tells where the export ends.
     */
    private Path utmExport() throws Exception {
        return export("dw-utm.tif", "EPSG:32736", new double[] {290_003, 10, 0, 8_030_007, 0, -10}, 520, 460,
                false, "GDT_Byte", null, "label = label % 8 + 1");
    }

    private LocalObjectStore store() {
        LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        return store;
    }

    @Test
    void aLonLatExportBecomesBaselineCellsWhoseTilesMatchGdalwarp() throws Exception {
        Path export = lonLatExport();
        try (LocalObjectStore store = store()) {
            DynamicWorldImport.Report report = DynamicWorldImport.importExport(export, YEAR, store, dir.resolve("work"));
            assertEquals(4326, report.sourceEpsg());
            assertFalse(report.keys().isEmpty());
            report.keys().forEach(k -> assertTrue(k.startsWith(ObjectKeys.baselinePrefix(YEAR) + "36K-"), k));
            // 600 x 440 pixels of about 10.6 x 11.1 m, minus the nodata corner: about 30 km², in 10 m pixels.
            double km2 = (600 * 440 - 60 * 90) * (0.0001 * 111_320 * Math.cos(Math.toRadians(17.82))) * (0.0001 * 110_600) / 1e6;
            assertEquals(km2, report.coveredKm2(), km2 * 0.01, report.describe());
            assertTrue(report.describe().contains("km² labelled"), report.describe());
            compareTiles(store, export, 2, new double[] {31.03, -17.82}, DynamicWorldClass.NODATA);
        }
    }

    @Test
    void aUtmExportOnAnotherGridMatchesGdalwarpToo() throws Exception {
        Path export = utmExport();
        try (LocalObjectStore store = store()) {
            DynamicWorldImport.Report report = DynamicWorldImport.importExport(export, YEAR, store, dir.resolve("work"));
            assertEquals(32736, report.sourceEpsg());
            assertEquals(520 * 460 * 100 / 1e6, report.coveredKm2(), 0.2, report.describe());
            double[] centre = io.geocrop.domain.UtmZone.ofEpsg(32736).inverse(290_003 + 2600, 8_030_007 - 2300);
            compareTiles(store, export, 1, centre, 0);
            // Every written cell is a valid COG that says where it came from.
            String key = report.keys().getFirst();
            Path local = dir.resolve("cell.tif");
            try (var in = store.get(Bucket.BASELINES, key).orElseThrow()) {
                Files.copy(in, local);
            }
            try (GeoTiff cell = GeoTiffReader.open(FileByteSource.open(local))) {
                assertEquals(1000, cell.metadata().width());
                assertEquals(255.0, cell.metadata().nodata());
                assertEquals(List.of("label"), cell.metadata().bandDescriptions());
                assertEquals(5, cell.levelCount(), "full resolution and four overviews");
            }
            String validation = GdalWarp.run(List.of("/usr/bin/python3",
                    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py", local.toString()));
            assertTrue(validation.contains("is a valid cloud optimized GeoTIFF"), validation);
        }
    }

    /**
     * Tiles at z12 and z14 around {@code lonLat}: ours (the mosaic of the stored cells) against gdalwarp's, where
     * gdalwarp's {@code outside} value (its fill beyond the export, or the export's nodata) is transparent.
     */
    private void compareTiles(LocalObjectStore store, Path export, int labelBand, double[] lonLat, int outside)
            throws Exception {
        CogCache cogs = new CogCache(store, 16, 1 << 22, Duration.ZERO, System::nanoTime);
        CogMosaic mosaic = new MosaicIndex(store, cogs, Duration.ZERO, System::nanoTime)
                .mosaic(Bucket.BASELINES, ObjectKeys.baselinePrefix(YEAR));
        LayerStyle style = LayerStyle.DYNAMIC_WORLD;
        TileRenderer renderer = new TileRenderer();
        for (int z : new int[] {12, 14}) {
            TileCoord tile = TileMath.tilesCovering(LayerFootprint.ofLonLat(
                    new Bounds(lonLat[0], lonLat[1], lonLat[0] + 1e-6, lonLat[1] + 1e-6), z, z).mercatorBounds(), z).getFirst();
            List<OpenCog> sources = new ArrayList<>();
            for (MosaicSource s : mosaic.covering(tile)) {
                sources.add(cogs.open(Bucket.BASELINES, s.key()).orElseThrow());
            }
            byte[] ours = renderer.renderMosaic(sources, style, tile, 256).indices();
            Raster gdal = GdalWarp.tile(export, tile, 256, dir);
            int[] expected = new int[256 * 256];
            for (int i = 0; i < expected.length; i++) {
                int v = (int) gdal.get(labelBand - 1, i % 256, i / 256);
                expected[i] = v == outside ? style.transparentIndex() : style.indexOf(v);
            }
            int equal = 0, edge = 0, labelled = 0;
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    int i = y * 256 + x;
                    int o = ours[i] & 0xff;
                    labelled += expected[i] != style.transparentIndex() ? 1 : 0;
                    if (o == expected[i]) {
                        equal++;
                        continue;
                    }
                    assertTrue(withinOnePixel(expected, x, y, o), String.format(Locale.ROOT,
                            "z%d pixel (%d, %d): ours %d, gdalwarp %d, and gdalwarp has no %d next to it", z, x, y, o,
                            expected[i], o));
                    edge++;
                }
            }
            assertTrue(labelled > 5000, "the tile shows the export: " + labelled + " labelled pixels at z" + z);
            double share = (double) equal / expected.length;
            System.out.printf(Locale.ROOT, "z%d: %.4f of pixels equal gdalwarp's, %d differ at an edge%n", z, share, edge);
            assertTrue(share >= (z == 12 ? 0.97 : 0.98), "z" + z + ": only " + share + " equal gdalwarp's");
        }
    }

    private static boolean withinOnePixel(int[] image, int x, int y, int value) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < 256 && yy < 256 && image[yy * 256 + xx] == value) {
                    return true;
                }
            }
        }
        return false;
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
