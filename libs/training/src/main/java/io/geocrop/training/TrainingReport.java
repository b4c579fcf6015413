package io.geocrop.training;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.CropClass;
import io.geocrop.models.Evaluation;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCards;
import io.geocrop.models.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a training run is shown and kept: the held-out evaluation as a text table (overall accuracy, kappa, per-class
 * F1, confusion matrix) and as {@code evaluation.json}, and the model files of an output directory.
 */
public final class TrainingReport {
    /** File name of the evaluation in an output directory. */
    public static final String EVALUATION_FILE = "evaluation.json";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private TrainingReport() {}

    /** The evaluation as text, for a terminal. */
    public static String table(Evaluation e) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Held-out evaluation (%d training rows, %d held-out rows in whole spatial blocks)%n",
                e.trainRows(), e.testRows()));
        s.append(String.format(Locale.ROOT, "  overall accuracy  %.3f%n", e.overallAccuracy()));
        s.append(String.format(Locale.ROOT, "  kappa             %.3f%n%n", e.kappa()));
        List<Integer> codes = e.classCodes();
        int nameWidth = Math.max(16, codes.stream().mapToInt(c -> id(c).length()).max().orElse(0) + 2);
        s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %6s %8s%n", "class", "F1", "held-out"));
        for (int i = 0; i < codes.size(); i++) {
            long support = 0;
            for (long v : e.confusion()[i]) {
                support += v;
            }
            Double f1 = e.f1ByClass().get(codes.get(i));
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s %6s %8d%n", id(codes.get(i)),
                    f1 == null || f1.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", f1), support));
        }
        s.append(String.format(Locale.ROOT, "%nConfusion matrix (rows: actual, columns: predicted; class codes as in the legend)%n"));
        int cell = 6;
        for (long[] row : e.confusion()) {
            for (long v : row) {
                cell = Math.max(cell, Long.toString(v).length() + 1);
            }
        }
        s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", "actual \\ pred"));
        for (int code : codes) {
            s.append(String.format(Locale.ROOT, "%" + cell + "d", code));
        }
        s.append(System.lineSeparator());
        for (int i = 0; i < codes.size(); i++) {
            s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", codes.get(i) + " " + id(codes.get(i))));
            for (long v : e.confusion()[i]) {
                s.append(String.format(Locale.ROOT, "%" + cell + "d", v));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }

    /** Prefix of the model-card metrics that record a confusion: {@code confused_<actual>_as_<predicted>}. */
    public static final String CONFUSED_PREFIX = "confused_";
    /** A confusion is recorded when at least this share of a class's held-out rows go to one other class. */
    public static final double CONFUSION_RECORDED = 0.03;

    /**
     * The notable confusions of a held-out evaluation as model-card metrics: {@code confused_<actual>_as_<predicted>}
     * = the share of the actual class's held-out rows predicted as that other class, for every share of at least
     * {@value #CONFUSION_RECORDED}.
     */
    public static Map<String, Double> confusionMetrics(Evaluation e) {
        Map<String, Double> m = new java.util.TreeMap<>();
        List<Integer> codes = e.classCodes();
        for (int a = 0; a < codes.size(); a++) {
            long support = 0;
            for (long v : e.confusion()[a]) {
                support += v;
            }
            for (int p = 0; p < codes.size(); p++) {
                double share = support == 0 ? 0 : (double) e.confusion()[a][p] / support;
                if (p != a && share >= CONFUSION_RECORDED) {
                    m.put(CONFUSED_PREFIX + id(codes.get(a)) + "_as_" + id(codes.get(p)), share);
                }
            }
        }
        return m;
    }

    /**
     * One line for a terminal from a model card's metrics: "held-out accuracy 86.4 % (kappa 0.849); mixes up
     * groundnut as soybean 14 %, ...", the largest confusions first (at most {@code max}).
     */
    public static String heldOutSummary(Map<String, Double> metrics, int max) {
        StringBuilder s = new StringBuilder();
        Double oa = metrics.get("overall_accuracy");
        Double kappa = metrics.get("kappa");
        s.append(oa == null ? "held-out accuracy unknown" : String.format(Locale.ROOT, "held-out accuracy %.1f %%", 100 * oa));
        if (kappa != null) {
            s.append(String.format(Locale.ROOT, " (kappa %.3f)", kappa));
        }
        String confused = confusionSummary(metrics, max);
        if (!confused.isEmpty()) {
            s.append("; mixes up ").append(confused);
        }
        return s.toString();
    }

    /** "groundnut as soybean 14 %, soybean as groundnut 11 %", the largest of {@code confused_*} metrics first. */
    public static String confusionSummary(Map<String, Double> metrics, int max) {
        StringBuilder s = new StringBuilder();
        metrics.entrySet().stream()
                .filter(x -> x.getKey().startsWith(CONFUSED_PREFIX))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(max)
                .forEach(x -> s.append(s.isEmpty() ? "" : ", ")
                        .append(x.getKey().substring(CONFUSED_PREFIX.length()).replace("_as_", " as "))
                        .append(String.format(Locale.ROOT, " %.0f %%", 100 * x.getValue())));
        return s.toString();
    }

    /** The evaluation as JSON: metrics, per-class F1 by class id, and the confusion matrix with its class order. */
    public static byte[] evaluationJson(Evaluation e, Dataset dataset) {
        ObjectNode o = JSON.createObjectNode();
        putNumber(o, "overall_accuracy", e.overallAccuracy());
        putNumber(o, "kappa", e.kappa());
        o.put("train_rows", e.trainRows());
        o.put("test_rows", e.testRows());
        ObjectNode f1 = o.putObject("f1");
        e.f1ByClass().forEach((code, v) -> putNumber(f1, id(code), v));
        ArrayNode classes = o.putArray("classes");
        for (int code : e.classCodes()) {
            classes.addObject().put("code", code).put("id", id(code));
        }
        ArrayNode confusion = o.putArray("confusion");
        for (long[] row : e.confusion()) {
            ArrayNode r = confusion.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        o.put("confusion_layout", "confusion[actual][predicted], both indexed like classes");
        if (dataset != null) {
            ObjectNode d = o.putObject("dataset");
            d.put("reference", dataset.reference());
            d.put("rows", dataset.data().size());
            d.put("spatial_groups", dataset.groupCount());
            ObjectNode byClass = d.putObject("rows_by_class");
            dataset.rowsByClass().forEach(byClass::put);
            ArrayNode tiles = d.putArray("tiles");
            dataset.tiles().forEach(t -> tiles.add(t.id()));
            ArrayNode skipped = d.putArray("skipped");
            dataset.skipped().forEach(skipped::add);
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot write the evaluation as JSON", ex);
        }
    }

    /**
     * Writes {@code model.onnx}, {@code model-card.json} and {@code evaluation.json} into {@code dir} (created if
     * needed; each file replaced whole, never left half-written).
     *
     * @param artifact the model as it should be described (e.g. as published, with its registry version)
     */
    public static void writeFiles(Path dir, ModelArtifact artifact, TrainedModel trained, Dataset dataset)
            throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve(ModelArtifact.ONNX_FILE), artifact.onnx());
        write(dir.resolve(ModelArtifact.CARD_FILE), ModelCards.toJson(artifact.card()));
        write(dir.resolve(EVALUATION_FILE), evaluationJson(trained.evaluation(), dataset));
    }

    /** Rows per class as "maize 3000, tobacco 2999, ...". */
    public static String rowsByClass(Dataset dataset) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Integer> e : dataset.rowsByClass().entrySet()) {
            s.append(s.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        return s.toString();
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static String id(int code) {
        return CropClass.ofCode(code).map(CropClass::id).orElse("class_" + code);
    }
}
