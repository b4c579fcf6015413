package io.geocrop.scoring;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.jobs.JobCosts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobState;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobCompletedV1;
import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobNotFoundException;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.TileStatus;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.PngEncoder;
import io.geocrop.tiles.TileImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a job whose last tile was scored: mosaics the result tiles into the job COG
 * ({@code results/<job>/crop-map.tif}), clipped to the AOI circle, writes {@code summary.json} (hectares per class)
 * and {@code preview.png}, completes the job with their links and publishes {@code io.geocrop.job.completed.v1}.
 *
 * <p>The COG covers the job's grid (the AOI envelope snapped to 10 m in the zone of its centre): band 1 class, band 2
 * confidence, uint8, nodata 0 (also every pixel whose centre is outside the circle), 512 px tiles, DEFLATE, internal
 * overviews by MODE for classes (the most frequent class wins; never a blend of codes) and AVERAGE for confidence (a
 * mean percentage, nodata excluded), the {@link CropClass} colour table, and GDAL metadata with the model, feature
 * order hash, season, AOI, imagery items and job id. It is streamed one 512-row strip at a time, reading each result
 * tile's window with range reads, so memory is a few strips whatever the AOI.
 *
 * <p>Every output depends only on the result tiles and the job record, so assembling again (after a crash in the
 * middle) writes the same bytes. Problems with the result tiles (missing, wrong grid) fail the job with the reason;
 * storage errors are thrown so the event is retried.
 */
public final class JobAssembler {
    private static final Logger LOG = LoggerFactory.getLogger(JobAssembler.class);
    /** Square metres of one 10 m pixel. */
    public static final int PIXEL_AREA_M2 = 100;
    /** Longest side of the preview image in pixels. */
    public static final int PREVIEW_MAX_PX = 512;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JobStore jobs;
    private final ObjectStore store;
    private final EventPublisher events;
    private final Path workDir;
    private final Clock clock;
    private final PngEncoder png = new PngEncoder(9);
    private final JobDrift drift; // null: summary.json without a drift block

    public JobAssembler(JobStore jobs, ObjectStore store, EventPublisher events, Path workDir, Clock clock) {
        this(jobs, store, events, workDir, clock, null);
    }

