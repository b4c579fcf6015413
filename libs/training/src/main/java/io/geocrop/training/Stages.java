package io.geocrop.training;

/**
 * Names of the progress stages of building a dataset, as given to a {@code ProgressListener}. Training reports
 * its own stages ({@code XgbTrainer.STAGE_TRAIN}, {@code STAGE_EVALUATE}, {@code STAGE_EXPORT}).
 */
public final class Stages {
    /** Generating the simulated imagery of the training area (embedded ground truth only): assets done / total. */
    public static final String IMAGERY = "imagery";
    /** Reading the season and computing the 51 features: tiles done / total. */
    public static final String FEATURES = "features";

    private Stages() {}
}
