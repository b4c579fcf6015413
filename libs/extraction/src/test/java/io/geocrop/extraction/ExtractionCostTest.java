package io.geocrop.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.jobs.JdbcJobStore;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobCost;
import io.geocrop.jobs.JobStoreMigrations;
import io.geocrop.jobs.NewJob;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What extract-features records as a job's cost, checked against what the catalogue (the simulated DEA over HTTP)
 * counted on its side and what the object store holds: the same requests and bytes, exactly.
 */
class ExtractionCostTest {
    @TempDir
    Path root;

    @Test
    void planningAndEachTileRecordTheCatalogueTrafficTheServerSawAndTheBytesWritten() throws Exception {
        JdbcConnectionPool db = JdbcConnectionPool.create("jdbc:h2:mem:extraction_cost_"
                + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (SimulatedDeaServer dea = SimulatedDeaServer.start(new SimulatedDea(root.resolve("dea"), 7));
             StacImagerySource imagery = new StacImagerySource(StacSettings.defaults().toBuilder()
                     .endpoint(dea.stacUri()).allowedApiHosts(StacSettings.LOOPBACK)
                     .allowedAssetHosts(StacSettings.LOOPBACK).build())) {
            JobStoreMigrations.migrate(db);
            JdbcJobStore jobs = new JdbcJobStore(db);
            LocalObjectStore store = new LocalObjectStore(root.resolve("store"), ObjectCreatedListener.NONE);
            store.ensureBuckets();
            double lon = 31.05;
            while (io.geocrop.domain.ProcessingGrid.plan(new Aoi(lon, -17.83, 150)).tiles().size() < 2) {
                lon += 0.0005; // two tiles, so the extraction stage sums units
            }
            Job job = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(lon, -17.83, 150),
                    new Season(2024)), "test@champion", null)).job();
            List<CloudEvent> published = new ArrayList<>();

            dea.resetStats();
            new JobPlanner(jobs, imagery, published::add, Clock.systemUTC()).plan(new JobSubmittedV1(job.id(),
                    lon, -17.83, 150, 2024, job.modelRef(), Instant.now())).orElseThrow();
            SimulatedDeaServer.Stats searched = dea.stats();
            WorkCost planning = jobs.cost(job.id()).stages().get(CostStage.PLANNING).cost();
            assertEquals(searched.requests(), planning.catalogueRequests(), "the search's pages");
            assertEquals(searched.bodyBytesSent(), planning.catalogueBytes());
            assertEquals(0, planning.bytesWritten());
            assertTrue(planning.cpuNanos() > 0);

            dea.resetStats();
            TileExtraction extraction = new TileExtraction(jobs, store,
                    new FeaturePipeline(new SeasonReader(imagery, 4), 2), root.resolve("work"),
                    ExtractionBudget.of(Runtime.getRuntime().maxMemory(), TileMemory.jobTile(55, 64, 4), 2));
            long written = 0;
            for (CloudEvent e : published) {
                TileRequestedV1 tile = GeoCropEvents.data(e, TileRequestedV1.class);
                extraction.extract(tile);
                written += store.head(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), tile.tileId())).orElseThrow()
                        .size();
                extraction.extract(tile); // a redelivery: already done, records nothing more
            }
            SimulatedDeaServer.Stats read = dea.stats();
            JobCost cost = jobs.cost(job.id());
            JobCost.Stage extracted = cost.stages().get(CostStage.EXTRACTION);
            assertEquals(published.size(), extracted.units(), "one unit per tile");
            assertTrue(read.assetRequests() > 0);
            assertEquals(read.requests(), extracted.cost().catalogueRequests(), "every COG range request, counted once");
            assertEquals(read.bodyBytesSent(), extracted.cost().catalogueBytes());
            assertEquals(written, extracted.cost().bytesWritten(), "the feature GeoTIFFs' sizes");
            assertTrue(extracted.cost().cpuNanos() > planning.cpuNanos(), cost.toString());
        } finally {
            db.dispose();
        }
    }
}
