package io.geocrop.render;

import io.geocrop.domain.JobState;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.problem.Problem;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.platform.problem.ProblemTypes;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.tiles.CogCache;
import io.geocrop.tiles.InvalidTileException;
import io.geocrop.tiles.LayerStyle;
import io.geocrop.tiles.OpenCog;
import io.geocrop.tiles.TileCoord;
import io.geocrop.tiles.TileMath;
import io.geocrop.tiles.TileOutsideLayerException;
import io.geocrop.tiles.TilePipeline;
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

/**
 * Turns layer ids and tile addresses into tiles: checks the job (it must exist and be completed) or the
 * baseline year, opens the COG through the {@link CogCache}, and renders through the {@link TilePipeline}.
 * Every bad input becomes a {@link ProblemException} (4xx) naming the field.
 */
@Singleton
public final class TileService {
    /** Cache-Control of completed job tiles: a completed job's COG never changes. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern TILE_FILE = Pattern.compile("([0-9]{1,9})(@2x)?\\.png");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern RESULT_KEY = Pattern.compile("results/([0-9a-f-]{36})/crop-map\\.tif");
    private static final int COMPLETED_JOBS_REMEMBERED = 10_000;

    private final JobStore jobs;
    private final CogCache cogs;
    private final TilePipeline pipeline;
    private final TileRenderSettings settings;
    /** Jobs seen COMPLETED: the state is final, so the job store need not be asked again for each tile. */
    private final Map<UUID, Boolean> completed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > COMPLETED_JOBS_REMEMBERED;
        }
    };

    TileService(JobStore jobs, CogCache cogs, TilePipeline pipeline, TileRenderSettings settings) {
        this.jobs = jobs;
        this.cogs = cogs;
        this.pipeline = pipeline;
        this.settings = settings;
    }

    /** A layer ready to render: its COG and how its tiles may be cached by clients. */
    public record Layer(LayerRef ref, OpenCog cog, String cacheControl) {}

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
                yield new Layer(ref, cog, IMMUTABLE);
            }
            case LayerRef.BaselineLayer dw -> {
                OpenCog cog = open(Bucket.BASELINES, ObjectKeys.baseline(dw.year(), "dw-label.tif"))
                        .orElseThrow(() -> LayerRef.notFound(layerId, "there is no Dynamic World baseline for " + dw.year()));
                yield new Layer(ref, cog, "public, max-age=" + settings.baselineMaxAge().toSeconds());
            }
        };
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
            throw new ProblemException(409, ProblemTypes.CONFLICT, "Conflict", "job " + layer.job() + " is "
                    + job.state().name().toLowerCase() + "; its tiles exist once it is completed",
                    List.of(new Problem.InvalidField("layer", "job not completed yet")), Map.of());
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
        Layer layer = layer(layerId);
        if (!layer.cog().footprint().mercatorBounds().overlaps(TileMath.mercatorBounds(tile))) {
            throw LayerRef.notFound(layerId, "tile " + tile + " lies outside the bounds of layer " + layerId);
        }
        String eTag = TilePipeline.eTag(layer.cog(), layerId, layer.ref().style(), tile, scale);
        if (matches(ifNoneMatch, eTag)) {
            return new TileResponse(null, eTag, layer.cacheControl(), true);
        }
        try {
            TilePipeline.Tile t = pipeline.tile(layer.cog(), layerId, layer.ref().style(), tile, scale);
            return new TileResponse(t.png(), t.eTag(), layer.cacheControl(), false);
        } catch (TileOutsideLayerException e) {
            throw LayerRef.notFound(layerId, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + layer.cog().bucket().bucketName() + "/" + layer.cog().key()
                    + " for tile " + tile + " failed: " + e.getMessage(), e);
        }
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
                        pipeline.tile(cog, layerId, style, tile, 1);
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
        }
        return ref;
    }

    /** What a pre-render did. */
    public record Prerendered(List<String> layers, int tiles) {}
}
