package io.geocrop.scoring;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.CompiledPixelClassifier;
import io.geocrop.models.OnnxPixelClassifier;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.ScoringRuntime;
import io.geocrop.models.TestModels;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.InProcessS3;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.S3ObjectStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A feature tile written by {@link FeatureGeoTiff} scored with a real (small) ONNX model, on the local store and on S3:
 * the classes are the ones the pattern encodes, the result is a GeoTIFF GDAL reads with two bands, the class colour
 * table and the provenance metadata, and scoring twice writes the same bytes.
 */
class TileScorerTest {
    @TempDir
    static Path dir;
    static InProcessS3 s3;
    static LocalObjectStore local;
    static S3ObjectStore remote;
    static PixelClassifier model;

    @BeforeAll
    static void start() throws Exception {
        s3 = InProcessS3.start("scoring", "scoring-secret");
        remote = S3ObjectStore.create(s3.settings());
        remote.ensureBuckets();
        local = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
        local.ensureBuckets();
        model = OnnxPixelClassifier.load(TestModels.small(), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        model.close();
        remote.close();
        s3.close();
    }

    static Stream<ObjectStore> stores() {
        return Stream.of(local, remote);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aFeatureTileIsScoredIntoATwoBandClassAndConfidenceGeoTiff(ObjectStore store) throws Exception {
        JobTile tile = new JobTile(32736, 63, 1567);
        String key = "jobs/00000000-0000-0000-0000-000000000001/" + tile.id() + ".tif";
        // Written by the writer extract-features uses (DEFLATE + floating-point predictor).
        Path written = TestFeatures.write(dir, "00000000-0000-0000-0000-000000000001", tile, List.of("S2A_1", "S2B_2"));
        store.put(Bucket.FEATURES, key, written, null);
        FeatureGeoTiffCheck check = new FeatureGeoTiffCheck(store, FeatureGeoTiffCheck.Limits.defaults());
        List<TileScorer.Scored> told = new java.util.ArrayList<>();
        TileScorer scorer = new TileScorer(store, dir.resolve("work"), told::add);
        String out = "results/00000000-0000-0000-0000-000000000001/tiles/" + tile.id() + ".tif";
        TileScorer.Scored scored;
        try (CheckedFeatureGeoTiff features = check.open(Bucket.FEATURES, key, model.card().featureOrderHash())) {
            scored = scorer.score(features, model, Bucket.RESULTS, out, Map.of());
        }
        assertEquals(List.of(scored), told, "the listener (score-tile's metrics) hears of each result written");
        assertEquals(512L * 512, scored.pixels());
        assertEquals(512L * 512 - 64 * 64, scored.scoredPixels(), "every pixel but the NaN block gets a class");

        try (GeoTiff result = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.RESULTS, out))) {
            Raster r = result.read(new RasterWindow(0, 0, 512, 512));
            int wrong = 0;
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    int cls = r.bytes(0)[y * 512 + x] & 0xff;
                    int conf = r.bytes(1)[y * 512 + x] & 0xff;
                    if (cls != TestFeatures.expectedClass(x, y)) {
                        wrong++;
                    }
                    assertTrue(conf <= 100, "confidence is a percentage");
                    assertEquals(cls == 0, conf == 0, "confidence is nodata exactly where the class is");
                }
            }
            assertEquals(0, wrong, "prototype rows are classified as their class");
            Map<String, String> meta = result.metadata().metadata();
            assertEquals(TestModels.SMALL_NAME, meta.get(ResultTiles.MODEL_NAME));
            assertEquals("1", meta.get(ResultTiles.MODEL_VERSION));
            assertEquals(FeatureOrder.HASH_V1, meta.get(FeatureGeoTiff.FEATURE_ORDER_HASH));
            assertEquals(tile.id(), meta.get(FeatureGeoTiff.TILE_ID));
            assertEquals("S2A_1,S2B_2", meta.get(FeatureGeoTiff.ITEMS));
        }

        Path file = dir.resolve("result-" + store.getClass().getSimpleName() + ".tif");
        byte[] first = bytes(store, out);
        Files.write(file, first);
        JsonNode info = GdalCli.infoJson(file, "-stats", "-hist");
        assertEquals(2, info.path("bands").size());
        assertEquals(List.of(512, 512), List.of(info.path("size").get(0).asInt(), info.path("size").get(1).asInt()));
        JsonNode band1 = info.path("bands").get(0);
        assertEquals("Byte", band1.path("type").asText());
        assertEquals("class", band1.path("description").asText());
        assertEquals(0, band1.path("noDataValue").asInt());
        assertEquals("Palette", band1.path("colorInterpretation").asText());
        JsonNode maize = band1.path("colorTable").path("entries").get(CropClass.MAIZE.code());
        assertEquals(List.of(0xF2, 0xC1, 0x2E), List.of(maize.get(0).asInt(), maize.get(1).asInt(), maize.get(2).asInt()));
        assertEquals("confidence", info.path("bands").get(1).path("description").asText());
        assertTrue(info.path("coordinateSystem").path("wkt").asText().contains("UTM zone 36S"),
                info.path("coordinateSystem").path("wkt").asText());
        assertEquals(TestModels.SMALL_NAME, info.path("metadata").path("").path(ResultTiles.MODEL_NAME).asText());
        assertEquals(List.of(630 * 5120.0, 1568 * 5120.0), List.of(info.path("geoTransform").get(0).asDouble() * 10,
                info.path("geoTransform").get(3).asDouble()), "same grid as the feature tile");
        assertEquals(List.of(TestFeatures.expectedClass(300, 200)), GdalCli.valuesAt(file, 300, 200).subList(0, 1));

        // Same input, same model: the same bytes (what makes a redelivered event harmless).
        try (CheckedFeatureGeoTiff features = check.open(Bucket.FEATURES, key, model.card().featureOrderHash())) {
            scorer.score(features, model, Bucket.RESULTS, out, Map.of());
        }
        assertArrayEquals(first, bytes(store, out));

        // The production runtime (geocrop.scoring.runtime = compiled, two threads) writes the very same tile.
        try (PixelClassifier compiled = ClassifierLoader.of(ScoringRuntime.COMPILED, 2).load(TestModels.small());
             CheckedFeatureGeoTiff features = check.open(Bucket.FEATURES, key, model.card().featureOrderHash())) {
            assertInstanceOf(CompiledPixelClassifier.class, compiled);
            scorer.score(features, compiled, Bucket.RESULTS, out, Map.of());
        }
        assertArrayEquals(first, bytes(store, out), "compiled and ONNX Runtime classifiers write the same bytes");
    }

    static byte[] bytes(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.get(Bucket.RESULTS, key).orElseThrow()) {
            return in.readAllBytes();
        }
    }
}
