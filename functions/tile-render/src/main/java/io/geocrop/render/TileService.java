package io.geocrop.render;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.domain.JobState;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.tiles.BaselineSource;
import io.geocrop.tiles.Bounds;
import io.geocrop.tiles.CogCache;
import io.geocrop.tiles.CogMosaic;
import io.geocrop.tiles.LayerFootprint;
import io.geocrop.tiles.MosaicIndex;
import io.geocrop.tiles.MosaicSource;
import io.geocrop.tiles.InvalidTileException;
import io.geocrop.tiles.LayerStyle;
import io.geocrop.tiles.OpenCog;
import io.geocrop.tiles.TileCoord;
import io.geocrop.tiles.TileMath;
import io.geocrop.tiles.TileOutsideLayerException;
import io.geocrop.tiles.TilePipeline;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns layer ids and tile addresses into tiles: checks the job (it must exist and be completed) or the
 * baseline year, opens the COG through the {@link CogCache}, and renders through the {@link TilePipeline}.
 * Every bad input becomes a {@link ProblemException} (4xx) naming the field.
 *
 * <p>A baseline layer {@code dw-<year>} is the mosaic of every COG under {@code dw/zim/summer/<year>/}
 * ({@link MosaicIndex}; first COG in key order with data wins). When a {@link BaselineSource} is wired (the
 * simulated imagery source), the layer spans the whole coverage, and a tile from
 * {@code geocrop.tiles.baseline-generate-min-zoom} on first makes the source generate the missing cells it covers.
 */
