package io.geocrop.raster;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.raster.CogWriteOptions.BigTiff;
import io.geocrop.raster.CogWriteOptions.Compression;
import io.geocrop.raster.cog.GdalChecksum;
import io.geocrop.raster.cog.GdalCli;
import io.geocrop.raster.cog.TestRasters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file the writer produces, across sample types, tile sizes, compressions, nodata, band counts, CRSs and
 * sizes that are not multiples of the tile size, is read by GDAL with the size, type, CRS, geotransform, nodata,
 * descriptions, metadata, colour table, checksums, overview sizes and pixel values that were written, and passes
 * GDAL's COG validator without errors or warnings.
 */
class CogWriterGdalTest {
    @TempDir
    Path dir;

    /** One combination of writer inputs. */
    record Case(String name, SampleType type, int tileSize, Compression compression, Double nodata, int bands,
                int width, int height, int epsg, GeoTransform transform, boolean colorTable, boolean streaming,
                BigTiff bigTiff) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final GeoTransform UTM36S = GeoTransform.northUp(300000, 8100000, 10, 10);
    private static final GeoTransform UTM35S = GeoTransform.northUp(720010, 7950020, 20, 20);
    private static final GeoTransform UTM29N = GeoTransform.northUp(199980, 2800020, 60, 60);
    private static final GeoTransform WGS84 = GeoTransform.northUp(29.5, -17.25, 0.0001, 0.0001);
    private static final GeoTransform MERCATOR = GeoTransform.northUp(3339584.7, -1878516.4, 611.49622628141, 611.49622628141);
    private static final GeoTransform ROTATED = new GeoTransform(300000, 9.9619, 0.8716, 8100000, 0.8716, -9.9619);

