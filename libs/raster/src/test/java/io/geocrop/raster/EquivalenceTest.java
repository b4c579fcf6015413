package io.geocrop.raster;

import io.geocrop.raster.cog.GdalCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.raster.tiff.TiffLayout;
import io.geocrop.raster.tiff.TiffTags;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same synthetic data (known in Java, handed to GDAL as a raw file behind a VRT) written by gdal_translate
 * in every layout GeoCrop may meet - tiled or striped, chunky or planar, NONE/LZW/DEFLATE/ZSTD, predictors 1/2/3,
 * BigTIFF, big-endian, all sample types - reads back with exactly the source values, identically to the
 * uncompressed tiled copy, and with the checksums gdalinfo reports. Overviews, PixelIsPoint, palettes, nodata,
 * GDAL metadata, CRSs and sparse files are checked against gdalinfo too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EquivalenceTest {
    private static final int W = 300;
    private static final int H = 217;
    private static final int BANDS = 3;
    private static final String GT = "500000, 10, 0, 8000000, 0, -10";

    @TempDir
    static Path dir;

    private final Map<SampleType, Object[]> sources = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final Map<String, SampleType> types = new LinkedHashMap<>();
    private final Map<String, List<Integer>> checksums = new LinkedHashMap<>();

    record Variant(String name, List<String> options) {}

    /**
     * The layouts each type is written in: six for every type, byte-order and BigTIFF variants for one type of
     * each sample width, and the floating-point predictor for the float types.
     */
    static List<Variant> variants(SampleType t) {
        List<Variant> v = new ArrayList<>(List.of(
                new Variant("tiled-none", List.of("TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=32", "COMPRESS=NONE")),
                new Variant("striped-none", List.of("TILED=NO", "BLOCKYSIZE=7", "COMPRESS=NONE")),
                new Variant("tiled-deflate-p2", List.of("TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=DEFLATE", "PREDICTOR=2")),
                new Variant("striped-lzw-p2", List.of("BLOCKYSIZE=16", "COMPRESS=LZW", "PREDICTOR=2")),
                new Variant("tiled-zstd", List.of("TILED=YES", "COMPRESS=ZSTD")),
                new Variant("planar-tiled-deflate-p2", List.of("INTERLEAVE=BAND", "TILED=YES", "BLOCKXSIZE=96", "BLOCKYSIZE=48", "COMPRESS=DEFLATE", "PREDICTOR=2"))));
        if (t == SampleType.UINT8 || t == SampleType.INT16 || t == SampleType.UINT32 || t == SampleType.FLOAT64) {
            v.addAll(List.of(
                    new Variant("planar-striped-zstd-p2", List.of("INTERLEAVE=BAND", "BLOCKYSIZE=10", "COMPRESS=ZSTD", "PREDICTOR=2")),
                    new Variant("bigtiff-bigendian-tiled-lzw", List.of("BIGTIFF=YES", "ENDIANNESS=BIG", "TILED=YES", "COMPRESS=LZW", "PREDICTOR=2")),
                    new Variant("bigendian-striped-deflate", List.of("ENDIANNESS=BIG", "BLOCKYSIZE=5", "COMPRESS=DEFLATE"))));
        }
        if (t.isFloat()) {
            v.addAll(List.of(
                    new Variant("tiled-deflate-p3", List.of("TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=3")),
                    new Variant("striped-lzw-p3", List.of("BLOCKYSIZE=9", "COMPRESS=LZW", "PREDICTOR=3")),
                    new Variant("planar-bigtiff-zstd-p3", List.of("INTERLEAVE=BAND", "BIGTIFF=YES", "TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=16", "COMPRESS=ZSTD", "PREDICTOR=3"))));
        }
        if (t == SampleType.FLOAT32) {
            v.add(new Variant("bigendian-tiled-zstd-p3", List.of("ENDIANNESS=BIG", "TILED=YES", "COMPRESS=ZSTD", "PREDICTOR=3")));
        }
        return v;
    }

    @BeforeAll
    void generate() throws Exception {
        Random random = new Random(42);
        List<ReaderTestSupport.Translate> jobs = new ArrayList<>();
        for (SampleType t : SampleType.values()) {
            Object[] data = new Object[BANDS];
            for (int b = 0; b < BANDS; b++) {
                data[b] = bandData(t, b, random);
            }
            sources.put(t, data);
            Path vrt = writeVrt(t.name().toLowerCase(), t, data, "");
            for (Variant v : variants(t)) {
                String name = t.name().toLowerCase() + "-" + v.name();
                Path out = dir.resolve(name + ".tif");
                List<String> options = new ArrayList<>(v.options());
                if (t == SampleType.INT8) {
                    options.add("PIXELTYPE=SIGNEDBYTE");
                }
                jobs.add(new ReaderTestSupport.Translate(vrt, out, options));
                files.put(name, out);
                types.put(name, t);
            }
        }
        List<List<Integer>> sums = ReaderTestSupport.translateAll(jobs);
        int i = 0;
        for (String name : files.keySet()) {
            checksums.put(name, sums.get(i++));
        }
    }

    /** Band 0: random bit patterns (all values, NaN, infinities); band 1: a smooth ramp; band 2: mostly constant. */
    static Object bandData(SampleType t, int band, Random r) {
        int n = W * H;
        return switch (t) {
            case UINT8, INT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    int x = i % W, y = i / W;
                    a[i] = (byte) (band == 0 ? r.nextInt() : band == 1 ? x + 2 * y : i % 13 == 0 ? r.nextInt() : 7);
                }
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    int x = i % W, y = i / W;
                    a[i] = (short) (band == 0 ? r.nextInt() : band == 1 ? 100 * x - 37 * y : i % 13 == 0 ? r.nextInt() : 7);
                }
                yield a;
            }
            case UINT32, INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    int x = i % W, y = i / W;
                    a[i] = band == 0 ? r.nextInt() : band == 1 ? 100_000 * x - 3_700_000 * y : i % 13 == 0 ? r.nextInt() : 7;
                }
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    int x = i % W, y = i / W;
                    a[i] = band == 0 ? Float.intBitsToFloat(r.nextInt()) : band == 1 ? x * 0.37f + y * 1.5f - 100
                            : i % 13 == 0 ? (float) (r.nextGaussian() * 1e4) : 7.25f;
                }
                a[1] = Float.NaN;
                a[2] = Float.NEGATIVE_INFINITY;
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    int x = i % W, y = i / W;
                    a[i] = band == 0 ? Double.longBitsToDouble(r.nextLong()) : band == 1 ? x * 0.37 + y * 1.5 - 100
                            : i % 13 == 0 ? r.nextGaussian() * 1e4 : 7.25;
                }
                a[1] = Double.NaN;
                a[2] = Double.POSITIVE_INFINITY;
                yield a;
            }
        };
    }

    /** Writes the bands as one little-endian raw file and a VRT over it; {@code extra} goes inside each band. */
    private Path writeVrt(String name, SampleType t, Object[] data, String extraPerBand) throws IOException {
        Path raw = dir.resolve(name + ".raw");
        int bytes = t.bytes();
        ByteBuffer buf = ByteBuffer.allocate(W * H * bytes * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (Object band : data) {
            switch (t) {
                case UINT8, INT8 -> buf.put((byte[]) band);
                case UINT16, INT16 -> buf.asShortBuffer().put((short[]) band);
                case UINT32, INT32 -> buf.asIntBuffer().put((int[]) band);
                case FLOAT32 -> buf.asFloatBuffer().put((float[]) band);
                case FLOAT64 -> buf.asDoubleBuffer().put((double[]) band);
            }
            if (t.bytes() > 1) {
                buf.position(buf.position() + W * H * bytes);
            }
        }
        Files.write(raw, buf.array());
        StringBuilder vrt = new StringBuilder();
        vrt.append("<VRTDataset rasterXSize=\"").append(W).append("\" rasterYSize=\"").append(H).append("\">\n")
                .append("  <SRS>EPSG:32736</SRS>\n  <GeoTransform>").append(GT).append("</GeoTransform>\n");
        for (int b = 0; b < data.length; b++) {
            vrt.append("  <VRTRasterBand dataType=\"").append(GdalCli.gdalType(t)).append("\" band=\"")
                    .append(b + 1).append("\" subClass=\"VRTRawRasterBand\">\n")
                    .append(extraPerBand.replace("{b}", String.valueOf(b + 1)))
                    .append("    <SourceFilename relativetoVRT=\"1\">").append(raw.getFileName()).append("</SourceFilename>\n")
                    .append("    <ImageOffset>").append((long) b * W * H * bytes).append("</ImageOffset>\n")
                    .append("    <PixelOffset>").append(bytes).append("</PixelOffset>\n")
                    .append("    <LineOffset>").append(W * bytes).append("</LineOffset>\n")
                    .append("    <ByteOrder>LSB</ByteOrder>\n  </VRTRasterBand>\n");
        }
        vrt.append("</VRTDataset>\n");
        Path p = dir.resolve(name + ".vrt");
        Files.writeString(p, vrt);
        return p;
    }

    /**
     * GDAL 3.6 writes big-endian files with the floating-point predictor with each value's bytes swapped (its
     * own reader then returns the swapped values too, and so do we, matching libtiff's byte-plane format): for
     * those files the reference is GDAL's reading - checksums and point values - not the source data.
     */
    static boolean gdalWriterSwapsBytes(String name) {
        return name.contains("bigendian") && name.contains("p3");
    }

    private static void assertBandEquals(SampleType t, Object expected, Object actual, String what) {
        switch (t) {
            case UINT8, INT8 -> assertArrayEquals((byte[]) expected, (byte[]) actual, what);
            case UINT16, INT16 -> assertArrayEquals((short[]) expected, (short[]) actual, what);
            case UINT32, INT32 -> assertArrayEquals((int[]) expected, (int[]) actual, what);
            // Arrays.equals semantics: every NaN equals every NaN, -0.0 differs from 0.0.
            case FLOAT32 -> assertTrue(Arrays.equals((float[]) expected, (float[]) actual), what);
            case FLOAT64 -> assertTrue(Arrays.equals((double[]) expected, (double[]) actual), what);
        }
    }

    @Test
    void everyVariantReadsBackTheSourceValuesAndGdalsChecksums() throws IOException {
        assertEquals(SampleType.values().length * 6 + 4 * 3 + 2 * 3 + 1, files.size());
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String name = e.getKey();
            SampleType t = types.get(name);
            try (GeoTiff tiff = ReaderTestSupport.open(e.getValue())) {
                RasterMetadata m = tiff.metadata();
                assertEquals(t, m.sampleType(), name);
                assertEquals(32736, m.epsg(), name);
                assertEquals(GeoTransform.northUp(500000, 8000000, 10, 10), m.transform(), name);
                Raster r = tiff.read(new RasterWindow(0, 0, W, H));
                for (int b = 0; b < BANDS; b++) {
                    assertEquals(checksums.get(name).get(b), ReaderTestSupport.gdalChecksum(r, b),
                            name + " band " + b + " checksum");
                    if (!gdalWriterSwapsBytes(name)) {
                        assertBandEquals(t, sources.get(t)[b], r.band(b), name + " band " + b);
                    }
                }
            }
        }
    }

    @Test
    void bigEndianFloatingPointPredictorFilesReadLikeGdalReadsThem() throws IOException {
        Random random = new Random(3);
        List<int[]> points = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            points.add(new int[] {random.nextInt(W), random.nextInt(H)});
        }
        for (String name : List.of("float32-bigendian-tiled-zstd-p3")) {
            try (GeoTiff tiff = ReaderTestSupport.open(files.get(name))) {
                Raster r = tiff.read(new RasterWindow(0, 0, W, H));
                for (int b = 0; b < BANDS; b++) {
                    List<String> gdal = ReaderTestSupport.gdalValues(files.get(name), b + 1, 0, points);
                    for (int i = 0; i < points.size(); i++) {
                        double ours = r.get(b, points.get(i)[0], points.get(i)[1]);
                        assertTrue(ReaderTestSupport.sameValue(gdal.get(i), ours), name + " band " + b + ": GDAL "
                                + gdal.get(i) + ", ours " + ours);
                    }
                }
            }
        }
    }

    @Test
    void variantsMatchTheirGdalStructure() throws IOException {
        check("uint16-tiled-none", tiff -> {
            assertTrue(tiff.isTiled());
            assertEquals(TiffTags.COMPRESSION_NONE, tiff.compression());
            assertEquals(64, tiff.overviews().get(0).tileWidth());
        });
        check("uint16-striped-none", tiff -> {
            assertFalse(tiff.isTiled());
            assertEquals(7, tiff.overviews().get(0).tileHeight());
        });
        check("float32-tiled-deflate-p3", tiff -> assertEquals(3, tiff.predictor()));
        check("int16-planar-tiled-deflate-p2", tiff -> assertEquals(2, tiff.planarConfiguration()));
        check("uint8-tiled-zstd", tiff -> assertEquals(TiffTags.COMPRESSION_ZSTD, tiff.compression()));
        check("uint32-bigtiff-bigendian-tiled-lzw", tiff -> {
            assertTrue(tiff.isBigTiff());
            assertFalse(tiff.layout().littleEndian());
        });
    }

    interface Check {
        void accept(GeoTiff tiff) throws IOException;
    }

    private void check(String name, Check check) throws IOException {
        try (GeoTiff tiff = ReaderTestSupport.open(files.get(name))) {
            check.accept(tiff);
        }
    }

    @Test
    void randomWindowsAndBandSubsetsAreIdenticalAcrossVariants() throws IOException {
        Random random = new Random(7);
        for (SampleType t : SampleType.values()) {
            List<RasterWindow> windows = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int x = random.nextInt(W + 40) - 20;
                int y = random.nextInt(H + 40) - 20;
                windows.add(new RasterWindow(x, y, 1 + random.nextInt(150), 1 + random.nextInt(120)));
            }
            int[] bands = {2, 0};
            String refName = t.name().toLowerCase() + "-tiled-none";
            try (GeoTiff ref = ReaderTestSupport.open(files.get(refName))) {
                List<Raster> expected = new ArrayList<>();
                for (RasterWindow w : windows) {
                    expected.add(ref.read(0, w, bands));
                }
                for (Variant v : variants(t)) {
                    String name = t.name().toLowerCase() + "-" + v.name();
                    if (gdalWriterSwapsBytes(name)) {
                        continue;
                    }
                    try (GeoTiff tiff = ReaderTestSupport.open(files.get(name))) {
                        for (int i = 0; i < windows.size(); i++) {
                            Raster r = tiff.read(0, windows.get(i), bands);
                            for (int b = 0; b < bands.length; b++) {
                                assertBandEquals(t, expected.get(i).band(b), r.band(b), name + " window " + windows.get(i));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void internalOverviewsMatchGdalChecksumsAndTransforms() throws Exception {
        for (String base : List.of("uint16-tiled-deflate-p2", "float64-striped-lzw-p3", "int16-planar-tiled-deflate-p2")) {
            Path file = dir.resolve(base + "-ovr.tif");
            Files.copy(files.get(base), file);
            ReaderTestSupport.run("gdaladdo", "-q", "-r", "nearest", "--config", "COMPRESS_OVERVIEW", "DEFLATE",
                    file.toString(), "2", "4", "9");
            JsonNode info = ReaderTestSupport.gdalinfo(file);
            try (GeoTiff tiff = ReaderTestSupport.open(file)) {
                assertEquals(4, tiff.levelCount(), base);
                for (int level = 1; level < 4; level++) {
                    Overview o = tiff.overviews().get(level);
                    JsonNode ov = info.at("/bands/0/overviews").get(level - 1);
                    assertEquals(ov.at("/size/0").asInt(), o.width());
                    assertEquals(ov.at("/size/1").asInt(), o.height());
                    Raster r = tiff.read(level, new RasterWindow(0, 0, o.width(), o.height()));
                    for (int b = 0; b < BANDS; b++) {
                        assertEquals(info.get("bands").get(b).get("overviews").get(level - 1).get("checksum").asInt(),
                                ReaderTestSupport.gdalChecksum(r, b), base + " overview " + level + " band " + b);
                    }
                    GdalFixturesTest.assertTransform(
                            ReaderTestSupport.gdalinfo(file, "-oo", "OVERVIEW_LEVEL=" + (level - 1)).get("geoTransform"),
                            o.transform(), base + " overview " + level);
                }
            }
        }
    }

    @Test
    void pixelIsPointAndRotatedTransformsAreReadAsGdalReportsThem() throws Exception {
        Path src = files.get("uint8-tiled-none");
        Path point = dir.resolve("point.tif");
        ReaderTestSupport.run("gdal_translate", "-q", "-mo", "AREA_OR_POINT=Point", src.toString(), point.toString());
        Path rotatedVrt = dir.resolve("rotated.vrt");
        Files.writeString(rotatedVrt, Files.readString(dir.resolve("uint8.vrt"))
                .replace(GT, "500000, 10, 2.5, 8000000, -1.5, -10"));
        Path rotated = dir.resolve("rotated.tif");
        ReaderTestSupport.run("gdal_translate", "-q", rotatedVrt.toString(), rotated.toString());
        Path rotatedPoint = dir.resolve("rotated-point.tif");
        ReaderTestSupport.run("gdal_translate", "-q", "-mo", "AREA_OR_POINT=Point", rotated.toString(), rotatedPoint.toString());
        for (Path p : List.of(point, rotated, rotatedPoint)) {
            JsonNode info = ReaderTestSupport.gdalinfo(p);
            try (GeoTiff tiff = ReaderTestSupport.open(p)) {
                GdalFixturesTest.assertTransform(info.get("geoTransform"), tiff.metadata().transform(), p.getFileName().toString());
                assertBandEquals(SampleType.UINT8, sources.get(SampleType.UINT8)[1],
                        tiff.read(new RasterWindow(0, 0, W, H)).band(1), p.toString());
            }
        }
        try (GeoTiff tiff = ReaderTestSupport.open(rotated)) {
            assertTrue(tiff.layout().ifds().get(0).hasTag(TiffTags.MODEL_TRANSFORMATION),
                    "GDAL stores a rotation as ModelTransformation");
        }
    }

    @Test
    void paletteNodataDescriptionsScalesAndMetadataMatchGdal() throws Exception {
        StringBuilder colors = new StringBuilder("    <ColorInterp>Palette</ColorInterp>\n    <ColorTable>\n");
        for (int i = 0; i < 256; i++) {
            colors.append("      <Entry c1=\"").append(i).append("\" c2=\"").append((i * 7) % 256).append("\" c3=\"")
                    .append(255 - i).append("\" c4=\"255\"/>\n");
        }
        colors.append("    </ColorTable>\n");
        Object[] one = {sources.get(SampleType.UINT8)[1]};
        Path paletteVrt = writeVrt("palette", SampleType.UINT8, one, colors.toString());
        Path palette = dir.resolve("palette.tif");
        ReaderTestSupport.run("gdal_translate", "-q", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", paletteVrt.toString(), palette.toString());
        JsonNode info = ReaderTestSupport.gdalinfo(palette);
        try (GeoTiff tiff = ReaderTestSupport.open(palette)) {
            ColorTable ct = tiff.metadata().colorTable();
            assertNotNull(ct);
            JsonNode entries = info.at("/bands/0/colorTable/entries");
            assertEquals(entries.size(), ct.size());
            for (int i = 0; i < ct.size(); i++) {
                int argb = ct.argb(i);
                JsonNode e = entries.get(i);
                assertEquals(e.get(0).asInt(), (argb >> 16) & 0xFF, "red " + i);
                assertEquals(e.get(1).asInt(), (argb >> 8) & 0xFF, "green " + i);
                assertEquals(e.get(2).asInt(), argb & 0xFF, "blue " + i);
                assertEquals(e.get(3).asInt(), argb >>> 24, "alpha " + i);
            }
        }

        String bandItems = """
                    <Description>band {b} &amp; &lt;more&gt;</Description>
                    <Offset>-{b}.5</Offset>
                    <Scale>0.000{b}</Scale>
                    <Metadata><MDI key="STATISTICS_MEAN">1.5</MDI></Metadata>
                """;
        Path describedVrt = writeVrt("described", SampleType.FLOAT32, sources.get(SampleType.FLOAT32), bandItems);
        String vrt = Files.readString(describedVrt).replace("<SRS>", "<Metadata><MDI key=\"MODEL\">xgb v3</MDI>"
                + "<MDI key=\"AOI\">{\"lon\":31.05,\"lat\":-17.8}</MDI></Metadata>\n  <SRS>");
        Files.writeString(describedVrt, vrt);
        for (String nodata : List.of("nan", "-inf", "-3.4028234663852886e+38", "1e+30", "-9999")) {
            Path described = dir.resolve("described-" + nodata + ".tif");
            ReaderTestSupport.run("gdal_translate", "-q", "-a_nodata", nodata, "-a_srs", "EPSG:4326",
                    "-a_ullr", "30", "-17", "31", "-18", describedVrt.toString(), described.toString());
            JsonNode d = ReaderTestSupport.gdalinfo(described);
            try (GeoTiff tiff = ReaderTestSupport.open(described)) {
                RasterMetadata m = tiff.metadata();
                assertEquals(4326, m.epsg());
                GdalFixturesTest.assertTransform(d.get("geoTransform"), m.transform(), "4326 transform");
                JsonNode nd = d.at("/bands/0/noDataValue");
                double expected = nd.isTextual() ? Double.parseDouble(nd.asText().replace("inf", "Infinity").replace("nan", "NaN")) : nd.asDouble();
                // gdalinfo prints a Float32 band's nodata with float precision.
                assertEquals((float) expected, (float) (double) m.nodata(), "nodata " + nodata);
                for (int b = 0; b < BANDS; b++) {
                    JsonNode band = d.get("bands").get(b);
                    assertEquals(band.get("description").asText(), m.bandDescription(b));
                    assertEquals(band.get("scale").asDouble(), m.scales().get(b), 0.0);
                    assertEquals(band.get("offset").asDouble(), m.offsets().get(b), 0.0);
                }
                assertEquals("band 2 & <more>", m.bandDescription(1));
                assertEquals("xgb v3", m.metadata().get("MODEL"));
                assertEquals("{\"lon\":31.05,\"lat\":-17.8}", m.metadata().get("AOI"));
            }
        }
    }

    @Test
    void epsgCodesOfGeographicWebMercatorUtmSouthAndUserDefinedCrs() throws Exception {
        Path src = files.get("uint8-tiled-none");
        Map<String, Integer> crs = new LinkedHashMap<>();
        crs.put("EPSG:3857", 3857);
        crs.put("EPSG:32629", 32629);
        crs.put("EPSG:32735", 32735);
        crs.put("EPSG:4326", 4326);
        crs.put("+proj=tmerc +lat_0=0 +lon_0=31.5 +k=0.9996 +x_0=500000 +y_0=10000000 +datum=WGS84 +units=m +no_defs", 0);
        int i = 0;
        for (Map.Entry<String, Integer> e : crs.entrySet()) {
            Path out = dir.resolve("crs-" + i++ + ".tif");
            ReaderTestSupport.run("gdal_translate", "-q", "-a_srs", e.getKey(), src.toString(), out.toString());
            JsonNode info = ReaderTestSupport.gdalinfo(out);
            try (GeoTiff tiff = ReaderTestSupport.open(out)) {
                assertEquals(e.getValue(), tiff.metadata().epsg(), e.getKey());
                JsonNode gdalEpsg = info.at("/stac/proj:epsg");
                assertEquals(gdalEpsg.isMissingNode() || gdalEpsg.isNull() ? 0 : gdalEpsg.asInt(), tiff.metadata().epsg());
                if (e.getValue() == 0) {
                    assertNotNull(tiff.metadata().metadata().get(GeoTiff.CITATION_KEY), "citation of a user-defined CRS");
                } else {
                    assertNull(tiff.metadata().metadata().get(GeoTiff.CITATION_KEY));
                }
            }
        }
    }

    @Test
    void sparseTilesReadAsNodataLikeGdal() throws Exception {
        short[] data = new short[W * H];
        for (int i = 0; i < data.length; i++) {
            int x = i % W, y = i / W;
            data[i] = (short) (x < 64 && y < 64 ? 0 : 7) ;
            if (x >= 200 && y >= 100) {
                data[i] = (short) (x * y);
            }
        }
        Path vrt = writeVrt("sparse", SampleType.INT16, new Object[] {data}, "");
        for (String nodata : List.of("none", "0", "7")) {
            Path out = dir.resolve("sparse-" + nodata + ".tif");
            List<String> cmd = new ArrayList<>(List.of("gdal_translate", "-q", "-co", "SPARSE_OK=TRUE", "-co", "TILED=YES",
                    "-co", "BLOCKXSIZE=32", "-co", "BLOCKYSIZE=32", "-co", "COMPRESS=DEFLATE"));
            if (!nodata.equals("none")) {
                cmd.addAll(List.of("-a_nodata", nodata));
            }
            cmd.addAll(List.of(vrt.toString(), out.toString()));
            ReaderTestSupport.run(cmd, null);
            JsonNode info = ReaderTestSupport.gdalinfo(out);
            try (GeoTiff tiff = ReaderTestSupport.open(out)) {
                TiffLayout.Ifd main = tiff.layout().ifds().get(0);
                Raster r = tiff.read(new RasterWindow(0, 0, W, H));
                assertEquals(info.at("/bands/0/checksum").asInt(), ReaderTestSupport.gdalChecksum(r, 0), "sparse " + nodata);
                // All-zero tiles (no nodata, or nodata 0) or all-7 tiles (nodata 7) are left out by GDAL.
                assertTrue(main.emptyChunks() >= 4, "sparse tiles in " + nodata + ": " + main.emptyChunks());
                assertArrayEquals(data, r.shorts(0), "sparse " + nodata);
                List<int[]> points = List.of(new int[] {0, 0}, new int[] {63, 63}, new int[] {100, 10}, new int[] {250, 150});
                List<String> gdal = ReaderTestSupport.gdalValues(out, 1, 0, points);
                for (int k = 0; k < points.size(); k++) {
                    assertEquals(Double.parseDouble(gdal.get(k)), r.get(0, points.get(k)[0], points.get(k)[1]));
                }
            }
        }
    }
}
