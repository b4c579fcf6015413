package io.geocrop.raster.proj;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warp against gdalwarp on the fixtures and on a generated float file with nodata. Source pixels are read through
 * GDAL itself ({@link GdalTool}), so these tests depend only on the warp code.
 */
class WarpTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        String property = System.getProperty("geocrop.shared.data");
        Path base = property != null && !property.isBlank() ? Path.of(property) : Path.of("../../../shared/data");
        return base.resolve("geotiff").resolve(name);
    }

    /** gdalwarp of {@code source} onto exactly the grid we warp to, read back through GDAL. */
    private Raster gdalwarp(Path source, Raster like, Warp.TargetGrid grid, int targetEpsg, String resampling,
                            boolean exact) throws IOException {
        GeoTransform t = grid.transform();
        double minX = t.originX();
        double maxY = t.originY();
        double maxX = minX + grid.width() * t.pixelWidth();
        double minY = maxY + grid.height() * t.pixelHeight();
        Path out = dir.resolve("gdal-" + resampling + (exact ? "-exact" : "") + "-" + System.nanoTime() + ".raw");
        List<String> command = new ArrayList<>(List.of("gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:" + targetEpsg,
                "-te", num(minX), num(minY), num(maxX), num(maxY),
                "-ts", Integer.toString(grid.width()), Integer.toString(grid.height()),
                "-r", resampling, "-of", "ENVI"));
        if (exact) {
            command.addAll(List.of("-et", "0"));
        }
        command.addAll(List.of(source.toString(), out.toString()));
        GdalTool.run(null, command.toArray(String[]::new));
        return GdalTool.readEnvi(out, grid.width(), grid.height(), like.bandCount(), like.sampleType());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.10f", v);
    }

    /**
     * Share of pixels (all bands) where |ours - gdal| <= tolerance, counted only where at least one of the two holds
     * data (not {@code fill}), so empty margins cannot inflate it.
     */
    private static double agreement(Raster ours, Raster gdal, double tolerance, double fill) {
        assertEquals(gdal.width(), ours.width());
        assertEquals(gdal.height(), ours.height());
        long same = 0;
        long total = 0;
        for (int b = 0; b < ours.bandCount(); b++) {
            for (int y = 0; y < ours.height(); y++) {
                for (int x = 0; x < ours.width(); x++) {
                    double a = ours.get(b, x, y);
                    double g = gdal.get(b, x, y);
                    if (a == fill && g == fill) {
                        continue;
                    }
                    if (Math.abs(a - g) <= tolerance || Double.isNaN(a) && Double.isNaN(g)) {
                        same++;
                    }
                    total++;
                }
            }
        }
        return same / (double) total;
    }

    /** Share of pixels that hold data (not the fill value) in a band. */
    private static double dataShare(Raster r, double fill) {
        long data = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                if (r.get(0, x, y) != fill) {
                    data++;
                }
            }
        }
        return data / (double) (r.width() * r.height());
    }

    private void compareWithGdal(Path sourceFile, int targetEpsg, double resolution, double fill) throws IOException {
        GdalTool.GdalRaster src = GdalTool.read(sourceFile, dir);
        Warp.TargetGrid grid = Warp.targetGrid(src.transform(), src.raster().width(), src.raster().height(),
                src.epsg(), targetEpsg, resolution, false);
        for (Resampling resampling : List.of(Resampling.NEAREST, Resampling.BILINEAR)) {
            String gdalName = resampling == Resampling.NEAREST ? "near" : "bilinear";
            double tolerance = resampling == Resampling.NEAREST ? 0 : 1;
            double required = resampling == Resampling.NEAREST ? 0.995 : 0.99;
            // Exact mapping (gdalwarp -et 0) is checked for nearest only: it is the strictest comparison, and the
            // slow one.
            for (boolean exact : resampling == Resampling.NEAREST ? List.of(false, true) : List.of(false)) {
                long started = System.nanoTime();
                Raster ours = Warp.warp(src.raster(), src.transform(), src.epsg(), src.nodata(), grid.transform(),
                        targetEpsg, grid.width(), grid.height(), resampling, null,
                        exact ? 0 : Warp.DEFAULT_MAX_ERROR_PIXELS);
                Raster gdal = gdalwarp(sourceFile, src.raster(), grid, targetEpsg, gdalName, exact);
                double share = agreement(ours, gdal, tolerance, fill);
                String what = sourceFile.getFileName() + " -> EPSG:" + targetEpsg + " " + resampling
                        + (exact ? " exact" : " approximate") + ", " + grid.width() + "x" + grid.height();
                assertTrue(share >= required, what + ": only " + share + " of pixels agree with gdalwarp");
                assertTrue(dataShare(ours, fill) > 0.1, what + ": the warped raster is (nearly) empty");
                System.out.printf(Locale.ROOT, "%s: %.5f agree with gdalwarp (%d ms)%n", what, share,
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    @Test
    void webMercatorFixtureToUtmMatchesGdalwarp() throws IOException {
        assertTrue(GdalTool.available(), "GDAL command-line tools are needed (.ci/run installs gdal-bin)");
        // 611 m Web Mercator pixels are about 425 m on the ground at 46 N: 400 m keeps GDAL on its 4-sample kernel.
        compareWithGdal(fixture("rio-tiler_web.tif"), 32618, 400, 0);
    }

    @Test
    void utmFixtureToWebMercatorMatchesGdalwarp() throws IOException {
        assertTrue(GdalTool.available(), "GDAL command-line tools are needed (.ci/run installs gdal-bin)");
        Path cut = dir.resolve("cog-cut.tif");
        GdalTool.run(null, "gdal_translate", "-q", "-srcwin", "1100", "1000", "500", "450",
                fixture("rio-tiler_cog.tif").toString(), cut.toString());
        // 100 m at 74 N is about 360 m of Web Mercator: 300 m is finer than the source.
        compareWithGdal(cut, 3857, 300, 0);
    }

    @Test
    void generatedFloatRasterWithNodataAcrossUtmZonesAndToWgs84MatchesGdalwarp() throws IOException {
        assertTrue(GdalTool.available(), "GDAL command-line tools are needed (.ci/run installs gdal-bin)");
        Path source = generatedFloatSource();
        compareWithGdal(source, 32736, 25, -9999);
        compareWithGdal(source, 4326, 0.0002, -9999);
    }

    /** 220x180 Float32 in EPSG:32735 near 30 E (the Zimbabwe zone boundary), 30 m, nodata -9999 with holes. */
    private Path generatedFloatSource() throws IOException {
        int width = 220;
        int height = 180;
        double res = 30;
        double originX = 790_000;
        double originY = 8_010_000;
        Random random = new Random(17);
        StringBuilder asc = new StringBuilder();
        asc.append("ncols ").append(width).append('\n').append("nrows ").append(height).append('\n')
                .append("xllcorner ").append(originX).append('\n')
                .append("yllcorner ").append(originY - height * res).append('\n')
                .append("cellsize ").append(res).append('\n').append("NODATA_value -9999\n");
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean hole = x > 60 && x < 90 && y > 40 && y < 100 || random.nextDouble() < 0.02;
                double v = hole ? -9999 : 500 + 300 * Math.sin(x / 17.0) * Math.cos(y / 23.0) + random.nextDouble() * 5;
                asc.append(hole ? "-9999" : String.format(Locale.ROOT, "%.3f", v)).append(x + 1 < width ? " " : "\n");
            }
        }
        Path ascFile = Files.writeString(dir.resolve("generated.asc"), asc);
        Path tif = dir.resolve("generated.tif");
        GdalTool.run(null, "gdal_translate", "-q", "-a_srs", "EPSG:32735", "-ot", "Float32",
                ascFile.toString(), tif.toString());
        return tif;
    }

    @Test
    void defaultTargetGridIsCloseToGdalwarps() throws IOException {
        assertTrue(GdalTool.available(), "GDAL command-line tools are needed (.ci/run installs gdal-bin)");
        for (Object[] c : new Object[][] {{"rio-tiler_web.tif", 32618}, {"rio-tiler_cog.tif", 3857},
                {"S2A_29RKH_20200219_0_L2A_B01.tif", 4326}}) {
            Path file = fixture((String) c[0]);
            int targetEpsg = (Integer) c[1];
            JsonNode src = GdalTool.info(file);
            JsonNode gt = src.path("geoTransform");
            GeoTransform transform = new GeoTransform(gt.get(0).asDouble(), gt.get(1).asDouble(), gt.get(2).asDouble(),
                    gt.get(3).asDouble(), gt.get(4).asDouble(), gt.get(5).asDouble());
            Warp.TargetGrid ours = Warp.targetGrid(transform, src.path("size").get(0).asInt(),
                    src.path("size").get(1).asInt(), GdalTool.epsgOf(src), targetEpsg);
            Path out = dir.resolve("default-" + c[0]);
            GdalTool.run(null, "gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:" + targetEpsg, "-of", "VRT",
                    file.toString(), out.toString());
            JsonNode gdal = GdalTool.info(out);
            JsonNode g = gdal.path("geoTransform");
            double res = g.get(1).asDouble();
            String what = c[0] + " -> EPSG:" + targetEpsg + ": ours " + ours + ", GDAL " + g + " " + gdal.path("size");
            assertEquals(res, ours.transform().pixelWidth(), res * 1e-3, what);
            assertEquals(g.get(0).asDouble(), ours.transform().originX(), res, what);
            assertEquals(g.get(3).asDouble(), ours.transform().originY(), res, what);
            assertEquals(gdal.path("size").get(0).asInt(), ours.width(), 1, what);
            assertEquals(gdal.path("size").get(1).asInt(), ours.height(), 1, what);
        }
    }

    // ---- behaviour that needs no GDAL ------------------------------------------------------------------------

    @Test
    void sameGridIsAnExactCopyAndAWholePixelShiftMovesPixels() {
        Raster src = Raster.allocate(40, 30, 2, SampleType.INT16);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 40 * 30; i++) {
                src.shorts(b)[i] = (short) (i * (b + 1) - 500);
            }
        }
        GeoTransform t = GeoTransform.northUp(500_000, 8_000_000, 10, 10);
        for (Resampling r : List.of(Resampling.NEAREST, Resampling.BILINEAR)) {
            Raster same = Warp.warp(src, t, 32736, null, t, 32736, 40, 30, r, null);
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 40 * 30; i++) {
                    assertEquals(src.shorts(b)[i], same.shorts(b)[i], r + " band " + b + " pixel " + i);
                }
            }
        }
        // Target starts 3 columns right and 2 rows down: target (x, y) = source (x + 3, y + 2); beyond -> fill.
        GeoTransform shifted = GeoTransform.northUp(500_030, 7_999_980, 10, 10);
        Raster moved = Warp.warp(src, t, 32736, null, shifted, 32736, 40, 30, Resampling.NEAREST, -1.0);
        assertEquals(src.get(0, 3, 2), moved.get(0, 0, 0));
        assertEquals(src.get(1, 39, 29), moved.get(1, 36, 27));
        assertEquals(-1, moved.get(0, 37, 0));
        assertEquals(-1, moved.get(0, 0, 28));
    }

    @Test
    void bilinearWeighsNeighboursAndLeavesNodataOut() {
        // 2x2 source: nodata(0) 20 / 31 10, one unit pixels, top-left corner at (0, 2).
        Raster src = Raster.wrap(2, 2, SampleType.UINT8, (Object) new byte[] {0, 20, 31, 10});
        GeoTransform t = GeoTransform.northUp(0, 2, 1, 1);
        GeoTransform centre = GeoTransform.northUp(0.5, 1.5, 1, 1); // target centre = (1, 1), the four-pixel corner
        Raster out = Warp.warp(src, t, 3857, 0.0, centre, 3857, 1, 1, Resampling.BILINEAR, null);
        assertEquals(20, out.get(0, 0, 0), "(20 + 31 + 10) / 3 with the nodata pixel left out");
        Raster withoutNodata = Warp.warp(src, t, 3857, null, centre, 3857, 1, 1, Resampling.BILINEAR, null);
        assertEquals(15, withoutNodata.get(0, 0, 0), "(0 + 20 + 31 + 10) / 4");
        // A quarter pixel right of the bottom-left centre, on the bottom edge: 0.75 * 31 + 0.25 * 10 = 25.75.
        GeoTransform quarter = GeoTransform.northUp(0.25, 1.0, 1, 1); // target centre = (0.75, 0.5)
        Raster q = Warp.warp(src, t, 3857, 0.0, quarter, 3857, 1, 1, Resampling.BILINEAR, null);
        assertEquals(26, q.get(0, 0, 0), "rounded to the nearest integer");
        // A point on the nodata pixel itself gives nodata (as in GDAL), whatever its neighbours.
        GeoTransform onNodata = GeoTransform.northUp(0.2, 1.8, 0.2, 0.2); // target centre = (0.3, 1.7)
        Raster n = Warp.warp(src, t, 3857, 0.0, onNodata, 3857, 1, 1, Resampling.BILINEAR, 255.0);
        assertEquals(255, n.get(0, 0, 0));
        Raster nearest = Warp.warp(src, t, 3857, 0.0, quarter, 3857, 1, 1, Resampling.NEAREST, null);
        assertEquals(31, nearest.get(0, 0, 0));
    }

    @Test
    void floatNanStaysNanAndIsNeverAveraged() {
        Raster src = Raster.wrap(2, 2, SampleType.FLOAT32, (Object) new float[] {Float.NaN, 2, 4, 6});
        GeoTransform t = GeoTransform.northUp(0, 2, 1, 1);
        GeoTransform onNan = GeoTransform.northUp(0.2, 1.8, 0.2, 0.2);
        assertTrue(Double.isNaN(Warp.warp(src, t, 4326, null, onNan, 4326, 1, 1, Resampling.NEAREST, null).get(0, 0, 0)));
        assertTrue(Double.isNaN(Warp.warp(src, t, 4326, null, onNan, 4326, 1, 1, Resampling.BILINEAR, null).get(0, 0, 0)));
        GeoTransform corner = GeoTransform.northUp(0.5, 1.5, 1, 1);
        assertEquals(4, Warp.warp(src, t, 4326, null, corner, 4326, 1, 1, Resampling.BILINEAR, null).get(0, 0, 0), 1e-6);
        // With NaN as the nodata value, NaN pixels get the target nodata.
        assertEquals(-1, Warp.warp(src, t, 4326, Double.NaN, onNan, 4326, 1, 1, Resampling.NEAREST, -1.0).get(0, 0, 0));
    }

    @Test
    void approximateMappingAgreesWithExactMapping() {
        Raster src = Raster.allocate(300, 300, 1, SampleType.FLOAT32);
        for (int i = 0; i < 300 * 300; i++) {
            src.floats(0)[i] = (float) Math.sin(i % 300 / 9.0) * 100 + (i / 300);
        }
        GeoTransform t = GeoTransform.northUp(150_000, 8_100_000, 100, 100); // far from CM: curved in zone 36
        Warp.TargetGrid grid = Warp.targetGrid(t, 300, 300, 32735, 4326, 0.0008, false);
        Raster approx = Warp.warp(src, t, 32735, null, grid.transform(), 4326, grid.width(), grid.height(),
                Resampling.BILINEAR, -1.0);
        Raster exact = Warp.warp(src, t, 32735, null, grid.transform(), 4326, grid.width(), grid.height(),
                Resampling.BILINEAR, -1.0, 0);
        double maxDiff = 0;
        int valid = 0;
        for (int i = 0; i < grid.width() * grid.height(); i++) {
            float a = approx.floats(0)[i];
            float e = exact.floats(0)[i];
            if (a != -1 && e != -1) {
                maxDiff = Math.max(maxDiff, Math.abs(a - e));
                valid++;
            }
        }
        assertTrue(valid > grid.width() * grid.height() / 2, "valid " + valid);
        // Values change by at most ~12 per source pixel here; 1/8 pixel of mapping error is at most ~1.5.
        assertTrue(maxDiff < 1.6, "approximate and exact mapping differ by " + maxDiff);
    }

    @Test
    void rejectsWhatItCannotDo() {
        Raster src = Raster.allocate(4, 4, 1, SampleType.UINT8);
        GeoTransform t = GeoTransform.northUp(0, 4, 1, 1);
        assertThrows(IllegalArgumentException.class,
                () -> Warp.warp(src, t, 3857, null, t, 3857, 4, 4, Resampling.AVERAGE, null));
        assertThrows(IllegalArgumentException.class,
                () -> Warp.warp(src, t, 3857, null, t, 2056, 4, 4, Resampling.NEAREST, null));
        assertThrows(IllegalArgumentException.class,
                () -> Warp.warp(src, t, 3857, null, t, 3857, 0, 4, Resampling.NEAREST, null));
        assertThrows(IllegalArgumentException.class,
                () -> Warp.warp(src, t, 3857, null, t, 3857, 4, 4, Resampling.NEAREST, -9999.0));
        assertThrows(IllegalArgumentException.class,
                () -> Warp.warp(src, new GeoTransform(0, 0, 0, 0, 0, 0), 3857, null, t, 3857, 4, 4, Resampling.NEAREST, null));
    }
}