    static Stream<Case> cases() {
        return Stream.of(
                new Case("uint8 palette 256 deflate nodata streaming", SampleType.UINT8, 256, Compression.DEFLATE, 0.0, 1, 700, 500, 32736, UTM36S, true, true, BigTiff.AUTO),
                new Case("uint8 3 bands 512 none", SampleType.UINT8, 512, Compression.NONE, null, 3, 1030, 600, 32735, UTM35S, false, false, BigTiff.AUTO),
                new Case("uint8 class+confidence palette 256 zstd streaming", SampleType.UINT8, 256, Compression.ZSTD, 0.0, 2, 900, 700, 32736, UTM36S, true, true, BigTiff.AUTO),
                new Case("uint8 512 deflate bigtiff", SampleType.UINT8, 512, Compression.DEFLATE, 255.0, 1, 1100, 530, 32629, UTM29N, false, false, BigTiff.YES),
                new Case("uint16 3 bands 256 deflate nodata streaming", SampleType.UINT16, 256, Compression.DEFLATE, 0.0, 3, 600, 777, 32629, UTM29N, false, true, BigTiff.AUTO),
                new Case("uint16 palette 512 none nodata", SampleType.UINT16, 512, Compression.NONE, 65535.0, 1, 513, 1025, 3857, MERCATOR, true, false, BigTiff.AUTO),
                new Case("int16 256 deflate nodata 4326", SampleType.INT16, 256, Compression.DEFLATE, -9999.0, 1, 300, 300, 4326, WGS84, false, true, BigTiff.AUTO),
                new Case("int16 3 bands 512 deflate", SampleType.INT16, 512, Compression.DEFLATE, null, 3, 1000, 900, 32736, UTM36S, false, false, BigTiff.AUTO),
                new Case("uint32 3 bands 256 none nodata", SampleType.UINT32, 256, Compression.NONE, 4294967295.0, 3, 555, 333, 32735, UTM35S, false, true, BigTiff.AUTO),
                new Case("uint32 512 deflate 3857", SampleType.UINT32, 512, Compression.DEFLATE, null, 1, 1100, 520, 3857, MERCATOR, false, false, BigTiff.AUTO),
                new Case("int32 256 deflate nodata 4326", SampleType.INT32, 256, Compression.DEFLATE, -2147483648.0, 1, 257, 257, 4326, WGS84, false, false, BigTiff.AUTO),
                new Case("int32 3 bands 512 none", SampleType.INT32, 512, Compression.NONE, null, 3, 800, 600, 32736, UTM36S, false, true, BigTiff.AUTO),
                new Case("float32 51 bands 512 deflate nan feature tile", SampleType.FLOAT32, 512, Compression.DEFLATE, Double.NaN, 51, 512, 512, 32736, UTM36S, false, false, BigTiff.AUTO),
                new Case("float32 51 bands 256 zstd streaming", SampleType.FLOAT32, 256, Compression.ZSTD, -9999.0, 51, 300, 280, 32735, UTM35S, false, true, BigTiff.AUTO),
                new Case("float32 256 none nodata", SampleType.FLOAT32, 256, Compression.NONE, -9999.0, 1, 1000, 700, 32629, UTM29N, false, true, BigTiff.AUTO),
                new Case("float32 3 bands 256 deflate rotated", SampleType.FLOAT32, 256, Compression.DEFLATE, null, 3, 600, 400, 32735, ROTATED, false, false, BigTiff.AUTO),
                new Case("float64 256 deflate nodata 3857", SampleType.FLOAT64, 256, Compression.DEFLATE, 1e20, 1, 400, 300, 3857, MERCATOR, false, true, BigTiff.AUTO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gdalReadsWhatWasWritten(Case c) throws Exception {
        long seed = c.name.hashCode();
        Raster data = c.colorTable
                ? TestRasters.classes(c.type, c.width, c.height, c.bands, seed, 11, c.nodata, 0.02)
                : TestRasters.continuous(c.type, c.width, c.height, c.bands, seed, c.nodata, 0.03,
                c.type.isFloat() ? 1e6 : Double.MAX_VALUE);
        List<String> descriptions = new ArrayList<>();
        List<Double> scales = new ArrayList<>(), offsets = new ArrayList<>();
        for (int b = 0; b < c.bands; b++) {
            descriptions.add(c.bands == 2 ? (b == 0 ? "class" : "confidence") : "feature_" + b + (b == 1 ? " <ndvi> & \"more\"" : ""));
            scales.add(b == 1 ? 0.0001 : 1.0);
            offsets.add(b == 1 ? -0.1 : 0.0);
        }
        Map<String, String> items = new LinkedHashMap<>();
        items.put("model_name", "gbt-v1");
        items.put("feature_order_hash", "sha256:0f1e2d");
        items.put("aoi", "{\"lon\":31.05,\"lat\":-17.83,\"radius_m\":2500} <&> é");
        ColorTable palette = c.colorTable ? palette() : null;
        RasterMetadata meta = new RasterMetadata(c.width, c.height, c.bands, c.type, c.transform, c.epsg, c.nodata,
                descriptions, scales, offsets, items, palette);
        CogWriteOptions options = CogWriteOptions.builder().tileSize(c.tileSize).compression(c.compression)
                .bigTiff(c.bigTiff).build();
        Path file = dir.resolve("out.tif");
        if (c.streaming) {
            writeTilesShuffled(file, meta, options, data, seed);
        } else {
            CogWriter.write(file, meta, data, options);
        }
        JsonNode info = GdalCli.info(file);
        assertEquals(c.width, info.at("/size/0").asInt(), "width");
        assertEquals(c.height, info.at("/size/1").asInt(), "height");
        assertEquals(c.epsg, info.at("/stac/proj:epsg").asInt(), "EPSG");
        double[] expectedGt = {c.transform.originX(), c.transform.pixelWidth(), c.transform.rowRotation(),
                c.transform.originY(), c.transform.colRotation(), c.transform.pixelHeight()};
        for (int i = 0; i < 6; i++) {
            assertEquals(expectedGt[i], info.at("/geoTransform/" + i).asDouble(), 1e-9 * Math.max(1, Math.abs(expectedGt[i])),
                    "geotransform[" + i + "]");
        }
        JsonNode md = info.at("/metadata/");
        items.forEach((k, v) -> assertEquals(v, md.path(k).asText(null), "metadata item " + k));
        assertEquals("Area", md.path("AREA_OR_POINT").asText());
        assertEquals("COG", info.at("/metadata/IMAGE_STRUCTURE/LAYOUT").asText(), "GDAL recognises the COG layout");
        assertEquals(c.bigTiff == BigTiff.YES, Files.readAllBytes(file)[2] == 43, "BigTIFF magic");

        CogWriteOptions effective = options;
        int[][] overviewSizes = effective.overviewSizes(c.width, c.height);
        JsonNode bands = info.get("bands");
        assertEquals(c.bands, bands.size(), "band count");
        for (int b = 0; b < c.bands; b++) {
            JsonNode band = bands.get(b);
            assertEquals(GdalCli.gdalType(c.type), band.get("type").asText(), "type of band " + (b + 1));
            assertEquals(c.tileSize, band.at("/block/0").asInt(), "tile width");
            assertEquals(descriptions.get(b), band.path("description").asText(""), "description of band " + (b + 1));
            assertEquals(scales.get(b), band.path("scale").asDouble(1.0), 1e-15, "scale of band " + (b + 1));
            assertEquals(offsets.get(b), band.path("offset").asDouble(0.0), 1e-15, "offset of band " + (b + 1));
            if (c.nodata == null) {
                assertTrue(band.path("noDataValue").isMissingNode(), "no nodata on band " + (b + 1));
            } else if (c.nodata.isNaN()) {
                assertEquals("NaN", band.path("noDataValue").asText());
            } else {
                assertEquals(c.nodata, band.path("noDataValue").asDouble(), 0, "nodata of band " + (b + 1));
            }
            assertEquals(GdalChecksum.of(data, b), band.get("checksum").asInt(), "checksum of band " + (b + 1));
            JsonNode ovr = band.path("overviews");
            assertEquals(overviewSizes.length, ovr.size(), "overview count of band " + (b + 1));
            for (int k = 0; k < overviewSizes.length; k++) {
                assertEquals(overviewSizes[k][0], ovr.at("/" + k + "/size/0").asInt(), "overview " + k + " width");
                assertEquals(overviewSizes[k][1], ovr.at("/" + k + "/size/1").asInt(), "overview " + k + " height");
            }
        }
        if (c.colorTable) {
            JsonNode ct = bands.get(0).get("colorTable");
            assertEquals("Palette", bands.get(0).get("colorInterpretation").asText());
            assertEquals(c.type == SampleType.UINT8 ? 256 : 65536, ct.get("count").asInt());
            for (int i = 0; i < palette.size(); i++) {
                int argb = palette.argb(i);
                JsonNode e = ct.at("/entries/" + i);
                assertEquals((argb >> 16) & 0xFF, e.get(0).asInt(), "red of entry " + i);
                assertEquals((argb >> 8) & 0xFF, e.get(1).asInt(), "green of entry " + i);
                assertEquals(argb & 0xFF, e.get(2).asInt(), "blue of entry " + i);
            }
        } else {
            assertTrue(bands.get(0).path("colorTable").isMissingNode());
        }
        assertPixelsMatch(file, data, seed);
        assertEquals(List.of(), GdalCli.validateCog(file), "COG validator");
    }

    @Test
    void validatorScriptExitsZeroWithoutWarnings() throws Exception {
        Raster data = TestRasters.continuous(SampleType.UINT16, 1300, 700, 1, 5, 0.0, 0.01, Double.MAX_VALUE);
        Path file = dir.resolve("scripted.tif");
        CogWriter.write(file, RasterMetadata.of(1300, 700, 1, SampleType.UINT16, UTM36S, 32736), data,
                CogWriteOptions.defaults());
        GdalCli.Output r = GdalCli.validatorScript(file);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("is a valid cloud optimized GeoTIFF"), r.stdout());
        assertTrue(!r.stdout().contains("warning") && !r.stdout().contains("error"), r.stdout());
    }

    @Test
    void everyUtmZoneNorthAndSouthIsRecognisedByGdal() throws Exception {
        Raster data = TestRasters.continuous(SampleType.UINT8, 20, 20, 1, 1, null, 0, Double.MAX_VALUE);
        for (int epsg : new int[] {32601, 32629, 32635, 32636, 32660, 32701, 32735, 32736, 32760}) {
            Path file = dir.resolve(epsg + ".tif");
            CogWriter.write(file, RasterMetadata.of(20, 20, 1, SampleType.UINT8, UTM36S, epsg), data,
                    CogWriteOptions.defaults());
            JsonNode info = GdalCli.info(file);
            assertEquals(epsg, info.at("/stac/proj:epsg").asInt(), "EPSG of " + file.getFileName());
            String wkt = info.at("/coordinateSystem/wkt").asText();
            assertTrue(wkt.contains("UTM zone " + (epsg % 100) + (epsg < 32700 ? "N" : "S")), wkt);
        }
    }

    /** Writes every tile in a shuffled order, edge tiles sometimes exactly clipped and sometimes full size. */
    static void writeTilesShuffled(Path file, RasterMetadata meta, CogWriteOptions options, Raster data, long seed)
            throws IOException {
        int t = options.tileSize();
        try (CogWriter w = CogWriter.create(file, meta, options)) {
            List<int[]> tiles = new ArrayList<>();
            for (int row = 0; row < w.tilesDown(); row++) {
                for (int col = 0; col < w.tilesAcross(); col++) tiles.add(new int[] {col, row});
            }
            Collections.shuffle(tiles, new java.util.Random(seed));
            int i = 0;
            for (int[] tile : tiles) {
                Raster part = TestRasters.crop(data, tile[0] * t, tile[1] * t, t, t);
                if (i++ % 2 == 0 && (part.width() < t || part.height() < t)) {
                    Raster full = Raster.allocate(t, t, part.bandCount(), part.sampleType());
                    io.geocrop.raster.cog.Samples.copy(part, 0, 0, full, 0, 0, part.width(), part.height());
                    part = full;
                }
                w.writeTile(tile[0], tile[1], part);
            }
            w.finish();
        }
    }

    /** gdallocationinfo at the corners and at random pixels returns exactly the written values. */
    static void assertPixelsMatch(Path file, Raster data, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        int w = data.width(), h = data.height();
        List<int[]> points = new ArrayList<>(List.of(new int[] {0, 0}, new int[] {w - 1, 0}, new int[] {0, h - 1},
                new int[] {w - 1, h - 1}));
        while (points.size() < 30) points.add(new int[] {rnd.nextInt(w), rnd.nextInt(h)});
        int[][] pts = points.toArray(new int[0][]);
        double[][] got = GdalCli.locationValues(file, data.bandCount(), pts);
        for (int i = 0; i < pts.length; i++) {
            for (int b = 0; b < data.bandCount(); b++) {
                double expected = data.get(b, pts[i][0], pts[i][1]);
                String where = "band " + (b + 1) + " at (" + pts[i][0] + ", " + pts[i][1] + ")";
                // gdallocationinfo prints 15 significant digits: enough to identify a float, not a double.
                switch (data.sampleType()) {
                    case FLOAT32 -> assertEquals((float) expected, (float) got[i][b], 0, where);
                    case FLOAT64 -> assertEquals(expected, got[i][b], Math.abs(expected) * 1e-14, where);
                    default -> assertEquals(expected, got[i][b], 0, where);
                }
            }
        }
    }


    /** GeoCrop-like class colours (entry 0 transparent for nodata). */
    static ColorTable palette() {
        return new ColorTable(new int[] {0x00000000, 0xFFF5C242, 0xFF8C510A, 0xFF35978F, 0xFFBF812D, 0xFFF6E8C3,
                0xFFC51B7D, 0xFF7FBC41, 0xFFA6D96A, 0xFF1A9850, 0xFF2166AC, 0xFFBABABA});
    }

    /** Reads little-endian samples as doubles (for comparing GDAL's raw dumps). */
    static double[] samples(ByteBuffer b, SampleType type) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining() / type.bytes();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case UINT8 -> b.get() & 0xFF;
                case INT8 -> b.get();
                case UINT16 -> b.getShort() & 0xFFFF;
                case INT16 -> b.getShort();
                case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                case INT32 -> b.getInt();
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> b.getDouble();
            };
        }
        return v;
    }
}
