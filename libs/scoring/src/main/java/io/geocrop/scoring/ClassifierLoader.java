package io.geocrop.scoring;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.PixelClassifier;

/** Turns a model artifact into a ready classifier (ONNX Runtime in production: {@code OnnxPixelClassifier::load}). */
@FunctionalInterface
public interface ClassifierLoader {
    /** Loads {@code artifact}; expensive, done once per process. */
    PixelClassifier load(ModelArtifact artifact) throws Exception;
}
