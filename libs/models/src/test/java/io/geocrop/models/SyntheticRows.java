package io.geocrop.models;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic training rows for tests and benchmarks (published in the geocrop-models test-jar).
 * Each class has a prototype row (its centroid, a pure function of the class code); a row is its class's
 * prototype plus Gaussian noise, with some values replaced by NaN (missing). Rows are laid out in spatial groups
 * of {@code rowsPerGroup} consecutive rows, each group holding a mix of classes, as fields within a block would.
 * With small noise the classes are easily separable; with noise around 1 they overlap and trees grow deep.
 */
public final class SyntheticRows {

    private SyntheticRows() {
    }

    /**
     * Generates labelled rows.
     *
     * @param rows         number of rows
     * @param classCodes   the {@code CropClass} codes to draw labels from (uniformly)
     * @param featureCount features per row
     * @param noise        standard deviation of the Gaussian noise around the prototype (prototype values lie in
     *                     [0, 1] per feature)
     * @param nanFraction  share of values replaced by NaN
     * @param rowsPerGroup rows per spatial group
     * @param seed         seed; the same arguments give the same rows
     */
    public static TrainingData generate(int rows, List<Integer> classCodes, int featureCount, double noise,
                                        double nanFraction, int rowsPerGroup, long seed) {
        float[][] prototypes = new float[classCodes.size()][];
        for (int k = 0; k < classCodes.size(); k++) {
            prototypes[k] = prototype(classCodes.get(k), featureCount);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * featureCount];
        int[] labels = new int[rows];
        int[] groups = new int[rows];
        for (int i = 0; i < rows; i++) {
            int k = random.nextInt(classCodes.size());
            labels[i] = classCodes.get(k);
            groups[i] = i / rowsPerGroup;
            for (int j = 0; j < featureCount; j++) {
                x[i * featureCount + j] = random.nextDouble() < nanFraction
                        ? Float.NaN
                        : (float) (prototypes[k][j] + noise * gaussian(random));
            }
        }
        return new TrainingData(x, labels, groups, featureCount);
    }

    /**
     * Unlabelled rows for scoring (parity tests, benchmarks): the same mixture as {@link #generate}, plus
     * {@code allNaNFraction} of rows entirely NaN and some rows with only a few values present.
     */
    public static float[] scoringRows(int rows, List<Integer> classCodes, int featureCount, double noise,
                                      double nanFraction, long seed) {
        TrainingData d = generate(rows, classCodes, featureCount, noise, nanFraction, 1, seed);
        float[] x = d.rows();
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < rows; i++) {
            double u = random.nextDouble();
            if (u < 0.01) {
                // Mostly missing: exercises the default direction of nearly every split on the path.
                for (int j = 0; j < featureCount; j++) {
                    if (random.nextInt(8) != 0) {
                        x[i * featureCount + j] = Float.NaN;
                    }
                }
            }
        }
        return x;
    }

    /**
     * The prototype (centroid) of a class: values in [0, 1], a pure function of the class code and the feature
     * count. A model trained on {@link #generate} classifies it as that class with high confidence.
     */
    public static float[] prototype(int classCode, int featureCount) {
        SplittableRandom random = new SplittableRandom(0x9E3779B97F4A7C15L * (classCode + 1));
        float[] p = new float[featureCount];
        for (int j = 0; j < featureCount; j++) {
            p[j] = (float) random.nextDouble();
        }
        return p;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller, so that the sequence depends on nothing but the seed.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
