package io.geocrop.models;

/**
 * Labelled rows for training: {@code rows} holds {@code labels.length * featureCount} floats row-major (NaN =
 * missing), {@code labels} the {@code CropClass} code of each row, and {@code groups} a spatial block id per row
 * (rows of one block are never split between training and held-out sets, so the evaluation is spatially honest).
 */
public record TrainingData(float[] rows, int[] labels, int[] groups, int featureCount) {
    public TrainingData {
        if (featureCount <= 0 || rows.length != (long) labels.length * featureCount || groups.length != labels.length) {
            throw new IllegalArgumentException("rows, labels and groups disagree: " + rows.length + " floats, "
                    + labels.length + " labels, " + groups.length + " groups, " + featureCount + " features");
        }
    }

    /** Number of rows. */
    public int size() {
        return labels.length;
    }
}
