package io.geocrop.scoring;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.UtmZone;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.PostgresTestSchema;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.InProcessS3;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's parts: PostgreSQL (row locks decide who counted the last tile) and S3. Four tiles of one job scored
 * at the same moment, each event delivered twice at once: the job is assembled exactly once, and its COG (big enough
 * for an overview) passes GDAL's COG validator.
 */
class ConcurrentLastTilesTest {
    @TempDir
    static Path dir;
    static PostgresTestSchema pg;
    static InProcessS3 s3;
    static S3ObjectStore store;
    static ScoringFixture fx;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresTestSchema.create("scoring", 12);
        s3 = InProcessS3.start("scoring", "scoring-secret");
        store = S3ObjectStore.create(s3.settings());
        store.ensureBuckets();
        fx = new ScoringFixture(JobStores.forDataSource(pg.dataSource()), store, dir.resolve("work"),
                FeatureGeoTiffCheck.Limits.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
        store.close();
        s3.close();
        pg.close();
    }

    @Test
    void concurrentLastTilesAssembleTheJobExactlyOnce() throws Exception {
        // A circle of 2.6 km centred on a tile corner: 2 x 2 tiles, a 520 px map (one overview).
        UtmZone zone = UtmZone.of(31.05, -17.83);
        double[] xy = zone.forward(31.05, -17.83);
        double cornerX = Math.round(xy[0] / ProcessingGrid.TILE_SIZE_M) * ProcessingGrid.TILE_SIZE_M + 3;
        double cornerY = Math.round(xy[1] / ProcessingGrid.TILE_SIZE_M) * ProcessingGrid.TILE_SIZE_M + 3;
        double[] centre = zone.inverse(cornerX, cornerY);
        Aoi aoi = new Aoi(centre[0], centre[1], 2600);
        Job job = fx.newJob(aoi);
        List<JobTile> tiles = ScoringFixture.tiles(job);
        assertEquals(4, tiles.size());
        List<String> keys = new ArrayList<>();
        for (JobTile t : tiles) {
            keys.add(fx.writeFeatures(job, t));
        }
        fx.published.clear();

        List<String> deliveries = new ArrayList<>(keys);
        deliveries.addAll(keys); // every event twice, at the same time: a redelivery racing the first delivery
        ExecutorService pool = Executors.newFixedThreadPool(deliveries.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ScoringService.EventReport>> results = new ArrayList<>();
        for (String key : deliveries) {
            results.add(pool.submit(() -> {
                go.await();
                return fx.service.handle("geocrop-features", key);
            }));
        }
        go.countDown();
        List<ScoringService.EventOutcome> outcomes = new ArrayList<>();
        for (Future<ScoringService.EventReport> f : results) {
            outcomes.add(f.get(10, TimeUnit.MINUTES).outcome());
        }
        pool.shutdown();

        Job done = fx.jobs.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, done.state(), String.valueOf(done.failureReason()));
        assertEquals(4, done.tilesScored());
        assertEquals(1, fx.published.size(), "exactly one job.completed: " + outcomes);
        assertFalse(outcomes.contains(ScoringService.EventOutcome.FAILED_JOB), outcomes.toString());

        Path cog = dir.resolve("crop-map.tif");
        Files.write(cog, fx.bytes(Bucket.RESULTS, ObjectKeys.resultCog(job.id())));
        GdalCli.assertValidCog(cog);
        JsonNode info = GdalCli.infoJson(cog, "-stats", "-hist");
        assertEquals(ProcessingGrid.plan(aoi).widthPx(), info.path("size").get(0).asInt());
        JsonNode overviews = info.path("bands").get(0).path("overviews");
        assertEquals(1, overviews.size(), info.path("bands").get(0).toString());
        // Mode overviews keep class codes: every value in the overview is a class of the full-resolution band.
        Path overview = dir.resolve("overview.tif");
        GdalCli.check("gdal_translate", "-q", "-b", "1", "-ovr", "0", cog.toString(), overview.toString());
        JsonNode ovInfo = GdalCli.infoJson(overview, "-stats", "-hist");
        JsonNode buckets = ovInfo.path("bands").get(0).path("histogram").path("buckets");
        for (int v = 12; v < buckets.size(); v++) {
            assertEquals(0, buckets.get(v).asLong(), "no blended class code " + v + " in the mode overview");
        }
        assertTrue(buckets.get(1).asLong() + buckets.get(5).asLong() > 0);
    }
}
