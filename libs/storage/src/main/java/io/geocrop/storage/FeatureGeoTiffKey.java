package io.geocrop.storage;

import java.util.Objects;
import java.util.UUID;

/**
 * The parts of a feature-tile key {@code jobs/<jobId>/<tileId>.tif}, as parsed by
 * {@link ObjectKeys#parseFeatureTile(String)}.
 *
 * @param jobId  the job that planned the tile
 * @param tileId the tile id, e.g. {@code 32736-63-1567}
 */
public record FeatureGeoTiffKey(UUID jobId, String tileId) {

    /** Checks that both parts are present. */
    public FeatureGeoTiffKey {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tileId, "tileId");
    }

    /** The object key these parts stand for, in {@link Bucket#FEATURES}. */
    public String key() {
        return ObjectKeys.featureTile(jobId, tileId);
    }
}