@Singleton
public final class TileService {
    /** Cache-Control of completed job tiles: a completed job's COG never changes. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Tiles of scored uploads, which a re-upload of the same name replaces. */
    public static final String UPLOAD_CACHE_CONTROL = "no-cache";
    private static final Pattern TILE_FILE = Pattern.compile("([0-9]{1,9})(@2x)?\\.png");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern RESULT_KEY = Pattern.compile("results/([0-9a-f-]{36})/crop-map\\.tif");
    private static final int COMPLETED_JOBS_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TileService.class);

    private final JobStore jobs;
    private final CogCache cogs;
    private final TilePipeline pipeline;
    private final TileRenderSettings settings;
    private final MosaicIndex baselines;
    private final JobRequestRules rules;
    private final BaselineSource generator;
    private final GeoCropMetrics metrics;
    /** Jobs seen COMPLETED: the state is final, so the job store need not be asked again for each tile. */
    private final Map<UUID, Boolean> completed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > COMPLETED_JOBS_REMEMBERED;
        }
    };

    TileService(JobStore jobs, CogCache cogs, TilePipeline pipeline, TileRenderSettings settings, MosaicIndex baselines,
                JobRequestRules rules, @Nullable BaselineSource generator, GeoCropMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.cogs = cogs;
        this.pipeline = pipeline;
        this.settings = settings;
        this.baselines = baselines;
        this.rules = rules;
        this.generator = generator;
    }

    /**
     * A layer ready to render: its footprint (bounds and zooms), how its tiles may be cached by clients, and either
     * the job's COG or the baseline mosaic.
     */
    public record Layer(LayerRef ref, LayerFootprint footprint, String cacheControl, @Nullable OpenCog cog,
                        @Nullable CogMosaic mosaic) {}

    /** Whether baselines are generated on demand (the simulated imagery source). */
    public boolean generatesBaselines() {
        return generator != null;
    }

    /**
     * A tile answer.
     *
     * @param png          null when {@code notModified}
     * @param notModified  the client's {@code If-None-Match} matched: answer 304
     */
    public record TileResponse(byte[] png, String eTag, String cacheControl, boolean notModified) {}

    /**
     * Resolves a layer id to its open COG.
     *
     * @throws ProblemException 400 malformed id, 404 unknown layer / job / year or missing COG, 409 job not completed
     */
    public Layer layer(String layerId) {
        LayerRef ref = LayerRef.parse(layerId);
        return switch (ref) {
            case LayerRef.JobLayer job -> {
                requireCompleted(job);
                OpenCog cog = open(Bucket.RESULTS, ObjectKeys.resultCog(job.job()))
                        .orElseThrow(() -> LayerRef.notFound(layerId, "job " + job.job() + " is completed but its map "
                                + ObjectKeys.resultCog(job.job()) + " is missing"));
                yield new Layer(ref, cog.footprint(), IMMUTABLE, cog, null);
            }
            case LayerRef.BaselineLayer dw -> baselineLayer(dw, baselines.mosaic(Bucket.BASELINES, ObjectKeys.baselinePrefix(dw.year())));
            case LayerRef.UploadLayer upload -> {
                String key = ObjectKeys.UPLOADS_PREFIX + upload.name() + ".tif";
                OpenCog cog = open(Bucket.RESULTS, key).orElseThrow(() -> LayerRef.notFound(layerId,
                        "upload '" + upload.name() + "' has no result (yet): " + Bucket.RESULTS.bucketName() + "/" + key));
                // A re-upload of the same name replaces the result: revalidate (tile ETags follow the COG's).
                yield new Layer(ref, cog.footprint(), UPLOAD_CACHE_CONTROL, cog, null);
            }
        };
    }

    /** The season years a baseline may have: those a job may ask for. */
    private void requireBaselineYear(LayerRef.BaselineLayer dw) {
        int latest = rules.latestSeason().year();
        if (dw.year() < Season.FIRST_YEAR || dw.year() > latest) {
            throw ProblemException.badField("layer", "the year in '" + dw.id() + "' must be a season from "
                    + Season.FIRST_YEAR + " to " + latest);
        }
    }

    private Layer baselineLayer(LayerRef.BaselineLayer dw, CogMosaic mosaic) {
        requireBaselineYear(dw);
        LayerFootprint fp = mosaic.footprint().orElse(null);
        if (generator != null) {
            // Any tile of the coverage can be generated: the layer spans it all.
            LayerFootprint coverage = LayerFootprint.ofLonLat(coverageBounds(), settings.baselineMinZoom(), fullResolutionZoom());
            fp = fp == null ? coverage : fp.union(coverage);
        }
        if (fp == null) {
            throw LayerRef.notFound(dw.id(), "there is no Dynamic World baseline for " + dw.year());
        }
        fp = new LayerFootprint(fp.mercatorBounds(), fp.lonLatBounds(), Math.min(fp.minZoom(), settings.baselineMinZoom()),
                fp.maxZoom(), fp.centreLon(), fp.centreLat());
        return new Layer(dw, fp, baselineCacheControl(), null, mosaic);
    }

    private String baselineCacheControl() {
        return "public, max-age=" + settings.baselineMaxAge().toSeconds();
    }

    private Bounds coverageBounds() {
        Coverage c = rules.coverage();
        return new Bounds(c.minLon(), c.minLat(), c.maxLon(), c.maxLat());
    }

    /** The zoom at which 10 m Dynamic World pixels are seen whole at the coverage's centre latitude. */
    private int fullResolutionZoom() {
        Bounds c = coverageBounds();
        double lat = Math.toRadians((c.minY() + c.maxY()) / 2);
        return TileMath.zoomForResolution(DynamicWorldClass.GSD_M / Math.cos(lat), 256);
    }

    private void requireCompleted(LayerRef.JobLayer layer) {
        synchronized (completed) {
            if (completed.containsKey(layer.job())) {
                return;
            }
        }
        Job job = jobs.find(layer.job())
                .orElseThrow(() -> LayerRef.notFound(layer.id(), "job " + layer.job() + " not found"));
        if (job.state() == JobState.FAILED) {
            // It will never have a map: not found, rather than "try again later".
            throw LayerRef.notFound(layer.id(), "job " + layer.job() + " failed and has no map: " + job.failureReason());
        }
        if (job.state() != JobState.COMPLETED) {
            throw ProblemException.ofField(409, "layer", "job not completed yet", "job " + layer.job() + " is "
                    + job.state().name().toLowerCase() + "; its tiles exist once it is completed");
        }
        synchronized (completed) {
            completed.put(layer.job(), Boolean.TRUE);
        }
    }

    private java.util.Optional<OpenCog> open(Bucket bucket, String key) {
        try {
            return cogs.open(bucket, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + bucket.bucketName() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * One tile.
     *
     * @param file        {@code <y>.png} or {@code <y>@2x.png}
     * @param ifNoneMatch the request's If-None-Match header, or null
     */
    public TileResponse tile(String layerId, String z, String x, String file, String ifNoneMatch) {
        Matcher m = TILE_FILE.matcher(file == null ? "" : file);
        if (!m.matches()) {
            throw ProblemException.badField("y", "must be <row>.png or <row>@2x.png, got '" + LayerRef.abbreviate(file) + "'");
        }
        int scale = m.group(2) == null ? 1 : 2;
        TileCoord tile = coord(z, x, m.group(1));
        if (LayerRef.parse(layerId) instanceof LayerRef.BaselineLayer dw) {
            return baselineTile(dw, tile, scale, ifNoneMatch);
        }
        Layer layer = layer(layerId);
        if (!layer.cog().footprint().mercatorBounds().overlaps(TileMath.mercatorBounds(tile))) {
            throw LayerRef.notFound(layerId, "tile " + tile + " lies outside the bounds of layer " + layerId);
        }
        String eTag = TilePipeline.eTag(layer.cog(), layerId, layer.ref().style(), tile, scale);
        if (matches(ifNoneMatch, eTag)) {
            return new TileResponse(null, eTag, layer.cacheControl(), true);
        }
        try {
            long started = System.nanoTime();
            TilePipeline.Tile t = rendered(layer.ref().style(), started,
                    pipeline.tile(layer.cog(), layerId, layer.ref().style(), tile, scale));
            return new TileResponse(t.png(), t.eTag(), layer.cacheControl(), false);
        } catch (TileOutsideLayerException e) {
            throw LayerRef.notFound(layerId, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + layer.cog().bucket().bucketName() + "/" + layer.cog().key()
                    + " for tile " + tile + " failed: " + e.getMessage(), e);
        }
    }

    private TileResponse baselineTile(LayerRef.BaselineLayer dw, TileCoord tile, int scale, String ifNoneMatch) {
        requireBaselineYear(dw);
        String prefix = ObjectKeys.baselinePrefix(dw.year());
        Layer layer = baselineLayer(dw, baselines.mosaic(Bucket.BASELINES, prefix));
        if (!layer.footprint().mercatorBounds().overlaps(TileMath.mercatorBounds(tile))) {
            throw LayerRef.notFound(dw.id(), "tile " + tile + " lies outside the bounds of layer " + dw.id());
        }
        boolean complete = generator == null || tile.z() >= settings.baselineGenerateMinZoom();
        if (generator != null && complete) {
            generateCovering(dw, tile);
        }
        // After any generation: the source has refreshed the index by then.
        CogMosaic mosaic = baselines.mosaic(Bucket.BASELINES, prefix);
        // Tiles that may still gain cells (none yet, or below the generation zoom) are revalidated on each use.
        String cacheControl = complete && !mosaic.covering(tile).isEmpty() ? layer.cacheControl() : "public, no-cache";
        String eTag = TilePipeline.eTag(mosaic, dw.id(), dw.style(), tile, scale);
        if (matches(ifNoneMatch, eTag)) {
            return new TileResponse(null, eTag, cacheControl, true);
        }
        try {
            long started = System.nanoTime();
            TilePipeline.Tile t = rendered(dw.style(), started, pipeline.tile(mosaic, cogs, dw.id(), dw.style(), tile, scale));
            return new TileResponse(t.png(), t.eTag(), cacheControl, false);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the baselines of " + dw.year() + " for tile " + tile + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Times a tile that was rendered (not a cache hit) into {@code geocrop_tile_render_seconds}. */
    private TilePipeline.Tile rendered(LayerStyle style, long startedNanos, TilePipeline.Tile tile) {
        if (!tile.cacheHit()) {
            metrics.tileRendered(style.id(), System.nanoTime() - startedNanos);
        }
        return tile;
    }

    /** Generates the missing baseline cells under the part of the tile inside the coverage. */
    private void generateCovering(LayerRef.BaselineLayer dw, TileCoord tile) {
        Bounds t = TileMath.lonLatBounds(tile);
        Bounds c = coverageBounds();
        double west = Math.max(t.minX(), c.minX()), east = Math.min(t.maxX(), c.maxX());
        double south = Math.max(t.minY(), c.minY()), north = Math.min(t.maxY(), c.maxY());
        if (!(west < east && south < north)) {
            return; // outside the coverage: only stored baselines are drawn
        }
        try {
            generator.ensure(dw.year(), new Bounds(west, south, east, north));
        } catch (IllegalArgumentException e) {
            // More cells than one request may generate (a low generation zoom): draw what exists.
            LOG.debug("not generating baselines for {} tile {}: {}", dw.id(), tile, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("generating the baselines of " + dw.year() + " for tile " + tile + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * What {@link #ensureBaseline} found.
     *
     * @param objects   keys of the baseline COGs that overlap the AOI's bounding box, in drawing order
     * @param generated cells generated by this call
     */
    public record BaselineCoverage(LayerRef.BaselineLayer layer, List<String> objects, int generated) {}

    /**
     * Makes the baseline of an AOI available: with a {@link BaselineSource} (simulated imagery) its missing cells
     * are generated first; otherwise (cluster) only what operators stored is reported.
     *
     * @throws io.geocrop.domain.ValidationException (422) naming lon, lat, radius_m or year
     */
    public BaselineCoverage ensureBaseline(Double lon, Double lat, Double radiusM, Integer year) {
        JobRequest request = rules.validate(lon, lat, radiusM, year);
        LayerRef.BaselineLayer dw = new LayerRef.BaselineLayer("dw-" + request.season().year(), request.season().year());
        double[] b = request.aoi().bbox();
        Bounds box = new Bounds(b[0], b[1], b[2], b[3]);
        int generated = 0;
        if (generator != null) {
            try {
                generated = generator.ensure(dw.year(), box).generated();
            } catch (IOException e) {
                throw new UncheckedIOException("generating the baselines of " + dw.year() + " for " + request.aoi()
                        + " failed: " + e.getMessage(), e);
            }
        }
        CogMosaic mosaic = baselines.mosaic(Bucket.BASELINES, ObjectKeys.baselinePrefix(dw.year()));
        List<String> objects = mosaic.sources().stream().filter(s -> s.footprint().lonLatBounds().overlaps(box))
                .map(MosaicSource::key).toList();
        return new BaselineCoverage(dw, objects, generated);
    }

    /** Parses and checks z/x/y, naming the field at fault. */
    static TileCoord coord(String z, String x, String y) {
        int zi = number("z", z);
        int xi = number("x", x);
        int yi = number("y", y);
        try {
            return new TileCoord(zi, xi, yi);
        } catch (InvalidTileException e) {
            throw ProblemException.badField(e.field(), e.reason());
        }
    }

    private static int number(String field, String text) {
        if (text == null || !NUMBER.matcher(text).matches()) {
            throw ProblemException.badField(field, "must be a whole number from 0 (zoom " + TileMath.MAX_ZOOM
                    + " at most), got '" + LayerRef.abbreviate(text) + "'");
        }
        return Integer.parseInt(text);
    }

    /** RFC 9110 If-None-Match: weak comparison against a list of tags, or {@code *}. */
    static boolean matches(String ifNoneMatch, String eTag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(eTag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Warms the cache with a result COG's class and confidence tiles at the configured low zooms (capped at the
     * layer's max zoom), as soon as the COG is written; the job need not be marked completed yet, because tiles
     * are keyed by the COG's ETag.
     *
     * @return the layer ids and the number of tiles rendered, or empty if the key is not a job's result COG
     */
    public java.util.Optional<Prerendered> prerender(Bucket bucket, String key) {
        if (bucket == Bucket.BASELINES && key.startsWith(ObjectKeys.BASELINES_PREFIX) && key.indexOf('/') > 0) {
            // A baseline was uploaded: list its year again at the next request instead of after the TTL.
            baselines.invalidate(Bucket.BASELINES, key.substring(0, key.lastIndexOf('/') + 1));
            return java.util.Optional.empty();
        }
        Matcher m = RESULT_KEY.matcher(key);
        if (bucket != Bucket.RESULTS || !m.matches()) {
            return java.util.Optional.empty();
        }
        UUID job = UUID.fromString(m.group(1));
        OpenCog cog = open(bucket, key).orElse(null);
        if (cog == null) {
            return java.util.Optional.empty();
        }
        List<String> layers = new ArrayList<>();
        int tiles = 0;
        for (LayerStyle style : List.of(LayerStyle.CROP_CLASS, LayerStyle.CONFIDENCE)) {
            String layerId = "job-" + job + "-" + (style == LayerStyle.CROP_CLASS ? "class" : "confidence");
            layers.add(layerId);
            int maxZoom = Math.min(settings.prerenderMaxZoom(), cog.footprint().maxZoom());
            for (int z = settings.prerenderMinZoom(); z <= maxZoom; z++) {
                for (TileCoord tile : TileMath.tilesCovering(cog.footprint().mercatorBounds(), z)) {
                    try {
                        long started = System.nanoTime();
                        rendered(style, started, pipeline.tile(cog, layerId, style, tile, 1));
                        tiles++;
                    } catch (TileOutsideLayerException e) {
                        // tilesCovering includes tiles that only touch the bounds: nothing to warm there.
                    } catch (IOException e) {
                        throw new UncheckedIOException("pre-rendering " + layerId + " tile " + tile + " failed: "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        return java.util.Optional.of(new Prerendered(layers, tiles));
    }

    /**
     * The style of a layer for its legend: the id must be well formed and name an existing job (in any state:
     * a map can show the legend while the job runs) or an existing baseline.
     */
    public LayerRef legendLayer(String layerId) {
        LayerRef ref = LayerRef.parse(layerId);
        switch (ref) {
            case LayerRef.JobLayer job -> jobs.find(job.job())
                    .orElseThrow(() -> LayerRef.notFound(layerId, "job " + job.job() + " not found"));
            case LayerRef.BaselineLayer dw -> layer(layerId);
            case LayerRef.UploadLayer upload -> layer(layerId);
        }
        return ref;
    }

    /** What a pre-render did. */
    public record Prerendered(List<String> layers, int tiles) {}
}
