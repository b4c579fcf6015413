package io.geocrop.extraction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.features.FeatureOrder;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JdbcJobStore;
import io.geocrop.jobs.JobStoreMigrations;
import io.geocrop.jobs.NewJob;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * extract-features' logic end to end against real parts: the simulated DEA over HTTP, an H2 job store, a local
 * object store, GDAL checking the feature GeoTIFF.
 */
class ExtractionTest {
    @TempDir
    static Path root;
    static SimulatedDeaServer dea;
    static StacImagerySource imagery;
    static JdbcConnectionPool db;
    static JdbcJobStore jobs;
    static LocalObjectStore store;
    static final List<CloudEvent> published = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dea = SimulatedDeaServer.start(new SimulatedDea(root.resolve("dea"), 7));
        imagery = new StacImagerySource(StacSettings.defaults().toBuilder().endpoint(dea.stacUri())
                .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK).build());
        db = JdbcConnectionPool.create("jdbc:h2:mem:extraction_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        JobStoreMigrations.migrate(db);
        jobs = new JdbcJobStore(db);
        store = new LocalObjectStore(root.resolve("store"), ObjectCreatedListener.NONE);
        store.ensureBuckets();
    }

    @AfterAll
    static void stop() {
        imagery.close();
        dea.close();
        db.dispose();
    }

    static Job submit(double lon, double lat, double radius, int year) {
        NewJob job = new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(lon, lat, radius), new Season(year)),
                "test@champion", null);
        return jobs.submit(job).job();
    }

    static JobSubmittedV1 event(Job job) {
        return new JobSubmittedV1(job.id(), job.aoi().lon(), job.aoi().lat(), job.aoi().radiusM(), job.year(),
                job.modelRef(), Instant.now());
    }

    @Test
    void aTileBeingReadRecordsItsJobsProgressAtMostOncePerInterval() {
        Job job = submit(31.05, -17.83, 300, 2024);
        long before = jobs.find(job.id()).orElseThrow().version();
        TileExtraction.ProgressBeat hourly = new TileExtraction.ProgressBeat(jobs, job.id(), Duration.ofHours(1));
        for (int day = 0; day < 10; day++) {
            hourly.dayRead();
        }
        assertEquals(before, jobs.find(job.id()).orElseThrow().version(), "nothing recorded before the interval");
        TileExtraction.ProgressBeat always = new TileExtraction.ProgressBeat(jobs, job.id(), Duration.ZERO);
        for (int day = 0; day < 3; day++) {
            always.dayRead();
        }
        assertEquals(before + 3, jobs.find(job.id()).orElseThrow().version(), "one record per day once due");
        jobs.fail(job.id(), "stopped");
        new TileExtraction.ProgressBeat(jobs, UUID.randomUUID(), Duration.ZERO).dayRead(); // unknown job: logged only
    }

    @Test
    void aJobIsPlannedFromItsSeasonAndOneTileBecomesAValidFeatureGeoTiff() throws Exception {
        Job job = submit(31.05, -17.83, 300, 2024);
        published.clear();
        JobPlanner planner = new JobPlanner(jobs, imagery, published::add, Clock.systemUTC());
        JobPlanner.PlannedJob outcome = planner.plan(event(job)).orElseThrow();
        assertEquals(JobState.EXTRACTING, outcome.job().state());
        assertFalse(outcome.itemIds().isEmpty());
        assertEquals(outcome.itemIds(), jobs.imagery(job.id()), "the manifest is kept with the job");
        assertEquals(outcome.tileIds().size(), outcome.job().tilesTotal());
        assertEquals(outcome.tileIds().size(), published.size(), "one event per tile");
        CloudEvent first = published.get(0);
        assertEquals(EventType.TILE_REQUESTED.type(), first.getType());
        TileRequestedV1 tile = GeoCropEvents.data(first, TileRequestedV1.class);
        assertEquals(outcome.itemIds(), tile.itemIds());

        // Redelivered submission: same manifest, same tiles, same event ids.
        List<String> ids = published.stream().map(CloudEvent::getId).toList();
        published.clear();
        planner.plan(event(job));
        assertEquals(ids, published.stream().map(CloudEvent::getId).toList());

        TileExtraction extraction = new TileExtraction(jobs, store,
                new FeaturePipeline(new SeasonReader(imagery, 4), 2), root.resolve("work"), budget(2));
        assertEquals(TileExtraction.ExtractionOutcome.WRITTEN, extraction.extract(tile));
        assertEquals(TileExtraction.ExtractionOutcome.ALREADY_DONE, extraction.extract(tile), "idempotent per tile");
        assertEquals(1, jobs.find(job.id()).orElseThrow().tilesExtracted());

        // Every acquisition day read is reported (the heartbeat's clock), from the reading threads.
        AtomicInteger daysRead = new AtomicInteger();
        FeaturePipeline.Computed again = new FeaturePipeline(new SeasonReader(imagery, 4), 2).computeAndWrite(
                JobTile.parse(tile.tileId()), new Season(job.year()), ManifestImagery.items(jobs, tile),
                job.id().toString(), root.resolve("again.tif"), daysRead::incrementAndGet);
        assertEquals(again.acquisitions().size(), daysRead.get());

        Path file = root.resolve("feature.tif");
        try (InputStream in = store.get(Bucket.FEATURES, ObjectKeys.featureTile(job.id(), tile.tileId())).orElseThrow()) {
            Files.copy(in, file);
        }
        JsonNode info = new ObjectMapper().readTree(run("gdalinfo", "-json", "-stats", file.toString()));
        assertEquals(FeatureOrder.COUNT, info.get("bands").size());
        assertEquals("ndvi_mean", info.at("/bands/0/description").asText());
        assertEquals(FeatureOrder.FEATURE_ORDER_V1.get(50), info.at("/bands/50/description").asText());
        assertEquals(FeatureOrder.HASH_V1, info.at("/metadata//" + FeatureGeoTiff.FEATURE_ORDER_HASH).asText());
        assertEquals(tile.tileId(), info.at("/metadata//" + FeatureGeoTiff.TILE_ID).asText());
        assertTrue(info.at("/coordinateSystem/wkt").asText().contains("UTM zone 36S"));
        // NDVI mean over the tile: vegetation in a Zimbabwe season, not noise and not all nodata.
        double ndviMean = info.at("/bands/0/mean").asDouble();
        assertTrue(ndviMean > 0.1 && ndviMean < 0.9, "mean of ndvi_mean = " + ndviMean);
        double clear = info.at("/bands/50/mean").asDouble();
        assertTrue(clear > 0.2 && clear <= 1.0, "clear_fraction mean = " + clear);
        try (GeoTiff tiff = GeoTiffReader.open(new FileByteSource(file))) {
            assertEquals(512, tiff.metadata().width());
            assertTrue(Double.isNaN(tiff.metadata().nodata()));
        }
    }

    static ExtractionBudget budget(int tiles) {
        return ExtractionBudget.of(Runtime.getRuntime().maxMemory(), TileMemory.jobTile(55, 64, 4), tiles);
    }

    @Test
    void blockStreamedFeaturesAreTheWholeSeasonsFeaturesBitForBitAndTheSameCogBytes() throws Exception {
        JobTile tile = ProcessingGrid.plan(new Aoi(31.05, -17.83, 300)).tiles().getFirst();
        Season season = new Season(2024);
        List<StacItem> items = imagery.search(SeasonReader.footprint(tile), season);
        SeasonReader reader = new SeasonReader(imagery, 4);
        FeaturePipeline.Computed whole = new FeaturePipeline(reader, 2).computeWholeSeason(tile, season, items);
        assertTrue(whole.acquisitions().size() > 20, "a season of acquisitions: " + whole.acquisitions().size());
        Path spill = root.resolve("spill-parity");
        // 64 rows (the default: 8 blocks) and 100 rows (a short last block of 12), on 1 and 3 threads.
        for (int blockRows : new int[] {64, 100}) {
            for (int threads : new int[] {1, 3}) {
                FeaturePipeline.Computed blocks = new FeaturePipeline(reader, threads, blockRows, spill)
                        .compute(tile, season, items);
                assertEquals(whole.itemIds(), blocks.itemIds());
                for (int f = 0; f < FeatureOrder.COUNT; f++) {
                    assertArrayEquals(whole.features()[f], blocks.features()[f], FeatureOrder.FEATURE_ORDER_V1.get(f)
                            + " with blocks of " + blockRows + " rows on " + threads + " threads");
                }
            }
        }
        try (var left = Files.list(spill)) {
            assertEquals(0, left.count(), "every spill file deleted");
        }
        Path a = root.resolve("whole.tif");
        Path b = root.resolve("blocks.tif");
        FeatureGeoTiff.write(a, new FeatureGeoTiff.Provenance("parity", tile, 2024, whole.itemIds()), whole.features());
        new FeaturePipeline(reader, 2, 64, spill).computeAndWrite(tile, season, items, "parity", b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "the feature COGs are the same bytes");
    }

    @Test
    void runningOutOfMemoryFailsTheTileWithAReadableReasonAndLeavesNoFiles() throws Exception {
        Job job = submit(31.06, -17.84, 300, 2024);
        JobPlanner.PlannedJob outcome = new JobPlanner(jobs, imagery, e -> { }, Clock.systemUTC()).plan(event(job))
                .orElseThrow();
        TileRequestedV1 request = new TileRequestedV1(job.id(), outcome.tileIds().getFirst(), 2024,
                outcome.itemIds(), Instant.now());
        // The same catalogue, whose COG reads fail as an allocation does when the heap is exhausted.
        ImagerySource exhausted = new ImagerySource() {
            @Override
            public List<StacItem> search(LonLatBox box, Season season) {
                return imagery.search(box, season);
            }

            @Override
            public String describe() {
                return imagery.describe();
            }

            @Override
            public io.geocrop.raster.ByteSource open(io.geocrop.imagery.stac.StacAsset asset) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        Path work = root.resolve("work-oom");
        TileExtraction extraction = new TileExtraction(jobs, store,
                new FeaturePipeline(new SeasonReader(exhausted, 4), 2), work, budget(1));
        TileExtractionException e = assertThrows(TileExtractionException.class, () -> extraction.extract(request));
        assertEquals(request.tileId(), e.tileId());
        assertEquals(job.id(), e.jobId());
        assertTrue(e.reason().startsWith("the extraction ran out of memory (Java heap space); 1 tile(s) in flight"),
                e.reason());
        assertTrue(e.getMessage().contains(request.tileId()), e.getMessage());
        assertEquals(0, jobs.find(job.id()).orElseThrow().tilesExtracted(), "not counted");
        try (var left = Files.list(work)) {
            assertEquals(0, left.count(), "no feature or spill file left behind");
        }
        assertEquals(0, extraction.budget().waiting());
        // The permit came back: the next tile of a healthy process is extracted.
        TileExtraction healthy = new TileExtraction(jobs, store,
                new FeaturePipeline(new SeasonReader(imagery, 4), 2), work, extraction.budget());
        assertEquals(TileExtraction.ExtractionOutcome.WRITTEN, healthy.extract(request));
    }

    @Test
    void aMultiTileJobSearchesTheCatalogueOnceAndEveryTileReadsTheManifest() throws Exception {
        // Pages of 3 items, so the one search pages; the count below is of every search request, pages included.
        try (StacImagerySource paged = new StacImagerySource(StacSettings.defaults().toBuilder()
                .endpoint(dea.stacUri()).paging(3, 100, 10_000)
                .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK).build())) {
            // A small AOI on a tile edge near the first test's: two tiles, over scenes the simulated DEA has made.
            double lon = 31.05;
            while (io.geocrop.domain.ProcessingGrid.plan(new Aoi(lon, -17.83, 150)).tiles().size() < 2) {
                lon += 0.0005;
            }
            Job job = submit(lon, -17.83, 150, 2024);
            published.clear();
            dea.resetStats();
            JobPlanner.PlannedJob outcome = new JobPlanner(jobs, paged, published::add, Clock.systemUTC())
                    .plan(event(job)).orElseThrow();
            long pages = dea.stats().searchRequests();
            int items = outcome.itemIds().size();
            assertTrue(outcome.tileIds().size() > 1, "a multi-tile job: " + outcome.tileIds());
            assertEquals((items + 2) / 3, pages, "one search of " + items + " items, in pages of 3");

            TileExtraction extraction = new TileExtraction(jobs, store,
                    new FeaturePipeline(new SeasonReader(paged, 4), 2), root.resolve("work-multi"), budget(2));
            for (CloudEvent e : published) {
                assertEquals(TileExtraction.ExtractionOutcome.WRITTEN, extraction.extract(GeoCropEvents.data(e, TileRequestedV1.class)));
            }
            assertEquals(outcome.tileIds().size(), jobs.find(job.id()).orElseThrow().tilesExtracted());
            assertEquals(pages, dea.stats().searchRequests(), "no tile searched the catalogue");
            assertTrue(dea.stats().assetRequests() > 0, "the tiles read the items' COGs by their recorded hrefs");

            // A redelivered submission reads the stored plan and manifest: no search either.
            published.clear();
            new JobPlanner(jobs, paged, published::add, Clock.systemUTC()).plan(event(job));
            assertEquals(outcome.tileIds().size(), published.size());
            assertEquals(pages, dea.stats().searchRequests(), "a redelivery does not search again");
        }
    }

    @Test
    void aTileOfAJobPlannedWithoutItemDocumentsFailsTheJobWithAReadableReason() throws Exception {
        Job job = submit(31.05, -17.83, 300, 2024);
        jobs.recordImagery(job.id(), List.of("S2A_OLD"));
        jobs.planTiles(job.id(), List.of(io.geocrop.domain.ProcessingGrid.plan(job.aoi()).tiles().getFirst().id()));
        TileRequestedV1 request = new TileRequestedV1(job.id(), jobs.tiles(job.id()).getFirst().tileId(), 2024,
                List.of("S2A_OLD"), Instant.now());
        TileExtraction extraction = new TileExtraction(jobs, store,
                new FeaturePipeline(new SeasonReader(imagery, 4), 2), root.resolve("work-old"), budget(2));
        assertEquals(TileExtraction.ExtractionOutcome.JOB_FAILED, extraction.extract(request));
        String reason = jobs.find(job.id()).orElseThrow().failureReason();
        assertTrue(reason.contains("S2A_OLD") && reason.contains("without its document"), reason);
    }

    @Test
    void noImageryOrAFailingCatalogueFailsTheJobWithAReadableReason() throws Exception {
        // A real STAC endpoint that finds nothing, then one that answers 503 to everything.
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        boolean[] down = {false};
        server.createContext("/stac/search", exchange -> {
            byte[] body = down[0] ? "{\"code\":\"Unavailable\"}".getBytes(StandardCharsets.UTF_8)
                    : "{\"type\":\"FeatureCollection\",\"features\":[],\"links\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/geo+json");
            exchange.sendResponseHeaders(down[0] ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stac/");
        try (StacImagerySource catalogue = new StacImagerySource(StacSettings.defaults().toBuilder().endpoint(endpoint)
                .allowedApiHosts(StacSettings.LOOPBACK).allowedAssetHosts(StacSettings.LOOPBACK)
                .retries(2, Duration.ofMillis(5), Duration.ofMillis(10)).build())) {
            JobPlanner planner = new JobPlanner(jobs, catalogue, e -> { }, Clock.systemUTC());
            Job none = submit(29.5, -19.0, 500, 2023);
            Job failed = planner.plan(event(none)).orElseThrow().job();
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.failureReason().contains("No Sentinel-2 imagery covers this area between 2023-09-01 and 2024-05-31"),
                    failed.failureReason());

            down[0] = true;
            Job broken = submit(29.6, -19.1, 500, 2023);
            Job failed2 = planner.plan(event(broken)).orElseThrow().job();
            assertEquals(JobState.FAILED, failed2.state());
            assertTrue(failed2.failureReason().startsWith("The imagery catalogue could not be searched"), failed2.failureReason());
            assertTrue(failed2.failureReason().contains("503"), failed2.failureReason());
        } finally {
            server.stop(0);
        }
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
