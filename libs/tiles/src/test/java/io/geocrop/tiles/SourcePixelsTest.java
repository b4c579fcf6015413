package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.proj.CrsTransforms;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which source pixel each tile pixel takes, against gdalwarp itself: the source holds each pixel's own number
 * ({@code row * width + col + 1}, uint32), so gdalwarp's nearest output names the pixel it took for every tile
 * pixel (0: none). Rasters in UTM 36S and EPSG:4326, tiles from z10 (gdalwarp's approximate transformer
 * subdivides rows) to z16 (one source pixel spans several tile pixels), inside the raster and across its edges.
 */
class SourcePixelsTest {
    @TempDir Path dir;

    private Path numbered(String name, String srs, String geoTransform, int w, int h) throws Exception {
        Path out = dir.resolve(name);
        GdalWarp.run(List.of("/usr/bin/python3", "-c", String.join("\n",
                "from osgeo import gdal, osr",
                "import numpy as np",
                "w, h = " + w + ", " + h,
                "ds = gdal.GetDriverByName('GTiff').Create('" + out + "', w, h, 1, gdal.GDT_UInt32)",
                "ds.SetGeoTransform([" + geoTransform + "])",
                "s = osr.SpatialReference(); s.SetFromUserInput('" + srs + "'); ds.SetProjection(s.ExportToWkt())",
                "ds.GetRasterBand(1).WriteArray((np.arange(w * h, dtype=np.uint32) + 1).reshape(h, w))",
                "ds = None")));
        return out;
    }

    @Test
    void utmPixelsAreGdalwarpsPixels() throws Exception {
        Path src = numbered("utm.tif", "EPSG:32736", "290003, 10, 0, 8030007, 0, -10", 1300, 1100);
        double[] centre = io.geocrop.domain.UtmZone.ofEpsg(32736).inverse(290_003 + 6500, 8_030_007 - 5500);
        compare(src, 32736, new io.geocrop.raster.GeoTransform(290003, 10, 0, 8030007, 0, -10), 1300, 1100, centre);
    }

    @Test
    void lonLatPixelsAreGdalwarpsPixels() throws Exception {
        Path src = numbered("ll.tif", "EPSG:4326", "31.0, 0.0001, 0, -17.8, 0, -0.0001", 1200, 1000);
        compare(src, 4326, new io.geocrop.raster.GeoTransform(31.0, 0.0001, 0, -17.8, 0, -0.0001), 1200, 1000,
                new double[] {31.06, -17.85});
    }

    private void compare(Path src, int epsg, io.geocrop.raster.GeoTransform gt, int w, int h, double[] lonLat)
            throws Exception {
        CrsTransforms.Transform toSource = CrsTransforms.between(CrsTransforms.WEB_MERCATOR, epsg);
        for (int z : new int[] {10, 12, 14, 16}) {
            double mx = TileMath.mercatorX(lonLat[0]);
            double my = TileMath.mercatorY(lonLat[1]);
            double span = TileMath.tileSpan(z);
            // The tile under the centre and one two tiles away (across the raster's edge at high zooms).
            for (double[] off : new double[][] {{0, 0}, {2 * span, -2 * span}, {-2.5 * span, 0}}) {
                TileCoord tile = TileMath.tilesCovering(new Bounds(mx + off[0], my + off[1], mx + off[0] + 1e-3,
                        my + off[1] + 1e-3), z).getFirst();
                SourcePixels ours = SourcePixels.of(TileMath.mercatorBounds(tile), 256, toSource, gt, w, h);
                Raster gdal = GdalWarp.tile(src, tile, 256, dir);
                int taken = 0;
                for (int i = 0; i < 256 * 256; i++) {
                    long expected = (long) gdal.get(0, i % 256, i / 256);
                    long actual = ours.cols[i] < 0 ? 0 : (long) ours.rows[i] * w + ours.cols[i] + 1;
                    taken += expected > 0 ? 1 : 0;
                    if (expected != actual) {
                        throw new AssertionError(String.format(Locale.ROOT,
                                "z%d tile %s pixel (%d, %d): gdalwarp took %s, we took %s", z, tile, i % 256, i / 256,
                                name(expected, w), name(actual, w)));
                    }
                }
                System.out.printf(Locale.ROOT, "EPSG:%d z%d %s: all 65536 pixels as gdalwarp, %d on the raster%n",
                        epsg, z, tile, taken);
                assertTrue(off[0] != 0 || taken > 0, "the centre tile shows the raster at z" + z);
            }
        }
    }

    private static String name(long v, int w) {
        return v == 0 ? "none" : "(" + (v - 1) % w + ", " + (v - 1) / w + ")";
    }
}
