package io.geocrop.models;

/**
 * XGBoost training parameters (multi-class softprob, hist tree method).
 *
 * @param rounds           boosting rounds
 * @param maxDepth         maximum tree depth
 * @param eta              learning rate
 * @param threads          training threads
 * @param seed             seed of XGBoost and of the held-out split
 * @param holdOutFraction  share of spatial groups held out for evaluation (0..1)
 */
public record TrainingParams(int rounds, int maxDepth, double eta, int threads, long seed, double holdOutFraction) {
    /** Defaults for the demo model: quick to train on two cores, good enough to map the embedded landscape. */
    public static TrainingParams defaults() {
        return new TrainingParams(60, 6, 0.3, Math.min(2, Runtime.getRuntime().availableProcessors()), 42, 0.25);
    }
}
