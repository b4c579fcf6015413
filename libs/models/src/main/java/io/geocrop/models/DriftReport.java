package io.geocrop.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How far a job's pixels are from the model's training distribution: the population stability index (PSI) of each
 * feature, {@code sum over bins of (job share - training share) * ln(job share / training share)}, and the job's drift
 * score, the mean PSI over features. Levels follow the usual PSI reading: below {@value #MODERATE} stable, up to
 * {@value #MAJOR} moderate shift, above it a major shift.
 *
 * @param available whether drift could be computed at all
 * @param reason    why not, when not available (e.g. the card has no training distribution)
 * @param score     mean PSI over features (NaN when unavailable)
 * @param pixels    job pixels compared
 * @param features  every feature's PSI, in the model's feature order
 */
public record DriftReport(boolean available, String reason, double score, long pixels, List<FeaturePsi> features) {

    /** PSI from which a feature (or a job's score) counts as moderately shifted. */
    public static final double MODERATE = 0.1;
    /** PSI from which a feature (or a job's score) counts as clearly unlike the training data. */
    public static final double MAJOR = 0.25;
    /** Shares are floored at this so an empty bin gives a large, finite PSI term. */
    static final double FLOOR = 1e-4;
    /** The reason given for a card without a training distribution. */
    public static final String NO_DISTRIBUTION = "the model card has no training distribution";

    public DriftReport {
        features = List.copyOf(features);
    }

    /** One feature's PSI. */
    public record FeaturePsi(String name, double psi) {
        /** {@code none}, {@code moderate} or {@code major}. */
        public String level() {
            return DriftReport.level(psi);
        }
    }

    /** Drift that cannot be computed, with the reason. */
    public static DriftReport unavailable(String reason) {
        return new DriftReport(false, reason, Double.NaN, 0, List.of());
    }

    /** Compares {@code job} (summed over its tiles) with {@code training}. */
    public static DriftReport compare(TrainingDistribution training, FeatureHistogram job) {
        if (job.pixels() == 0) {
            return unavailable("no pixel of the job was classified");
        }
        long[][] counts = job.counts();
        List<FeaturePsi> out = new ArrayList<>(counts.length);
        double sum = 0;
        for (int j = 0; j < counts.length; j++) {
            List<Double> expected = training.features().get(j).shares();
            double psi = 0;
            for (int s = 0; s < counts[j].length; s++) {
                double a = Math.max(FLOOR, (double) counts[j][s] / job.pixels());
                double e = Math.max(FLOOR, expected.get(s));
                psi += (a - e) * Math.log(a / e);
            }
            out.add(new FeaturePsi(training.features().get(j).name(), psi));
            sum += psi;
        }
        return new DriftReport(true, null, sum / counts.length, job.pixels(), out);
    }

    /** {@code none}, {@code moderate} or {@code major} for a PSI or a score. */
    public static String level(double psi) {
        return psi >= MAJOR ? "major" : psi >= MODERATE ? "moderate" : "none";
    }

    /** The job's level ({@link #level(double)} of the score), or {@code unavailable}. */
    public String level() {
        return available ? level(score) : "unavailable";
    }

    /** The features at or above {@link #MAJOR}, largest PSI first. */
    public List<FeaturePsi> shifted() {
        return features.stream().filter(f -> f.psi() >= MAJOR)
                .sorted(Comparator.comparingDouble(FeaturePsi::psi).reversed()).toList();
    }

    /**
     * The finding in words, for the summary, the API and the web app, e.g. "This area's NDVI peak day and EVI peak
     * day look unlike the training data (drift score 0.41, major)."
     */
    public String words() {
        if (!available) {
            return "Drift unavailable: " + reason + ".";
        }
        String score = String.format(Locale.ROOT, "drift score %.2f, %s", this.score, level());
        List<FeaturePsi> shifted = shifted();
        if (shifted.isEmpty()) {
            return "This area's pixels look like the training data (" + score + ").";
        }
        List<String> names = shifted.stream().limit(3).map(f -> describe(f.name())).toList();
        String list = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
        String more = shifted.size() > 3 ? " (and " + (shifted.size() - 3) + " more features)" : "";
        return "This area's " + list + more + " look unlike the training data (" + score + ").";
    }

    /** A feature name in words: {@code ndvi_peak_day} → "NDVI peak day values". */
    public static String describe(String feature) {
        List<String> words = new ArrayList<>();
        for (String t : feature.split("_")) {
            words.add(switch (t) {
                case "ndvi", "evi", "savi", "ndre", "ndmi", "mndwi", "bsi" -> t.toUpperCase(Locale.ROOT);
                case "p10" -> "10th percentile";
                case "p50" -> "median";
                case "p90" -> "90th percentile";
                case "sos" -> "start-of-season";
                case "eos" -> "end-of-season";
                case "sep", "nov", "dec", "feb" -> Character.toUpperCase(t.charAt(0)) + t.substring(1);
                default -> t.matches("b\\d\\w?") ? "band " + t.substring(1).toUpperCase(Locale.ROOT) : t;
            });
        }
        return String.join(" ", words).replace("Sep Nov", "Sep-Nov") + " values";
    }
}
