package io.geocrop.scoring;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobCompletedV1;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.features.FeatureOrder;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.models.TestModels;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs through {@link ScoringService} on embedded parts (H2, local storage, the bucket registry, the small real
 * model): the last tile assembles a COG that GDAL's validator accepts, with the provenance metadata, a summary and a
 * preview; redelivered events change nothing; a crash in the middle of the assembly is healed by the next delivery;
 * a job whose tiles cannot be scored fails with a reason a person can read.
 */
class JobScoringTest {
    @TempDir
    static Path dir;
    static JdbcConnectionPool db;
    static JobStore jobs;
    static LocalObjectStore store;
    static ScoringFixture fx;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        db = JdbcConnectionPool.create("jdbc:h2:mem:scoring_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        jobs = JobStores.forDataSource(db);
        store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
        fx = new ScoringFixture(jobs, store, dir.resolve("work"), FeatureGeoTiffCheck.Limits.defaults());
    }

    @AfterAll
    static void stop() {
        fx.close();
        db.dispose();
    }

    @Test
    void theLastTileAssemblesAValidCogAndRedeliveriesChangeNothing() throws Exception {
        Aoi aoi = ScoringFixture.aoiAcrossTiles(40, 300);
        Job job = fx.newJob(aoi);
        List<JobTile> tiles = ScoringFixture.tiles(job);
        assertEquals(2, tiles.size(), "the AOI straddles a tile boundary");
        List<String> keys = new ArrayList<>();
        for (JobTile t : tiles) {
            keys.add(fx.writeFeatures(job, t));
        }
        fx.published.clear();

        ScoringService.EventReport first = fx.service.handle("geocrop-features", keys.get(0));
        assertEquals(ScoringService.EventOutcome.SCORED, first.outcome(), first.detail());
        Job midway = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.SCORING, midway.state(), "the first scored tile moves the job to SCORING");
        assertEquals(1, midway.tilesScored());
        assertTrue(fx.published.isEmpty());

        ScoringService.EventReport last = fx.service.handle("geocrop-features", keys.get(1));
        assertEquals(ScoringService.EventOutcome.SCORED, last.outcome(), last.detail());
        Job done = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
        assertEquals(Map.of("cog", "results/" + job.id() + "/crop-map.tif", "summary", "results/" + job.id()
                + "/summary.json", "preview", "results/" + job.id() + "/preview.png"), done.results());
        assertEquals(1, fx.published.size());
        CloudEvent completed = fx.published.get(0);
        assertEquals(EventType.JOB_COMPLETED.type(), completed.getType());
        JobCompletedV1 data = GeoCropEvents.data(completed, JobCompletedV1.class);
        assertEquals(ObjectKeys.resultCog(job.id()), data.resultKey());
        assertEquals(done.results(), data.results());

        Path cog = dir.resolve("crop-map-" + job.id() + ".tif");
        byte[] cogBytes = fx.bytes(Bucket.RESULTS, ObjectKeys.resultCog(job.id()));
        Files.write(cog, cogBytes);
        GdalCli.assertValidCog(cog);

        ProcessingGrid.JobPlan plan = ProcessingGrid.plan(aoi);
        JsonNode info = GdalCli.infoJson(cog, "-stats", "-hist");
        assertEquals(plan.widthPx(), info.path("size").get(0).asInt());
        assertEquals(plan.heightPx(), info.path("size").get(1).asInt());
        assertEquals(plan.minX(), info.path("geoTransform").get(0).asDouble(), 1e-6);
        assertEquals(plan.maxY(), info.path("geoTransform").get(3).asDouble(), 1e-6);
        assertTrue(info.path("coordinateSystem").path("wkt").asText().contains("EPSG\",32736"));
        JsonNode band1 = info.path("bands").get(0);
        assertEquals("class", band1.path("description").asText());
        assertEquals(0, band1.path("noDataValue").asInt());
        assertEquals("Palette", band1.path("colorInterpretation").asText());
        assertEquals(256, band1.path("colorTable").path("count").asInt());
        assertEquals("confidence", info.path("bands").get(1).path("description").asText());
        assertEquals("DEFLATE", info.path("metadata").path("IMAGE_STRUCTURE").path("COMPRESSION").asText());
        JsonNode meta = info.path("metadata").path("");
        assertEquals(ScoringFixture.MODEL, meta.path(ResultTiles.MODEL_NAME).asText());
        assertEquals(fx.models.card().orElseThrow().version(), meta.path(ResultTiles.MODEL_VERSION).asText());
        assertEquals(FeatureOrder.HASH_V1, meta.path(FeatureGeoTiff.FEATURE_ORDER_HASH).asText());
        assertEquals("2024-09-01", meta.path(ResultTiles.SEASON_START).asText());
        assertEquals("2025-05-31", meta.path(ResultTiles.SEASON_END).asText());
        assertEquals(aoi.lon(), meta.path(ResultTiles.AOI_LON).asDouble(), 0);
        assertEquals(aoi.lat(), meta.path(ResultTiles.AOI_LAT).asDouble(), 0);
        assertEquals(300, meta.path(ResultTiles.AOI_RADIUS_M).asDouble(), 0);
        assertEquals(String.join(",", ScoringFixture.ITEMS), meta.path(FeatureGeoTiff.ITEMS).asText());
        assertEquals(job.id().toString(), meta.path(FeatureGeoTiff.JOB_ID).asText());

