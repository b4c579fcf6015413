package io.geocrop.models;

/**
 * A model trained on another feature order than the features it is asked to score. Scoring must refuse it: the
 * columns would be fed to the wrong inputs and the map would be silently wrong.
 */
public class FeatureOrderMismatchException extends RuntimeException {
    private final String expectedHash;
    private final String modelHash;

    public FeatureOrderMismatchException(String message, String expectedHash, String modelHash) {
        super(message);
        this.expectedHash = expectedHash;
        this.modelHash = modelHash;
    }

    /** The hash of the feature order being scored. */
    public String expectedHash() {
        return expectedHash;
    }

    /** The hash the model card records. */
    public String modelHash() {
        return modelHash;
    }
}
