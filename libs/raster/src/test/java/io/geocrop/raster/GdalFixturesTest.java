package io.geocrop.raster;

import io.geocrop.raster.cog.GdalCli;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture in shared/data/geotiff reads back with the size, type, CRS, geotransform, nodata, checksums
 * (every band, every overview) and point values that GDAL reports for it.
 */
class GdalFixturesTest {

    static List<Path> fixtures() {
        List<Path> f = ReaderTestSupport.fixtures();
        assertTrue(f.size() >= 5, "expected the GeoTIFF fixtures in " + ReaderTestSupport.sharedData());
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void metadataMatchesGdalinfo(Path file) throws Exception {
        JsonNode info = ReaderTestSupport.gdalinfo(file);
        try (GeoTiff tiff = ReaderTestSupport.open(file)) {
            RasterMetadata m = tiff.metadata();
            assertEquals(info.at("/size/0").asInt(), m.width());
            assertEquals(info.at("/size/1").asInt(), m.height());
            assertEquals(info.get("bands").size(), m.bands());
            assertEquals(info.at("/bands/0/type").asText(), GdalCli.gdalType(m.sampleType()));
            assertEquals(info.at("/stac/proj:epsg").asInt(), m.epsg(), "EPSG");
            assertTransform(info.get("geoTransform"), m.transform(), file + " geotransform");
            JsonNode nodata = info.at("/bands/0/noDataValue");
            if (nodata.isMissingNode()) {
                assertNull(m.nodata(), "nodata");
            } else {
                assertEquals(nodata.asDouble(), m.nodata(), 0.0, "nodata");
            }
            assertEquals(info.at("/bands/0/block/0").asInt(), tiff.overviews().get(0).tileWidth());
            assertEquals(info.at("/bands/0/block/1").asInt(), tiff.overviews().get(0).tileHeight());
            JsonNode ovs = info.at("/bands/0/overviews");
            int ovCount = ovs.isMissingNode() ? 0 : ovs.size();
            assertEquals(ovCount + 1, tiff.overviews().size(), "levels");
            for (int i = 0; i < ovCount; i++) {
                Overview o = tiff.overviews().get(i + 1);
                assertEquals(ovs.get(i).at("/size/0").asInt(), o.width(), "overview " + (i + 1) + " width");
                assertEquals(ovs.get(i).at("/size/1").asInt(), o.height(), "overview " + (i + 1) + " height");
                // GDAL opens an overview as a dataset with OVERVIEW_LEVEL (0-based) and reports its transform.
                JsonNode ovInfo = ReaderTestSupport.gdalinfo(file, "-oo", "OVERVIEW_LEVEL=" + i);
                assertTransform(ovInfo.get("geoTransform"), o.transform(), file + " overview " + (i + 1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void checksumsOfEveryBandAndOverviewMatchGdal(Path file) throws Exception {
        JsonNode info = ReaderTestSupport.gdalinfo(file);
        try (GeoTiff tiff = ReaderTestSupport.open(file)) {
            for (Overview level : tiff.overviews()) {
                Raster r = tiff.read(level.level(), new RasterWindow(0, 0, level.width(), level.height()));
                for (int b = 0; b < r.bandCount(); b++) {
                    JsonNode band = info.get("bands").get(b);
                    int expected = level.level() == 0 ? band.get("checksum").asInt()
                            : band.get("overviews").get(level.level() - 1).get("checksum").asInt();
                    assertEquals(expected, ReaderTestSupport.gdalChecksum(r, b),
                            file.getFileName() + " band " + (b + 1) + " level " + level.level());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void randomPixelsMatchGdallocationinfo(Path file) throws Exception {
        Random random = new Random(file.getFileName().toString().hashCode());
        try (GeoTiff tiff = ReaderTestSupport.open(file)) {
            for (Overview level : tiff.overviews().subList(0, Math.min(2, tiff.overviews().size()))) {
                List<int[]> points = new ArrayList<>();
                points.add(new int[] {0, 0});
                points.add(new int[] {level.width() - 1, level.height() - 1});
                while (points.size() < 20) {
                    points.add(new int[] {random.nextInt(level.width()), random.nextInt(level.height())});
                }
                for (int b = 0; b < tiff.metadata().bands(); b++) {
                    List<String> gdal = ReaderTestSupport.gdalValues(file, b + 1, level.level(), points);
                    assertEquals(points.size(), gdal.size());
                    for (int i = 0; i < points.size(); i++) {
                        int[] p = points.get(i);
                        // Read each point as its own 1x1 window: exercises window reads, not one full decode.
                        Raster px = tiff.read(level.level(), new RasterWindow(p[0], p[1], 1, 1), new int[] {b});
                        assertTrue(ReaderTestSupport.sameValue(gdal.get(i), px.get(0, 0, 0)),
                                file.getFileName() + " level " + level.level() + " band " + (b + 1) + " at " + p[0]
                                        + "," + p[1] + ": GDAL " + gdal.get(i) + ", ours " + px.get(0, 0, 0));
                    }
                }
            }
        }
    }

    static void assertTransform(JsonNode gdal, GeoTransform t, String what) {
        if (gdal == null) {
            assertNull(t, what);
            return;
        }
        double[] ours = {t.originX(), t.pixelWidth(), t.rowRotation(), t.originY(), t.colRotation(), t.pixelHeight()};
        for (int i = 0; i < 6; i++) {
            double g = gdal.get(i).asDouble();
            assertEquals(g, ours[i], Math.abs(g) * 1e-12 + 1e-12, what + " [" + i + "]");
        }
    }
}