        // Clipped to the circle: the envelope's corners are outside it, the centre inside.
        assertEquals(List.of(0, 0), GdalCli.valuesAt(cog, 0, 0));
        assertEquals(List.of(0, 0), GdalCli.valuesAt(cog, plan.widthPx() - 1, plan.heightPx() - 1));
        int cx = plan.widthPx() / 2;
        int cy = plan.heightPx() / 2;
        List<Integer> centre = GdalCli.valuesAt(cog, cx, cy);
        JobTile centreTile = tiles.stream().filter(t -> t.minX() <= plan.minX() + (cx + 0.5) * 10
                && plan.minX() + (cx + 0.5) * 10 < t.maxX()).findFirst().orElseThrow();
        int tx = (int) Math.floor((plan.minX() + (cx + 0.5) * 10 - centreTile.minX()) / 10);
        int ty = (int) Math.floor((centreTile.maxY() - (plan.maxY() - (cy + 0.5) * 10)) / 10);
        assertEquals(TestFeatures.expectedClass(tx, ty), centre.get(0), "the mosaic puts each tile's pixels in place");
        assertTrue(centre.get(1) > 0 && centre.get(1) <= 100);
        assertTrue(band1.path("overviews").isEmpty(), "a " + plan.widthPx() + " px map fits one COG tile");

        JsonNode summary = JSON.readTree(fx.bytes(Bucket.RESULTS, JobAssembler.summaryKey(job.id())));
        assertEquals(job.id().toString(), summary.path("job_id").asText());
        assertEquals(ScoringFixture.MODEL, summary.path("model").path("name").asText());
        assertTrue(summary.path("model").path("synthetic").asBoolean());
        assertEquals(100, summary.path("pixel_area_m2").asInt());
        assertEquals(FeatureOrder.HASH_V1, summary.path("feature_order_hash").asText());
        assertEquals("2024-09-01", summary.path("season").path("start").asText());
        assertEquals(300, summary.path("aoi").path("radius_m").asDouble(), 0);
        // The job's cost: each tile's scoring and the assembly recorded; written bytes are the objects' sizes.
        io.geocrop.jobs.JobCost cost = jobs.cost(job.id());
        assertEquals(tiles.size(), cost.stages().get(io.geocrop.domain.cost.CostStage.SCORING).units());
        long resultTileBytes = 0;
        for (JobTile t : tiles) {
            resultTileBytes += fx.bytes(Bucket.RESULTS, io.geocrop.storage.ObjectKeys.resultTile(job.id(), t.id())).length;
            // The tile's drift histogram is written within its scoring too, when the model records a distribution.
            if (fx.store.head(Bucket.RESULTS, JobDrift.tileKey(job.id(), t.id())).isPresent()) {
                resultTileBytes += fx.bytes(Bucket.RESULTS, JobDrift.tileKey(job.id(), t.id())).length;
            }
        }
        assertEquals(resultTileBytes, cost.stages().get(io.geocrop.domain.cost.CostStage.SCORING).cost().bytesWritten());
        assertTrue(cost.stages().get(io.geocrop.domain.cost.CostStage.ASSEMBLY).cost().bytesWritten()
                > fx.bytes(Bucket.RESULTS, JobAssembler.summaryKey(job.id())).length, "map, preview and summary");
        assertEquals(tiles.size(), summary.at("/cost/stages/0/units").asInt(), "summary.json: the scoring stage first");
        assertEquals("assembly", summary.at("/cost/stages/1/stage").asText());
        assertEquals(Math.PI * 0.09, summary.at("/cost/aoi_km2").asDouble(), 1e-4);
        assertTrue(summary.at("/cost/total/cpu_seconds").asDouble() > 0);
        long pixels = 0;
        int previousCode = 0;
        for (JsonNode c : summary.path("classes")) {
            assertTrue(c.path("code").asInt() > previousCode, "sorted by code, no empty classes");
            previousCode = c.path("code").asInt();
            assertTrue(c.path("pixels").asLong() > 0);
            assertEquals(c.path("pixels").asLong() / 100.0, c.path("hectares").asDouble(), 1e-9);
            pixels += c.path("pixels").asLong();
        }
        // pi r^2 of a 300 m circle is 28.27 ha: the classified pixels are the circle.
        assertEquals(Math.PI * 300 * 300 / 10_000, summary.path("total_hectares").asDouble(), 0.3);
        assertEquals(pixels / 100.0, summary.path("total_hectares").asDouble(), 1e-9);
        // The same count, straight from the COG's class band histogram as GDAL computes it.
        assertEquals(pixels, classifiedPixels(band1));

