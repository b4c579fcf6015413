package io.geocrop.models;

import io.geocrop.domain.CropClass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Classification metrics: overall accuracy, Cohen's kappa, per-class F1 and the confusion matrix. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Evaluates predictions given as indices into {@code classCodes}.
     *
     * @param actual     true class index of each held-out row
     * @param predicted  predicted class index of each held-out row
     * @param classCodes index → {@code CropClass} code; order of the confusion matrix
     * @param trainRows  rows used for training (recorded in the evaluation)
     */
    public static Evaluation evaluate(int[] actual, int[] predicted, List<Integer> classCodes, long trainRows) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual classes but " + predicted.length
                    + " predictions");
        }
        int c = classCodes.size();
        long[][] confusion = new long[c][c];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
                throw new IllegalArgumentException("class index out of range at row " + i + ": actual " + actual[i]
                        + ", predicted " + predicted[i] + ", " + c + " classes");
            }
            confusion[actual[i]][predicted[i]]++;
        }
        return fromConfusion(confusion, classCodes, trainRows);
    }

    /**
     * Metrics of a confusion matrix ({@code confusion[actual][predicted]}). F1 is reported for every class that
     * occurs in the held-out rows or is predicted; kappa is 1 for a perfect agreement and 0 when chance agreement
     * is already total (a single class everywhere) but the prediction is not perfect.
     */
    public static Evaluation fromConfusion(long[][] confusion, List<Integer> classCodes, long trainRows) {
        int c = classCodes.size();
        if (confusion.length != c) {
            throw new IllegalArgumentException("confusion matrix has " + confusion.length + " rows for " + c
                    + " classes");
        }
        long total = 0;
        long correct = 0;
        long[] rowSum = new long[c];
        long[] colSum = new long[c];
        for (int a = 0; a < c; a++) {
            if (confusion[a].length != c) {
                throw new IllegalArgumentException("confusion matrix row " + a + " has " + confusion[a].length
                        + " columns for " + c + " classes");
            }
            for (int p = 0; p < c; p++) {
                long v = confusion[a][p];
                total += v;
                rowSum[a] += v;
                colSum[p] += v;
                if (a == p) {
                    correct += v;
                }
            }
        }
        double oa = total == 0 ? Double.NaN : (double) correct / total;
        double kappa;
        if (total == 0) {
            kappa = Double.NaN;
        } else {
            double expected = 0;
            for (int k = 0; k < c; k++) {
                expected += ((double) rowSum[k] / total) * ((double) colSum[k] / total);
            }
            kappa = expected >= 1.0 ? (correct == total ? 1.0 : 0.0) : (oa - expected) / (1.0 - expected);
        }
        Map<Integer, Double> f1 = new LinkedHashMap<>();
        for (int k = 0; k < c; k++) {
            if (rowSum[k] == 0 && colSum[k] == 0) {
                continue;
            }
            long tp = confusion[k][k];
            f1.put(classCodes.get(k), 2.0 * tp / (rowSum[k] + colSum[k]));
        }
        long[][] copy = new long[c][];
        for (int a = 0; a < c; a++) {
            copy[a] = confusion[a].clone();
        }
        return new Evaluation(oa, kappa, Map.copyOf(f1), List.copyOf(classCodes), copy, trainRows, total);
    }

    /**
     * The evaluation as model-card metrics: {@code overall_accuracy}, {@code kappa}, {@code f1_<class id>} (e.g.
     * {@code f1_maize}), {@code train_rows}, {@code test_rows}. NaN values (no held-out rows) are left out.
     */
    public static Map<String, Double> cardMetrics(Evaluation e) {
        Map<String, Double> m = new TreeMap<>();
        putFinite(m, "overall_accuracy", e.overallAccuracy());
        putFinite(m, "kappa", e.kappa());
        e.f1ByClass().forEach((code, f1) -> putFinite(m, "f1_" + classId(code), f1));
        m.put("train_rows", (double) e.trainRows());
        m.put("test_rows", (double) e.testRows());
        return m;
    }

    /** The {@code CropClass} id of a code, or {@code class_<code>} for a code outside the v1 classes. */
    static String classId(int code) {
        return CropClass.ofCode(code).map(CropClass::id).orElse("class_" + code);
    }

    private static void putFinite(Map<String, Double> m, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        }
    }
}
