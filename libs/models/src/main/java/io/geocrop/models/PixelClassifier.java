package io.geocrop.models;

/**
 * Classifies rows of features (one row per pixel, in the model's feature order). Implementations are thread-safe
 * and expensive to create: create one per process and reuse it.
 */
public interface PixelClassifier extends AutoCloseable {

    /** The card of the model doing the classifying. */
    ModelCard card();

    /**
     * Classifies {@code n} rows stored row-major in {@code rows} ({@code n * card().featureNames().size()} floats;
     * NaN is a missing value, which tree models route by their default direction). Writes each row's
     * {@code CropClass} code to {@code classes[i]} and its confidence, the winning probability in percent rounded
     * to an integer 0..100, to {@code confidence[i]}. A row whose features are all NaN is nodata: class 0,
     * confidence 0.
     */
    void classify(float[] rows, int n, byte[] classes, byte[] confidence);

    @Override
    void close();
}