        // Error-adjusted areas from the model's held-out confusion matrix, computed independently here.
        JsonNode estimate = summary.path("area_estimate");
        assertTrue(estimate.path("available").asBoolean(), estimate.toString());
        assertEquals("assumes the model's held-out error rates hold in this area", estimate.path("assumption").asText());
        io.geocrop.models.ModelCard card = fx.registry.card(ScoringFixture.MODEL, "champion").orElseThrow();
        double[] mapped = new double[card.classCodes().size()];
        for (JsonNode c : summary.path("classes")) {
            mapped[card.classCodes().indexOf(c.path("code").asInt())] = c.path("hectares").asDouble();
        }
        io.geocrop.models.AreaEstimator.Estimate expected = io.geocrop.models.AreaEstimator.fromHeldOut(
                card.classCodes(), card.heldOutConfusionArray(), mapped);
        assertEquals(expected.classes().size(), estimate.path("classes").size());
        double adjustedTotal = 0;
        for (int i = 0; i < expected.classes().size(); i++) {
            JsonNode row = estimate.path("classes").get(i);
            io.geocrop.models.AreaEstimator.ClassEstimate e = expected.classes().get(i);
            assertEquals(e.code(), row.path("code").asInt());
            assertEquals(e.mapped(), row.path("mapped_hectares").asDouble(), 0.005);
            assertEquals(e.adjusted(), row.path("adjusted_hectares").asDouble(), 0.005);
            assertEquals(e.halfWidth95(), row.path("ci95_hectares").asDouble(), 0.005);
            adjustedTotal += e.adjusted();
        }
        assertEquals(pixels / 100.0, adjustedTotal, 1e-6, "adjusted areas redistribute the mapped total");

        Path preview = dir.resolve("preview-" + job.id() + ".png");
        Files.write(preview, fx.bytes(Bucket.RESULTS, JobAssembler.previewKey(job.id())));
        JsonNode png = GdalCli.infoJson(preview, "-stats", "-hist");
        assertEquals("PNG", png.path("driverShortName").asText());
        assertEquals(plan.widthPx(), png.path("size").get(0).asInt(), "small maps are previewed at full size");

