package io.geocrop.scoring;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.domain.UtmZone;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.OnnxPixelClassifier;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real parts wired as score-tile wires them: a job store, an object store, the bucket model registry with the small
 * test model published as {@code champion}, and a publisher that keeps what it is given.
 */
final class ScoringFixture implements AutoCloseable {
    static final String MODEL = "geocrop-crop-type";
    static final List<String> ITEMS = List.of("S2A_36KVD_20240912_0_L2A", "S2B_36KVD_20241017_0_L2A");

    final JobStore jobs;
    final ObjectStore store;
    final Path work;
    final ObjectStoreModelRegistry registry;
    final ModelProvider models;
    final List<CloudEvent> published = new CopyOnWriteArrayList<>();
    /** How long each model load took, as score-tile's metrics hear it. */
    final List<java.time.Duration> loads = new CopyOnWriteArrayList<>();
    final ScoringService service;

    ScoringFixture(JobStore jobs, ObjectStore store, Path work, FeatureGeoTiffCheck.Limits limits) {
        this.jobs = jobs;
        this.store = store;
        this.work = work;
        this.registry = new ObjectStoreModelRegistry(store);
        if (registry.resolve(MODEL, "champion").isEmpty()) {
            registry.publish(renamed(TestModels.small(), MODEL), "champion");
        }
        this.models = new ModelProvider(registry, MODEL, "champion", a -> OnnxPixelClassifier.load(a, 1), loads::add);
        this.service = new ScoringService(jobs, store, models, new FeatureGeoTiffCheck(store, limits),
                new TileScorer(store, work), new JobAssembler(jobs, store, published::add, work, Clock.systemUTC()));
    }

    /** The same model under another registered name. */
    static ModelArtifact renamed(ModelArtifact a, String name) {
        ModelCard c = a.card();
        return new ModelArtifact(new ModelCard(name, c.version(), c.featureOrderHash(), c.featureNames(), c.classCodes(),
                c.trainingData(), c.metrics(), c.params(), c.seed(), c.synthetic(), c.createdAt(), c.heldOutConfusion(),
                c.trainingDistribution()),
                a.onnx());
    }

    /** A circle of {@code radius} around a point {@code dx} metres east of a tile column boundary, mid-tile in y. */
    static Aoi aoiAcrossTiles(double dx, double radius) {
        UtmZone zone = UtmZone.of(31.05, -17.83);
        double[] xy = zone.forward(31.05, -17.83);
        double boundary = Math.round(xy[0] / ProcessingGrid.TILE_SIZE_M) * ProcessingGrid.TILE_SIZE_M;
        double midY = (Math.floor(xy[1] / ProcessingGrid.TILE_SIZE_M) + 0.5) * ProcessingGrid.TILE_SIZE_M;
        double[] lonLat = zone.inverse(boundary + dx, midY);
        return new Aoi(lonLat[0], lonLat[1], radius);
    }

    /** A job as extract-features leaves it: imagery recorded, tiles planned, EXTRACTING. */
    Job newJob(Aoi aoi) {
        Job job = jobs.submit(new NewJob(UUID.randomUUID(), new JobRequest(aoi, new Season(2024)), MODEL + "@champion",
                null)).job();
        jobs.recordImagery(job.id(), ITEMS);
        jobs.planTiles(job.id(), tiles(job).stream().map(JobTile::id).toList());
        return jobs.transition(job.id(), JobState.EXTRACTING);
    }

    static List<JobTile> tiles(Job job) {
        return ProcessingGrid.plan(job.aoi()).tiles();
    }

    /** Writes the synthetic feature tile of {@code tile} where extract-features would, and returns its key. */
    String writeFeatures(Job job, JobTile tile) throws IOException {
        String key = ObjectKeys.featureTile(job.id(), tile.id());
        TestFeatures.put(store, work, Bucket.FEATURES, key, job.id().toString(), tile, ITEMS);
        return key;
    }

    byte[] bytes(Bucket bucket, String key) throws IOException {
        try (InputStream in = store.get(bucket, key).orElseThrow(() -> new AssertionError("no " + key))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        models.close();
    }
}
