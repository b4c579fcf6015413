package io.geocrop.scoring;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.features.FeatureOrder;
import io.geocrop.jobs.JobStores;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.OnnxPixelClassifier;
import io.geocrop.models.TestModels;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.UnsafeKeyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scoring on upload: a feature GeoTIFF dropped under {@code uploads/} is scored to {@code geocrop-results/uploads/};
 * every kind of bad upload gives a readable error object next to where the result would be, never an exception.
 */
class UploadScoringTest {
    @TempDir
    static Path dir;
    static JdbcConnectionPool db;
    static LocalObjectStore store;
    static ScoringFixture fx;
    static final ObjectMapper JSON = new ObjectMapper();
    static final int W = 700;
    static final int H = 300;

    @BeforeAll
    static void start() {
        db = JdbcConnectionPool.create("jdbc:h2:mem:uploads_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        fx = new ScoringFixture(JobStores.forDataSource(db), store, dir.resolve("work"),
                new FeatureGeoTiffCheck.Limits(250_000, 200L << 20));
    }

    @AfterAll
    static void stop() {
        fx.close();
        db.dispose();
    }

    /** A feature GeoTIFF of any size: FEATURE_ORDER_V1 bands and metadata as FeatureGeoTiff writes them. */
    static RasterMetadata featureMeta(int w, int h, int bands, SampleType type, List<String> names, Map<String, String> items) {
        RasterMetadata tile = FeatureGeoTiff.metadata(new FeatureGeoTiff.Provenance("upload", new io.geocrop.domain.JobTile(32736, 63, 1567), 2024, List.of()));
        Map<String, String> meta = new LinkedHashMap<>(tile.metadata());
        meta.putAll(items);
        return new RasterMetadata(w, h, bands, type, tile.transform(), tile.epsg(), type.isFloat() ? Double.NaN : null,
                names, List.of(), List.of(), meta, null);
    }

    static Path write(String name, RasterMetadata meta, Consumer<Raster> fill) throws Exception {
        Raster r = Raster.allocate(meta.width(), meta.height(), meta.bands(), meta.sampleType());
        fill.accept(r);
        Path file = dir.resolve(name);
        CogWriter.write(file, meta, r, CogWriteOptions.builder().overviewCount(0).build());
        return file;
    }

