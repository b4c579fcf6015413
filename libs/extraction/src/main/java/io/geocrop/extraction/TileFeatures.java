package io.geocrop.extraction;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.features.FeatureExtractor;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.s2.SeasonStack;
import io.geocrop.imagery.stac.StacItem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One tile from imagery to feature GeoTIFF: read the season ({@link SeasonReader}), compute the 51 features
 * ({@link FeatureExtractor}) and write them ({@link FeatureTiles}). Shared by the extract-features function and
 * {@code geocrop features}.
 */
public final class TileFeatures {
    private final SeasonReader reader;
    private final int parallelism;

    /** @param parallelism threads computing one tile's features */
    public TileFeatures(SeasonReader reader, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.reader = reader;
        this.parallelism = parallelism;
    }

    /** What was computed for a tile. */
    public record Computed(SeasonStack stack, float[][] features) {}

    /** Reads the tile's season from {@code items} and computes its features. */
    public Computed compute(JobTile tile, Season season, List<StacItem> items) throws IOException {
        SeasonStack stack = reader.read(tile, season, items);
        try {
            return new Computed(stack, FeatureExtractor.extractTile(stack.series(), parallelism));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing the features of tile " + tile.id());
        }
    }

    /** {@link #compute} then {@link FeatureTiles#write} to {@code out}; returns what was computed. */
    public Computed computeAndWrite(JobTile tile, Season season, List<StacItem> items, String jobId, Path out)
            throws IOException {
        Computed computed = compute(tile, season, items);
        FeatureTiles.write(out, new FeatureTiles.Provenance(jobId, tile, season.year(), computed.stack().itemIds()),
                computed.features());
        return computed;
    }
}