    /** As above; {@code drift} adds each job's drift to its {@code summary.json} ({@link JobDrift}). */
    public JobAssembler(JobStore jobs, ObjectStore store, EventPublisher events, Path workDir, Clock clock,
                        JobDrift drift) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.drift = drift;
    }

    /** {@code results/<job>/summary.json}. */
    public static String summaryKey(UUID jobId) {
        return ObjectKeys.resultPrefix(jobId) + "summary.json";
    }

    /** {@code results/<job>/preview.png}. */
    public static String previewKey(UUID jobId) {
        return ObjectKeys.resultPrefix(jobId) + "preview.png";
    }

    /** The result links a completed job carries. */
    public static Map<String, String> resultLinks(UUID jobId) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("cog", ObjectKeys.resultCog(jobId));
        links.put("summary", summaryKey(jobId));
        links.put("preview", previewKey(jobId));
        return links;
    }

    /**
     * Assembles the job and completes it. A completed job is returned as it is; a failed one too.
     *
     * @return the job afterwards: COMPLETED, or FAILED with the reason when its result tiles cannot be assembled
     * @throws IOException when storage fails (the caller's event is retried; the job stays ASSEMBLING)
     */
    public Job assemble(UUID jobId) throws IOException {
        Job job = jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        if (job.state().isTerminal()) {
            return job;
        }
        if (job.state() != JobState.ASSEMBLING) {
            job = jobs.transition(jobId, JobState.ASSEMBLING);
        }
        long started = System.nanoTime();
        Job assembling = job;
        JobCosts.Measured<Written> measured;
        try {
            // The meter is the current one inside measure (which moves off a virtual thread, whose CPU is unreadable).
            measured = JobCosts.measure(() -> write(assembling, WorkMeter.current()));
        } catch (ScoringException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupted by a shutdown, not failed: the job stays as it is and resumes on the next start.
                throw new java.util.concurrent.CancellationException("interrupted, not failed: " + e.getMessage());
            }
            LOG.warn("Job {}: assembly failed: {}", jobId, e.getMessage());
            return jobs.fail(jobId, "The crop map could not be assembled: " + e.getMessage());
        }
        Map<String, String> links = resultLinks(jobId);
        Written written = measured.result();
        JobCosts.record(jobs, jobId, JobStore.JOB_UNIT, CostStage.ASSEMBLY, measured.cost());
        Job completed = jobs.complete(jobId, links);
        events.publish(completedEvent(completed, links));
        LOG.info("Job {} completed: {}x{} px, {} classified, {} bytes, in {} ms", jobId, written.width(),
                written.height(), written.classified(), written.cogBytes(), (System.nanoTime() - started) / 1_000_000);
        return completed;
    }

    private CloudEvent completedEvent(Job job, Map<String, String> links) {
        JobCompletedV1 data = new JobCompletedV1(job.id(), links.get("cog"), links, clock.instant());
        // One id per job: a re-assembly after a crash re-publishes the same event, which receivers de-duplicate.
        return GeoCropEvents.create(EventType.JOB_COMPLETED, "job-completed-" + job.id(), job.id().toString(), data);
    }

    private record Written(int width, int height, long classified, long cogBytes) {}

    private record ResultTile(JobTile tile, int x0, int y0, GeoTiff tiff) {}

    private Written write(Job job, WorkMeter assembly) throws IOException {
        Aoi aoi = job.aoi();
        ProcessingGrid.JobPlan plan = ProcessingGrid.plan(aoi);
        int width = plan.widthPx();
        int height = plan.heightPx();
        double px = ProcessingGrid.PIXEL_SIZE_M;
        List<ResultTile> tiles = new ArrayList<>();
        Files.createDirectories(workDir);
        Path cog = Files.createTempFile(workDir, "crop-map-" + job.id() + "-", ".tif");
        try {
            Provenance provenance = openTiles(job, plan, tiles);
            List<String> imagery = jobs.imagery(job.id());
            RasterMetadata meta = new RasterMetadata(width, height, 2, SampleType.UINT8,
                    GeoTransform.northUp(plan.minX(), plan.maxY(), px, px), plan.zone().epsg(), 0.0,
                    ResultTiles.BAND_DESCRIPTIONS, List.of(), List.of(), cogMetadata(job, provenance, imagery),
                    ResultTiles.COLOR_TABLE);
            AoiMask mask = new AoiMask(aoi, plan.zone());
            long[] pixelsPerClass = new long[256];
            Preview preview = new Preview(width, height);
            try (CogWriter writer = CogWriter.create(cog, meta, TileScorer.writeOptions())) {
                for (int tileRow = 0; tileRow < writer.tilesDown(); tileRow++) {
                    int y0 = tileRow * TileScorer.BLOCK;
                    int h = Math.min(TileScorer.BLOCK, height - y0);
                    Raster strip = Raster.allocate(width, h, 2, SampleType.UINT8);
                    for (ResultTile t : tiles) {
                        copyOverlap(t, strip, y0, width);
                    }
                    byte[] classes = strip.bytes(0);
                    byte[] confidence = strip.bytes(1);
                    for (int r = 0; r < h; r++) {
                        double centreY = plan.maxY() - (y0 + r + 0.5) * px;
                        int[] run = mask.run(plan.minX(), px, width, centreY);
                        int row = r * width;
                        for (int x = 0; x < width; x++) {
                            if (x < run[0] || x >= run[1]) {
                                classes[row + x] = 0;
                                confidence[row + x] = 0;
                            } else {
                                pixelsPerClass[classes[row + x] & 0xff]++;
                            }
                        }
                        preview.accept(y0 + r, classes, row);
                    }
                    writer.writeTileRow(tileRow, strip);
                }
                writer.finish();
            }
            long classified = 0;
            for (int c = 1; c < pixelsPerClass.length; c++) {
                classified += pixelsPerClass[c];
            }
            com.fasterxml.jackson.databind.node.ObjectNode driftBlock = drift == null ? null
                    : drift.record(job.id(), jobs.tiles(job.id()).stream().map(t -> t.tileId()).toList(),
                    provenance.modelVersion());
            ObjectNode cost = CostSummary.json(job, jobs.cost(job.id()), assembly.cost());
            store.put(Bucket.RESULTS, summaryKey(job.id()),
                    summary(job, provenance, pixelsPerClass, plan, imagery, driftBlock, cost), "application/json");
            store.put(Bucket.RESULTS, previewKey(job.id()), preview.encode(png), "image/png");
            long bytes = Files.size(cog);
            store.put(Bucket.RESULTS, ObjectKeys.resultCog(job.id()), cog, ResultTiles.COG_CONTENT_TYPE);
            return new Written(width, height, classified, bytes);
        } finally {
            for (ResultTile t : tiles) {
                t.tiff().close();
            }
            Files.deleteIfExists(cog);
        }
    }

    /** Model and feature order the job's tiles were scored with, read from the result tiles themselves. */
    private record Provenance(String modelName, String modelVersion, boolean synthetic, String featureOrderHash,
                              Set<String> heldOutConfusions) {}

    private Provenance openTiles(Job job, ProcessingGrid.JobPlan plan, List<ResultTile> out) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Set<String> versions = new LinkedHashSet<>();
        Set<String> hashes = new LinkedHashSet<>();
        Set<String> confusions = new LinkedHashSet<>();
        boolean synthetic = false;
        for (TileStatus planned : jobs.tiles(job.id())) { // the stored plan: the tiles that were counted scored
            JobTile tile = JobTile.parse(planned.tileId());
            String key = ObjectKeys.resultTile(job.id(), tile.id());
            String object = Bucket.RESULTS.bucketName() + "/" + key;
            if (store.head(Bucket.RESULTS, key).isEmpty()) {
                throw new ScoringException(object, "the result tile is missing although the tile was counted scored");
            }
            GeoTiff tiff;
            try {
                tiff = GeoTiffReader.open(new ObjectStoreByteSource(store, Bucket.RESULTS, key));
            } catch (RasterFormatException e) {
                throw new ScoringException(object, "the result tile is not a readable GeoTIFF: " + e.getMessage(), e);
            }
            int x0 = (int) Math.round((tile.minX() - plan.minX()) / ProcessingGrid.PIXEL_SIZE_M);
            int y0 = (int) Math.round((plan.maxY() - tile.maxY()) / ProcessingGrid.PIXEL_SIZE_M);
            out.add(new ResultTile(tile, x0, y0, tiff));
            RasterMetadata m = tiff.metadata();
            GeoTransform t = m.transform();
            if (m.width() != ProcessingGrid.TILE_SIZE_PX || m.height() != ProcessingGrid.TILE_SIZE_PX || m.bands() != 2
                    || m.sampleType() != SampleType.UINT8 || m.epsg() != tile.epsg() || t == null
                    || Math.abs(t.originX() - tile.minX()) > 1e-6 || Math.abs(t.originY() - tile.maxY()) > 1e-6
                    || Math.abs(t.pixelWidth() - ProcessingGrid.PIXEL_SIZE_M) > 1e-9) {
                throw new ScoringException(object, "the result tile is " + m.width() + "x" + m.height() + "x"
                        + m.bands() + " " + m.sampleType() + " in EPSG:" + m.epsg() + " at " + t
                        + ", not the 512 x 512 x 2 UINT8 grid of tile " + tile.id());
            }
            Map<String, String> items = m.metadata();
            names.add(items.getOrDefault(ResultTiles.MODEL_NAME, "unknown"));
            versions.add(items.getOrDefault(ResultTiles.MODEL_VERSION, "unknown"));
            hashes.add(items.getOrDefault(FeatureGeoTiff.FEATURE_ORDER_HASH, "unknown"));
            synthetic |= Boolean.parseBoolean(items.get(ResultTiles.MODEL_SYNTHETIC));
            confusions.add(items.getOrDefault(ResultTiles.MODEL_HELD_OUT_CONFUSION, ""));
        }
        if (names.size() > 1 || versions.size() > 1) {
            // The alias moved while the job ran: say so in the provenance rather than pretend one model did it all.
            LOG.warn("Job {} was scored by several models: {} versions {}", job.id(), names, versions);
        }
        return new Provenance(String.join(",", names), String.join(",", versions), synthetic, String.join(",", hashes),
                confusions);
    }

    private static void copyOverlap(ResultTile t, Raster strip, int stripY0, int width) throws IOException {
        int size = ProcessingGrid.TILE_SIZE_PX;
        int rowFrom = Math.max(stripY0, t.y0());
        int rowTo = Math.min(stripY0 + strip.height(), t.y0() + size);
        int colFrom = Math.max(0, t.x0());
        int colTo = Math.min(width, t.x0() + size);
        if (rowFrom >= rowTo || colFrom >= colTo) {
            return;
        }
        int w = colTo - colFrom;
        int h = rowTo - rowFrom;
        Raster window = t.tiff().read(new RasterWindow(colFrom - t.x0(), rowFrom - t.y0(), w, h));
        for (int b = 0; b < 2; b++) {
            byte[] src = window.bytes(b);
            byte[] dst = strip.bytes(b);
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, r * w, dst, (rowFrom - stripY0 + r) * width + colFrom, w);
            }
        }
    }

    private static Map<String, String> cogMetadata(Job job, Provenance p, List<String> imagery) {
        Season season = new Season(job.year());
        Map<String, String> items = new LinkedHashMap<>();
        items.put(FeatureGeoTiff.JOB_ID, job.id().toString());
        items.put(ResultTiles.MODEL_NAME, p.modelName());
        items.put(ResultTiles.MODEL_VERSION, p.modelVersion());
        items.put(ResultTiles.MODEL_SYNTHETIC, Boolean.toString(p.synthetic()));
        items.put(FeatureGeoTiff.FEATURE_ORDER, "FEATURE_ORDER_V1");
        items.put(FeatureGeoTiff.FEATURE_ORDER_HASH, p.featureOrderHash());
        items.put(FeatureGeoTiff.SEASON, Integer.toString(job.year()));
        items.put(ResultTiles.SEASON_START, season.start().toString());
        items.put(ResultTiles.SEASON_END, season.end().toString());
        items.put(ResultTiles.AOI_LON, Double.toString(job.aoi().lon()));
        items.put(ResultTiles.AOI_LAT, Double.toString(job.aoi().lat()));
        items.put(ResultTiles.AOI_RADIUS_M, Double.toString(job.aoi().radiusM()));
        items.put(FeatureGeoTiff.ITEMS, String.join(",", imagery));
        return items;
    }

    private static byte[] summary(Job job, Provenance p, long[] pixelsPerClass, ProcessingGrid.JobPlan plan,
                                  List<String> imagery, ObjectNode driftBlock, ObjectNode cost) throws IOException {
        Season season = new Season(job.year());
        ObjectNode root = JSON.createObjectNode();
        root.put("job_id", job.id().toString());
        ObjectNode model = root.putObject("model");
        model.put("name", p.modelName());
        model.put("version", p.modelVersion());
        model.put("synthetic", p.synthetic());
        root.put("pixel_area_m2", PIXEL_AREA_M2);
        long total = ClassAreas.addRows(root.putArray("classes"), pixelsPerClass, JobAssembler::hectares);
        root.put("total_hectares", hectares(total));
        addAreaEstimate(root, job, p, pixelsPerClass);
        root.put("feature_order_hash", p.featureOrderHash());
        ObjectNode s = root.putObject("season");
        s.put("year", job.year());
        s.put("start", season.start().toString());
        s.put("end", season.end().toString());
        ObjectNode a = root.putObject("aoi");
        a.put("lon", job.aoi().lon());
        a.put("lat", job.aoi().lat());
        a.put("radius_m", job.aoi().radiusM());
        ObjectNode grid = root.putObject("grid");
        grid.put("crs", "EPSG:" + plan.zone().epsg());
        grid.put("width", plan.widthPx());
        grid.put("height", plan.heightPx());
        grid.put("pixel_size_m", ProcessingGrid.PIXEL_SIZE_M);
        ArrayNode items = root.putArray("imagery_items");
        imagery.forEach(items::add);
        if (driftBlock != null) {
            root.set("drift", driftBlock); // JobDrift: PSI per feature against the model's training distribution
        }
        root.set("cost", cost);
        return JSON.writeValueAsBytes(root);
    }

    private static void addAreaEstimate(ObjectNode root, Job job, Provenance p, long[] pixelsPerClass) {
        ClassAreas.HeldOut heldOut = null;
        String why = null;
        if (p.heldOutConfusions().size() != 1) {
            why = "the tiles were scored by models with different held-out error rates";
        } else if (p.heldOutConfusions().contains("")) {
            why = "the model card of " + p.modelName() + " version " + p.modelVersion()
                    + " records no held-out confusion matrix (train the model again to get one)";
        } else {
            try {
                heldOut = ClassAreas.parseConfusion(p.heldOutConfusions().iterator().next());
            } catch (IllegalArgumentException e) {
                LOG.warn("Job {}: unreadable {}: {}", job.id(), ResultTiles.MODEL_HELD_OUT_CONFUSION, e.getMessage());
                why = "the result tiles' held-out confusion matrix is unreadable: " + e.getMessage();
            }
        }
        ClassAreas.addEstimate(root, pixelsPerClass, heldOut, why, PIXEL_AREA_M2 / 10_000.0);
    }

    private static BigDecimal hectares(long pixels) {
        // 100 m2 per pixel, 10 000 m2 per hectare: exactly pixels / 100, kept as an exact decimal.
        return BigDecimal.valueOf(pixels, 2);
    }

    /** The class band scaled down by nearest sampling to at most {@link #PREVIEW_MAX_PX} a side, built row by row. */
    private static final class Preview {
        private final int width;
        private final int height;
        private final int step;
        private final int pw;
        private final int ph;
        private final byte[] indices;
        private int nextRow;

        Preview(int width, int height) {
            this.width = width;
            this.height = height;
            this.step = Math.max(1, (Math.max(width, height) + PREVIEW_MAX_PX - 1) / PREVIEW_MAX_PX);
            this.pw = (width + step - 1) / step;
            this.ph = (height + step - 1) / step;
            this.indices = new byte[pw * ph];
        }

        private int sourceRow(int py) {
            return Math.min(height - 1, py * step + step / 2);
        }

        void accept(int y, byte[] classes, int rowStart) {
            while (nextRow < ph && sourceRow(nextRow) == y) {
                for (int px = 0; px < pw; px++) {
                    int x = Math.min(width - 1, px * step + step / 2);
                    indices[nextRow * pw + px] = classes[rowStart + x];
                }
                nextRow++;
            }
        }

        byte[] encode(PngEncoder encoder) {
            int[] palette = new int[CropClass.all().size() + 1];
            for (CropClass c : CropClass.all()) {
                palette[c.code()] = 0xff000000 | c.rgb();
            }
            return encoder.encode(new TileImage(pw, ph, indices, palette));
        }
    }
}