    static void pattern(Raster r) {
        float[][] prototypes = new float[12][];
        for (int c = 1; c <= 11; c++) {
            prototypes[c] = TestModels.prototypeRow(c);
        }
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int c = TestFeatures.expectedClass(x % 512, y % 512);
                for (int b = 0; b < FeatureOrder.COUNT; b++) {
                    r.floats(b)[y * r.width() + x] = c == 0 ? Float.NaN : prototypes[c][b];
                }
            }
        }
    }

    JsonNode error(String uploadKey) throws Exception {
        return JSON.readTree(fx.bytes(Bucket.RESULTS, UploadScoring.errorKey(uploadKey)));
    }

    @Test
    void anUploadOfAnySizeIsScoredToTheResultsBucketAndARedeliveryIsADuplicate() throws Exception {
        String key = "uploads/farm 7/north field.TIF";
        Path file = write("good.tif", featureMeta(W, H, FeatureOrder.COUNT, SampleType.FLOAT32,
                FeatureOrder.FEATURE_ORDER_V1, Map.of()), UploadScoringTest::pattern);
        store.put(Bucket.FEATURES, key, file, null);

        ScoringService.EventReport r = fx.service.handle("geocrop-features", key);
        assertEquals(ScoringService.EventOutcome.SCORED, r.outcome(), r.detail());
        assertEquals("uploads/farm 7/north field.tif", r.result());
        try (GeoTiff result = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.RESULTS, r.result()))) {
            assertEquals(W, result.metadata().width());
            assertEquals(H, result.metadata().height());
            for (io.geocrop.domain.CropClass c : io.geocrop.domain.CropClass.all()) {
                assertEquals(c.rgb(), result.metadata().colorTable().argb(c.code()) & 0xffffff, c.id());
            }
            assertEquals("geocrop-features/" + key, result.metadata().metadata().get(ResultTiles.SOURCE));
            Raster px = result.read(new RasterWindow(0, 0, W, H));
            for (int[] p : new int[][] {{5, 5}, {100, 70}, {600, 250}, {699, 299}, {520, 10}}) {
                assertEquals(TestFeatures.expectedClass(p[0] % 512, p[1] % 512), px.bytes(0)[p[1] * W + p[0]] & 0xff,
                        "pixel " + p[0] + "," + p[1]);
            }
        }
        Path out = dir.resolve("upload-result.tif");
        Files.write(out, fx.bytes(Bucket.RESULTS, r.result()));
        JsonNode info = GdalCli.infoJson(out, "-stats", "-hist");
        assertEquals(2, info.path("bands").size());
        assertEquals("Palette", info.path("bands").get(0).path("colorInterpretation").asText());
        assertTrue(store.head(Bucket.RESULTS, UploadScoring.errorKey(key)).isEmpty());
        // The summary: hectares per class of the whole result, as a job's summary gives them.
        JsonNode summary = JSON.readTree(fx.bytes(Bucket.RESULTS, UploadScoring.summaryKey(key)));
        assertEquals("uploads/farm 7/north field.summary.json", UploadScoring.summaryKey(key));
        assertEquals(100.0, summary.path("pixel_area_m2").asDouble());
        long pixels = 0;
        for (JsonNode c : summary.path("classes")) {
            pixels += c.path("pixels").asLong();
            assertEquals(c.path("pixels").asLong() / 100.0, c.path("hectares").asDouble(), 1e-9, c.toString());
        }
        assertTrue(pixels > 0 && pixels <= (long) W * H, summary.toString());
        assertEquals(pixels / 100.0, summary.path("total_hectares").asDouble(), 1e-9);

        long modified = store.head(Bucket.RESULTS, r.result()).orElseThrow().lastModified().toEpochMilli();
        byte[] before = fx.bytes(Bucket.RESULTS, r.result());
        assertEquals(ScoringService.EventOutcome.DUPLICATE, fx.service.handle("geocrop-features", key).outcome());
        assertEquals(modified, store.head(Bucket.RESULTS, r.result()).orElseThrow().lastModified().toEpochMilli(),
                "a redelivered event writes nothing");
        assertTrue(java.util.Arrays.equals(before, fx.bytes(Bucket.RESULTS, r.result())));
    }

    @Test
    void aBadUploadLeavesAnErrorObjectAndAFixedOneReplacesIt() throws Exception {
        String key = "uploads/fixme.tif";
        store.put(Bucket.FEATURES, key, "field,crop\n1,maize\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        ScoringService.EventReport bad = fx.service.handle("geocrop-features", key);
        assertEquals(ScoringService.EventOutcome.FAILED_UPLOAD, bad.outcome());
        assertEquals("uploads/fixme.error.json", bad.result());
        JsonNode e = error(key);
        assertEquals("geocrop-features/uploads/fixme.tif", e.path("object").asText());
        assertEquals("not a feature GeoTIFF GeoCrop can score", e.path("error").asText());
        assertTrue(e.path("detail").asText().startsWith("it is not a TIFF file"), e.toString());

        Path good = write("fixed.tif", featureMeta(64, 64, FeatureOrder.COUNT, SampleType.FLOAT32,
                FeatureOrder.FEATURE_ORDER_V1, Map.of()), UploadScoringTest::pattern);
        store.put(Bucket.FEATURES, key, good, null);
        assertEquals(ScoringService.EventOutcome.SCORED, fx.service.handle("geocrop-features", key).outcome());
        assertTrue(store.head(Bucket.RESULTS, "uploads/fixme.error.json").isEmpty(), "the stale error is gone");
        assertTrue(store.head(Bucket.RESULTS, "uploads/fixme.tif").isPresent());
        assertTrue(store.head(Bucket.RESULTS, "uploads/fixme.summary.json").isPresent());
        store.put(Bucket.FEATURES, key, new byte[3], null);
        assertEquals(ScoringService.EventOutcome.FAILED_UPLOAD, fx.service.handle("geocrop-features", key).outcome());
        assertTrue(store.head(Bucket.RESULTS, "uploads/fixme.summary.json").isEmpty(), "a failed re-upload leaves no summary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "text", "three-bands", "uint16", "order", "unnamed", "hash", "truncated",
        "too-many-pixels"})
    void everyKindOfBadUploadGetsAReadableErrorObject(String kind) throws Exception {
        String key = "uploads/bad-" + kind + ".tif";
        List<String> names = FeatureOrder.FEATURE_ORDER_V1;
        String expected;
        switch (kind) {
            case "empty" -> {
                store.put(Bucket.FEATURES, key, new byte[0], null);
                expected = "it is not a TIFF file (only 0 bytes)";
            }
            case "text" -> {
                store.put(Bucket.FEATURES, key, "<html>not found</html>".getBytes(StandardCharsets.UTF_8), null);
                expected = "it is not a TIFF file (it starts with 0x3c68746d";
            }
            case "three-bands" -> {
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(32, 32, 3, SampleType.FLOAT32,
                        List.of(), Map.of()), r -> { }), null);
                expected = "it has 3 bands; a feature GeoTIFF has 51";
            }
            case "uint16" -> {
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(32, 32, 51, SampleType.UINT16,
                        names, Map.of()), r -> { }), null);
                expected = "its samples are UINT16; feature GeoTIFFs hold FLOAT32 features";
            }
            case "order" -> {
                List<String> swapped = new ArrayList<>(names);
                Collections.swap(swapped, 3, 4);
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(32, 32, 51, SampleType.FLOAT32,
                        swapped, Map.of()), r -> { }), null);
                expected = "band 4 is '" + names.get(4) + "' but FEATURE_ORDER_V1 has '" + names.get(3)
                        + "' there: the feature order does not match";
            }
            case "unnamed" -> {
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(32, 32, 51, SampleType.FLOAT32,
                        List.of(), Map.of()), r -> { }), null);
                expected = "band 1 has no description; it must be named '" + names.get(0) + "'";
            }
            case "hash" -> {
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(32, 32, 51, SampleType.FLOAT32,
                        names, Map.of(FeatureGeoTiff.FEATURE_ORDER_HASH, "0123abcd")), r -> { }), null);
                expected = "its GEOCROP_FEATURE_ORDER_HASH metadata is 0123abcd but its band names hash to "
                        + FeatureOrder.HASH_V1;
            }
            case "truncated" -> {
                Path whole = write(kind + ".tif", featureMeta(W, 64, 51, SampleType.FLOAT32, names, Map.of()),
                        UploadScoringTest::pattern);
                byte[] bytes = Files.readAllBytes(whole);
                store.put(Bucket.FEATURES, key, java.util.Arrays.copyOf(bytes, bytes.length / 2), null);
                expected = "";
            }
            case "too-many-pixels" -> {
                store.put(Bucket.FEATURES, key, write(kind + ".tif", featureMeta(501, 500, 51, SampleType.FLOAT32,
                        names, Map.of()), r -> { }), null);
                expected = "it is 501 x 500 = 250500 pixels; feature GeoTIFFs may have at most 250000 pixels";
            }
            default -> throw new IllegalArgumentException(kind);
        }
        ScoringService.EventReport r = fx.service.handle("geocrop-features", key);
        assertEquals(ScoringService.EventOutcome.FAILED_UPLOAD, r.outcome(), r.detail());
        assertEquals("uploads/bad-" + kind + ".error.json", r.result());
        JsonNode e = error(key);
        assertEquals(List.of("object", "error", "detail"), iterable(e));
        assertEquals("geocrop-features/" + key, e.path("object").asText());
        assertTrue(e.path("detail").asText().contains(expected), kind + ": " + e);
        assertFalse(e.path("detail").asText().contains("Exception"), "no stack traces or class names: " + e);
        assertTrue(store.head(Bucket.RESULTS, "uploads/bad-" + kind + ".tif").isEmpty(), "no result next to an error");
    }

    @Test
    void anUploadTooLargeInBytesIsRefusedBeforeItIsRead() throws Exception {
        ScoringFixture strict = new ScoringFixture(fx.jobs, store, dir.resolve("work-strict"),
                new FeatureGeoTiffCheck.Limits(1_000_000, 1000));
        store.put(Bucket.FEATURES, "uploads/big.tif", new byte[5000], null);
        assertEquals(ScoringService.EventOutcome.FAILED_UPLOAD, strict.service.handle("geocrop-features", "uploads/big.tif").outcome());
        assertTrue(error("uploads/big.tif").path("detail").asText()
                .contains("it is 5000 bytes; feature GeoTIFFs may be at most 1000 bytes"));
        strict.close();
    }

    @Test
    void anUploadForAModelOfAnotherFeatureOrderIsRefused() throws Exception {
        LocalObjectStore other = new LocalObjectStore(dir.resolve("other-models"), ObjectCreatedListener.NONE);
        other.ensureBuckets();
        ObjectStoreModelRegistry registry = new ObjectStoreModelRegistry(other);
        ModelCard c = TestModels.small().card();
        registry.publish(new ModelArtifact(new ModelCard("geocrop-crop-type", c.version(), "ffff0000", c.featureNames(),
                c.classCodes(), c.trainingData(), c.metrics(), c.params(), c.seed(), c.synthetic(), c.createdAt()),
                TestModels.small().onnx()), "champion");
        try (ModelProvider models = new ModelProvider(registry, "geocrop-crop-type", "champion",
                a -> OnnxPixelClassifier.load(a, 1))) {
            ScoringService service = new ScoringService(fx.jobs, store, models,
                    new FeatureGeoTiffCheck(store, FeatureGeoTiffCheck.Limits.defaults()), new TileScorer(store, dir),
                    new JobAssembler(fx.jobs, store, e -> { }, dir, Clock.systemUTC()));
            store.put(Bucket.FEATURES, "uploads/v1.tif", write("v1.tif", featureMeta(32, 32, 51, SampleType.FLOAT32,
                    FeatureOrder.FEATURE_ORDER_V1, Map.of()), UploadScoringTest::pattern), null);
            assertEquals(ScoringService.EventOutcome.FAILED_UPLOAD, service.handle("geocrop-features", "uploads/v1.tif").outcome());
            assertTrue(error("uploads/v1.tif").path("detail").asText().contains("its feature order hash "
                    + FeatureOrder.HASH_V1 + " differs from the model's ffff0000"), error("uploads/v1.tif").toString());
        }
    }

    @Test
    void uploadKeysNeverLeaveTheUploadsFolder() throws Exception {
        assertEquals("uploads/a/b.tif", UploadScoring.resultKey("uploads/a/b.tiff"));
        assertEquals("uploads/notes.txt.tif", UploadScoring.resultKey("uploads/notes.txt"));
        assertEquals("uploads/notes.txt.error.json", UploadScoring.errorKey("uploads/notes.txt"));
        for (String key : List.of("uploads/../jobs/x.tif", "uploads/%2e%2e/x.tif", "uploads/a//b.tif", "uploads/",
                "jobs/x.tif", "/uploads/x.tif", "uploads/..\\x.tif")) {
            assertThrows(UnsafeKeyException.class, () -> UploadScoring.resultKey(key), key);
            ScoringService.EventOutcome o = fx.service.handle("geocrop-features", key).outcome();
            assertEquals(ScoringService.EventOutcome.IGNORED, o, key);
        }
        assertTrue(store.list(Bucket.RESULTS, "").stream().noneMatch(i -> i.key().contains("..")));
    }

    @Test
    void anUploadThatIsGoneByTheTimeTheEventArrivesIsNotAnError() throws Exception {
        ScoringService.EventReport r = fx.service.handle("geocrop-features", "uploads/deleted-already.tif");
        assertEquals(ScoringService.EventOutcome.DUPLICATE, r.outcome());
        assertTrue(store.head(Bucket.RESULTS, "uploads/deleted-already.error.json").isEmpty());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
