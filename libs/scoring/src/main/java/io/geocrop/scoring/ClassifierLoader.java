package io.geocrop.scoring;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.ScoringRuntime;

/** Turns a model artifact into a ready classifier (in production: {@link #of}, the configured runtime). */
@FunctionalInterface
public interface ClassifierLoader {
    /** Loads {@code artifact}; expensive, done once per process. */
    PixelClassifier load(ModelArtifact artifact) throws Exception;

    /** The production loader: {@code runtime} ({@code geocrop.scoring.runtime}), {@code threads} threads per call. */
    static ClassifierLoader of(ScoringRuntime runtime, int threads) {
        return artifact -> runtime.load(artifact, threads);
    }
}