        // Every event again: same objects, same counts, no second completion.
        byte[] summaryBytes = fx.bytes(Bucket.RESULTS, JobAssembler.summaryKey(job.id()));
        byte[] tile0 = fx.bytes(Bucket.RESULTS, ObjectKeys.resultTile(job.id(), tiles.get(0).id()));
        for (String key : keys) {
            assertEquals(ScoringService.EventOutcome.DUPLICATE, fx.service.handle("geocrop-features", key).outcome());
        }
        Job after = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, after.state());
        assertEquals(2, after.tilesScored());
        assertEquals(done.version(), after.version(), "the job record is untouched");
        assertEquals(1, fx.published.size());
        assertArrayEquals(cogBytes, fx.bytes(Bucket.RESULTS, ObjectKeys.resultCog(job.id())));
        assertArrayEquals(summaryBytes, fx.bytes(Bucket.RESULTS, JobAssembler.summaryKey(job.id())));
        assertArrayEquals(tile0, fx.bytes(Bucket.RESULTS, ObjectKeys.resultTile(job.id(), tiles.get(0).id())));
    }

    private static long classifiedPixels(JsonNode band) {
        JsonNode buckets = band.path("histogram").path("buckets");
        long n = 0;
        // gdalinfo -hist on a Byte band: 256 buckets from -0.5 to 255.5, one per value; bucket 0 is nodata.
        for (int v = 1; v < buckets.size(); v++) {
            n += buckets.get(v).asLong();
        }
        return n;
    }

    @Test
    void aCrashInTheMiddleOfTheAssemblyIsHealedByTheNextDeliveryWithTheSameBytes() throws Exception {
        Path captured = dir.resolve("captured-crop-map.tif");
        CrashingStore crashing = new CrashingStore(store, "crop-map.tif", captured, 1);
        try (ScoringFixture crashy = new ScoringFixture(jobs, crashing, dir.resolve("work-crash"),
                FeatureGeoTiffCheck.Limits.defaults())) {
            Job job = crashy.newJob(ScoringFixture.aoiAcrossTiles(-60, 250));
            List<JobTile> tiles = ScoringFixture.tiles(job);
            List<String> keys = new ArrayList<>();
            for (JobTile t : tiles) {
                keys.add(crashy.writeFeatures(job, t));
            }
            for (int i = 0; i < keys.size() - 1; i++) {
                assertEquals(ScoringService.EventOutcome.SCORED, crashy.service.handle("geocrop-features", keys.get(i)).outcome());
            }
            String lastKey = keys.get(keys.size() - 1);
            assertThrows(StorageException.class, () -> crashy.service.handle("geocrop-features", lastKey),
                    "the crash surfaces, so the broker redelivers");
            Job stuck = jobs.find(job.id()).orElseThrow();
            assertEquals(JobState.ASSEMBLING, stuck.state());
            assertEquals(stuck.tilesTotal(), stuck.tilesScored());
            assertTrue(crashy.published.isEmpty());

            // Redelivery of any tile's event: the job is assembled again and completes.
            ScoringService.EventReport again = crashy.service.handle("geocrop-features", keys.get(0));
            assertEquals(ScoringService.EventOutcome.DUPLICATE, again.outcome(), again.detail());
            Job healed = jobs.find(job.id()).orElseThrow();
            assertEquals(JobState.COMPLETED, healed.state(), String.valueOf(healed.failureReason()));
            assertEquals(1, crashy.published.size());
            assertArrayEquals(Files.readAllBytes(captured), crashy.bytes(Bucket.RESULTS, ObjectKeys.resultCog(job.id())),
                    "the second assembly wrote exactly what the first one had built");
        }
    }

    @Test
    void aProcessKilledRightAfterCountingTheLastTileIsHealedByTheNextDelivery() throws Exception {
        Job job = fx.newJob(ScoringFixture.aoiAcrossTiles(2500, 150));
        JobTile tile = ScoringFixture.tiles(job).get(0);
        assertEquals(1, ScoringFixture.tiles(job).size());
        String key = fx.writeFeatures(job, tile);
        // What the first delivery got done before the process died: result written, job SCORING, tile counted.
        try (CheckedFeatureGeoTiff features = new FeatureGeoTiffCheck(store, FeatureGeoTiffCheck.Limits.defaults())
                .open(Bucket.FEATURES, key, FeatureOrder.HASH_V1)) {
            new TileScorer(store, dir.resolve("work")).score(features, fx.models.classifier(), Bucket.RESULTS,
                    ObjectKeys.resultTile(job.id(), tile.id()), Map.of());
        }
        jobs.transition(job.id(), JobState.SCORING);
        assertTrue(jobs.markTileScored(job.id(), tile.id()).completedJustNow());
        fx.published.clear();

        ScoringService.EventReport redelivered = fx.service.handle("geocrop-features", key);
        assertEquals(ScoringService.EventOutcome.DUPLICATE, redelivered.outcome(), redelivered.detail());
        assertEquals(JobState.COMPLETED, jobs.find(job.id()).orElseThrow().state());
        assertEquals(1, fx.published.size());
    }

    @Test
    void aJobTileThatIsNotAFeatureGeoTiffFailsTheJobWithTheReason() throws Exception {
        Job job = fx.newJob(ScoringFixture.aoiAcrossTiles(2000, 200));
        JobTile tile = ScoringFixture.tiles(job).get(0);
        Path bad = dir.resolve("three-bands.tif");
        RasterMetadata meta = new RasterMetadata(512, 512, 3, SampleType.FLOAT32,
                GeoTransform.northUp(tile.minX(), tile.maxY(), 10, 10), tile.epsg(), null, List.of(), List.of(), List.of(),
                Map.of(), null);
        CogWriter.write(bad, meta, Raster.allocate(512, 512, 3, SampleType.FLOAT32), TileScorer.writeOptions().toBuilder()
                .overviewResampling(List.of()).build());
        store.put(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), tile.id()), bad, null);

        ScoringService.EventReport r = fx.service.handle("geocrop-features", ObjectKeys.featureTile(job.id(), tile.id()));
        assertEquals(ScoringService.EventOutcome.FAILED_JOB, r.outcome());
        Job failed = jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().contains("Tile " + tile.id() + " cannot be scored")
                && failed.failureReason().contains("it has 3 bands; a feature GeoTIFF has 51"), failed.failureReason());
        // A straggler of the failed job is acknowledged, not scored.
        assertEquals(ScoringService.EventOutcome.IGNORED,
                fx.service.handle("geocrop-features", ObjectKeys.featureTile(job.id(), tile.id())).outcome());
    }

    @Test
    void withoutARegisteredModelTheJobFailsSayingHowToTrainOne() throws Exception {
        LocalObjectStore empty = new LocalObjectStore(dir.resolve("empty-store"), ObjectCreatedListener.NONE);
        empty.ensureBuckets();
        ModelProvider none = new ModelProvider(new io.geocrop.registry.ObjectStoreModelRegistry(empty),
                "geocrop-crop-type", "champion", a -> { throw new AssertionError("nothing to load"); });
        ScoringService service = new ScoringService(jobs, store, none,
                new FeatureGeoTiffCheck(store, FeatureGeoTiffCheck.Limits.defaults()), new TileScorer(store, dir),
                new JobAssembler(jobs, store, e -> { }, dir, java.time.Clock.systemUTC()));
        Job job = fx.newJob(ScoringFixture.aoiAcrossTiles(1500, 200));
        String key = fx.writeFeatures(job, ScoringFixture.tiles(job).get(0));
        assertEquals(ScoringService.EventOutcome.FAILED_JOB, service.handle("geocrop-features", key).outcome());
        String reason = jobs.find(job.id()).orElseThrow().failureReason();
        assertTrue(reason.contains("no model 'geocrop-crop-type' with alias 'champion' in")
                && reason.contains("train one with ./geocrop train"), reason);
        assertTrue(none.card().isEmpty());
    }

    @Test
    void objectsThatAreNotJobTilesOrUploadsAreIgnored() throws Exception {
        assertEquals(ScoringService.EventOutcome.IGNORED, fx.service.handle("geocrop-results", "results/x/crop-map.tif").outcome());
        assertEquals(ScoringService.EventOutcome.IGNORED, fx.service.handle("geocrop-features", "notes/readme.txt").outcome());
        assertEquals(ScoringService.EventOutcome.IGNORED, fx.service.handle("geocrop-features", "jobs/../uploads/x.tif").outcome());
        assertEquals(ScoringService.EventOutcome.IGNORED,
                fx.service.handle("geocrop-features", "jobs/" + UUID.randomUUID() + "/32736-1-2.tif").outcome(),
                "a tile of no known job");
        Job job = fx.newJob(ScoringFixture.aoiAcrossTiles(1000, 200));
        ScoringService.EventReport notPlanned = fx.service.handle("geocrop-features", "jobs/" + job.id() + "/32736-1-2.tif");
        assertEquals(ScoringService.EventOutcome.IGNORED, notPlanned.outcome());
        assertTrue(notPlanned.detail().contains("not one of job"), notPlanned.detail());
        assertEquals(JobState.EXTRACTING, jobs.find(job.id()).orElseThrow().state());
    }

    @Test
    void theModelIsLoadedOnceAndItsCardIsAvailableBeforeLoading() {
        assertEquals(ScoringFixture.MODEL, fx.models.card().orElseThrow().name());
        assertTrue(fx.models.classifier() == fx.models.classifier(), "one classifier per process");
        assertEquals(1, fx.loads.size(), "one load timed: " + fx.loads);
        assertTrue(!fx.loads.getFirst().isNegative());
        assertEquals(TestModels.small().card().featureOrderHash(), fx.models.card().orElseThrow().featureOrderHash());
    }
}
