package io.geocrop.raster.proj;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrsTransformsTest {

    /** Random points in a box, rounded the way they are printed for gdaltransform so both get the same input. */
    private static List<double[]> points(long seed, int count, double minX, double maxX, double minY, double maxY) {
        Random random = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double x = minX + random.nextDouble() * (maxX - minX);
            double y = minY + random.nextDouble() * (maxY - minY);
            out.add(new double[] {Double.parseDouble(String.format(Locale.ROOT, "%.12f", x)),
                    Double.parseDouble(String.format(Locale.ROOT, "%.12f", y))});
        }
        return out;
    }

    @ParameterizedTest(name = "EPSG:{0} -> EPSG:{1}")
    @CsvSource({
        // from, to, box (minX, maxX, minY, maxY) in source units
        "4326, 32735, 23.5, 30.5, -23, -15",          // Zimbabwe west, +-3.5 deg around CM 27
        "4326, 32736, 29.5, 36.5, -23, -15",          // Zimbabwe east, CM 33
        "4326, 32629, -14.5, -7.5, 20, 30",           // the S2 fixture's zone, north
        "4326, 32601, -180, -174, -60, 60",           // zone 1 at the antimeridian
        "4326, 32660, 174, 179.99, -60, 60",          // zone 60
        "4326, 32718, -78, -72, -55, -1",             // south, Andes
        "32735, 4326, 200000, 800000, 7400000, 8400000",
        "32636, 4326, 250000, 750000, 7500000, 8300000",
        "32621, 4326, 370000, 640000, 8010000, 8290000", // rio-tiler_cog's grid, 74 N
        "32736, 32735, 160000, 420000, 7500000, 8300000", // across the zone boundary at 30 E
        "4326, 3857, -179.9, 179.9, -85, 85",
        "3857, 4326, -20037000, 20037000, -20037000, 20037000",
        "3857, 32618, -8766409, -8140237, 5479006, 6105178", // rio-tiler_web's extent into its UTM zone
        "32621, 3857, 370000, 640000, 8010000, 8290000",
        "32629, 32630, 200000, 310000, 2690000, 2800000"
    })
    void agreesWithGdaltransform(int from, int to, double minX, double maxX, double minY, double maxY)
            throws IOException {
        assertTrue(GdalTool.available(), "GDAL command-line tools are needed (.ci/run installs gdal-bin)");
        List<double[]> pts = points(from * 31L + to, 60, minX, maxX, minY, maxY);
        List<double[]> gdal = GdalTool.transform(from, to, pts);
        CrsTransforms.Transform transform = CrsTransforms.between(from, to);
        double tolerance = CrsTransforms.isGeographic(to) ? 1e-9 : 1e-3;
        double worst = 0;
        for (int i = 0; i < pts.size(); i++) {
            double[] ours = transform.apply(pts.get(i)[0], pts.get(i)[1]);
            double dx = Math.abs(ours[0] - gdal.get(i)[0]);
            double dy = Math.abs(ours[1] - gdal.get(i)[1]);
            worst = Math.max(worst, Math.max(dx, dy));
            assertTrue(dx <= tolerance && dy <= tolerance, String.format(Locale.ROOT,
                    "EPSG:%d -> EPSG:%d of (%.9f, %.9f): ours (%.9f, %.9f), GDAL (%.9f, %.9f)", from, to,
                    pts.get(i)[0], pts.get(i)[1], ours[0], ours[1], gdal.get(i)[0], gdal.get(i)[1]));
        }
        assertTrue(worst <= tolerance, "worst difference " + worst);
    }

    @Test
    void bulkApplyEqualsPointByPointAndRoundTrips() {
        CrsTransforms.Transform forward = CrsTransforms.between(4326, 32736);
        CrsTransforms.Transform back = forward.inverse();
        List<double[]> pts = points(5, 100, 30, 36, -22, -15);
        double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
        forward.apply(xs, ys);
        for (int i = 0; i < pts.size(); i++) {
            double[] single = forward.apply(pts.get(i)[0], pts.get(i)[1]);
            assertEquals(single[0], xs[i], 0.0);
            assertEquals(single[1], ys[i], 0.0);
        }
        back.apply(xs, ys);
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(pts.get(i)[0], xs[i], 1e-10);
            assertEquals(pts.get(i)[1], ys[i], 1e-10);
        }
        assertEquals(32736, forward.targetEpsg());
        assertEquals(4326, back.targetEpsg());
    }

    @Test
    void webMercatorClampsLatitudeAndInvalidPointsBecomeNaN() {
        CrsTransforms.Transform toMercator = CrsTransforms.between(4326, 3857);
        double[] edge = toMercator.apply(10, CrsTransforms.WEB_MERCATOR_MAX_LATITUDE);
        double[] pole = toMercator.apply(10, 89.9);
        assertEquals(edge[1], pole[1], 1e-6);
        assertEquals(20037508.342789244, toMercator.apply(180, 0)[0], 1e-6);
        assertEquals(20037508.342789244, edge[1], 1e-3);
        assertTrue(Double.isNaN(toMercator.apply(10, 91)[0]));
        assertTrue(Double.isNaN(CrsTransforms.between(4326, 32735).apply(150, 10)[0]), "half a world from the CM");
        double[] identity = CrsTransforms.between(32735, 32735).apply(1.5, 2.5);
        assertEquals(1.5, identity[0]);
        assertEquals(2.5, identity[1]);
        assertEquals(-170, CrsTransforms.wrapLongitude(190), 1e-12);
        assertEquals(170, CrsTransforms.wrapLongitude(-190), 1e-12);
    }

    @Test
    void unsupportedCodesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrsTransforms.between(4326, 2056));
        assertTrue(e.getMessage().contains("EPSG:2056"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrsTransforms.between(32600, 4326));
        assertThrows(IllegalArgumentException.class, () -> CrsTransforms.between(4326, 32761));
        assertTrue(CrsTransforms.isSupported(32735) && CrsTransforms.isSupported(3857) && !CrsTransforms.isSupported(4269));
        assertThrows(IllegalArgumentException.class,
                () -> CrsTransforms.between(4326, 3857).apply(new double[2], new double[3]));
    }
}
