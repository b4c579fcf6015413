package io.geocrop.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.models.DriftReport;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift through {@link ScoringService} and {@link JobAssembler} on embedded parts: each scored tile leaves its
 * histogram next to its result, the assembly sums them into {@code drift.json} and the summary's {@code drift} block and
 * tells the listener; a serving card without a training distribution gives "unavailable" with the reason.
 */
class JobDriftScoringTest {
    @TempDir
    Path dir;

    @Test
    void tileHistogramsAreSummedIntoTheJobsDrift() throws Exception {
        JdbcConnectionPool db = JdbcConnectionPool.create("jdbc:h2:mem:drift_" + UUID.randomUUID().toString()
                .replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
        try {
            JobStore jobs = JobStores.forDataSource(db);
            LocalObjectStore store = new LocalObjectStore(dir.resolve("store"), ObjectCreatedListener.NONE);
            store.ensureBuckets();
            try (ScoringFixture fx = new ScoringFixture(jobs, store, dir.resolve("work"),
                    FeatureGeoTiffCheck.Limits.defaults())) {
                assertNotNull(fx.models.card().orElseThrow().trainingDistribution(), "XgbTrainer records it");
                Map<UUID, DriftReport> heard = new ConcurrentHashMap<>();
                JobDrift drift = new JobDrift(store, fx.models::card, heard::put);
                ScoringService service = new ScoringService(jobs, store, fx.models,
                        new FeatureGeoTiffCheck(store, FeatureGeoTiffCheck.Limits.defaults()), new TileScorer(store, fx.work),
                        new JobAssembler(jobs, store, e -> { }, fx.work, Clock.systemUTC(), drift));
                Job job = fx.newJob(ScoringFixture.aoiAcrossTiles(40, 300));
                List<JobTile> tiles = ScoringFixture.tiles(job);
                assertEquals(2, tiles.size());
                List<String> keys = new ArrayList<>();
                for (JobTile t : tiles) {
                    keys.add(fx.writeFeatures(job, t));
                }
                for (String key : keys) {
                    service.handle("geocrop-features", key);
                }
                assertEquals(JobState.COMPLETED, jobs.find(job.id()).orElseThrow().state());
                long tilePixels = 0;
                ObjectMapper json = new ObjectMapper();
                for (JobTile t : tiles) {
                    JsonNode h = json.readTree(fx.bytes(Bucket.RESULTS, JobDrift.tileKey(job.id(), t.id())));
                    assertEquals(51, h.get("counts").size());
                    tilePixels += h.get("pixels").asLong();
                }
                JsonNode summary = json.readTree(fx.bytes(Bucket.RESULTS, JobAssembler.summaryKey(job.id())));
                JsonNode block = summary.get("drift");
                assertTrue(block.get("available").asBoolean(), block.toString());
                assertEquals(tilePixels, block.get("pixels").asLong(), "the job's histogram is the sum of its tiles'");
                assertEquals(2, block.get("tiles_with_histogram").asInt());
                assertEquals(51, block.get("psi").size());
                assertTrue(block.get("words").asText().startsWith("This area's"), block.toString());
                assertEquals(block, json.readTree(fx.bytes(Bucket.RESULTS, JobDrift.jobKey(job.id()))));
                assertEquals(block.get("score").asDouble(), heard.get(job.id()).score(), 1e-4);

                // A serving card without a training distribution: unavailable, with the reason.
                JobDrift older = new JobDrift(store, () -> fx.models.card().map(c -> c.withTrainingDistribution(null)),
                        (id, r) -> { });
                JobDrift.Report none = older.report(job.id(), tiles.stream().map(JobTile::id).toList(), null);
                assertFalse(none.drift().available());
                assertEquals("Drift unavailable: the model card has no training distribution.",
                        none.toJson().get("words").asText());
                assertEquals(Optional.empty(), Optional.ofNullable(none.toJson().get("psi")));
            }
        } finally {
            db.dispose();
        }
    }
}
