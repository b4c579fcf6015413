package io.geocrop.score;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code geocrop.scoring.*}: how score-tile scores.
 *
 * @param threads         threads one classification call uses (per event in flight)
 * @param runtime         {@code compiled} or {@code onnxruntime} ({@link io.geocrop.models.ScoringRuntime})
 * @param maxUploadPixels largest feature GeoTIFF accepted, width x height (job tiles are 512 x 512)
 * @param maxUploadBytes  largest feature GeoTIFF accepted, in bytes
 */
@ConfigurationProperties("geocrop.scoring")
public record ScoringSettings(
        @Bindable(defaultValue = "2") int threads,
        @Bindable(defaultValue = "compiled") String runtime,
        @Bindable(defaultValue = "16777216") long maxUploadPixels,
        @Bindable(defaultValue = "4294967296") long maxUploadBytes) {}
