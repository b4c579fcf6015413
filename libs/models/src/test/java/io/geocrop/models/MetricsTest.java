package io.geocrop.models;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void twoClassTextbookCase() {
        // The classic kappa example: 20 + 15 agreements of 50, chance agreement 0.5, kappa 0.4.
        Evaluation e = Metrics.fromConfusion(new long[][] {{20, 5}, {10, 15}}, List.of(1, 2), 100);
        assertEquals(0.7, e.overallAccuracy(), 1e-12);
        assertEquals(0.4, e.kappa(), 1e-12);
        assertEquals(40.0 / 55.0, e.f1ByClass().get(1), 1e-12);   // 2*20 / (25 + 30)
        assertEquals(30.0 / 45.0, e.f1ByClass().get(2), 1e-12);   // 2*15 / (25 + 20)
        assertEquals(50, e.testRows());
        assertEquals(100, e.trainRows());
    }

    @Test
    void threeClassCaseComputedByHand() {
        // rows: actual, columns: predicted. n = 100, correct = 30 + 25 + 20 = 75.
        long[][] c = {{30, 5, 5}, {5, 25, 0}, {5, 5, 20}};
        Evaluation e = Metrics.fromConfusion(c, List.of(1, 8, 10), 0);
        assertEquals(0.75, e.overallAccuracy(), 1e-12);
        // row sums 40, 30, 30; column sums 40, 35, 25 → pe = (1600 + 1050 + 750) / 10000 = 0.34
        assertEquals((0.75 - 0.34) / (1 - 0.34), e.kappa(), 1e-12);
        assertEquals(60.0 / 80.0, e.f1ByClass().get(1), 1e-12);
        assertEquals(50.0 / 65.0, e.f1ByClass().get(8), 1e-12);
        assertEquals(40.0 / 55.0, e.f1ByClass().get(10), 1e-12);
    }

    @Test
    void evaluateCountsIndicesIntoTheConfusionMatrix() {
        int[] actual = {0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        Evaluation e = Metrics.evaluate(actual, predicted, List.of(3, 4, 9), 10);
        assertArrayEquals(new long[] {1, 1, 0}, e.confusion()[0]);
        assertArrayEquals(new long[] {0, 2, 0}, e.confusion()[1]);
        assertArrayEquals(new long[] {1, 0, 2}, e.confusion()[2]);
        assertEquals(5.0 / 7.0, e.overallAccuracy(), 1e-12);
        assertEquals(List.of(3, 4, 9), e.classCodes());
    }

    @Test
    void perfectAgreementAndDegenerateChance() {
        Evaluation perfect = Metrics.fromConfusion(new long[][] {{10, 0}, {0, 5}}, List.of(1, 2), 0);
        assertEquals(1.0, perfect.kappa(), 1e-12);
        assertEquals(1.0, perfect.f1ByClass().get(2), 1e-12);
        // One class everywhere: chance agreement is total, kappa defined as 1 for a perfect prediction.
        Evaluation single = Metrics.fromConfusion(new long[][] {{7, 0}, {0, 0}}, List.of(1, 2), 0);
        assertEquals(1.0, single.kappa());
        assertFalse(single.f1ByClass().containsKey(2), "a class neither present nor predicted has no F1");
        // Always predicting one class for two balanced classes: no better than chance.
        Evaluation constant = Metrics.fromConfusion(new long[][] {{5, 0}, {5, 0}}, List.of(1, 2), 0);
        assertEquals(0.0, constant.kappa(), 1e-12);
        assertEquals(0.0, constant.f1ByClass().get(2), 1e-12);
    }

    @Test
    void cardMetricsUseClassIds() {
        Evaluation e = Metrics.fromConfusion(new long[][] {{20, 5}, {10, 15}}, List.of(1, 10), 100);
        Map<String, Double> m = Metrics.cardMetrics(e);
        assertEquals(0.7, m.get("overall_accuracy"), 1e-12);
        assertEquals(0.4, m.get("kappa"), 1e-12);
        assertTrue(m.containsKey("f1_maize") && m.containsKey("f1_water"), m.toString());
        assertEquals(50.0, m.get("test_rows"));
        // No held-out rows: no NaN leaks into a card (JSON has no NaN).
        Map<String, Double> empty = Metrics.cardMetrics(Metrics.fromConfusion(new long[2][2], List.of(1, 2), 3));
        assertFalse(empty.containsKey("kappa"));
        assertTrue(empty.values().stream().allMatch(Double::isFinite));
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.evaluate(new int[2], new int[3], List.of(1, 2), 0));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.evaluate(new int[] {0}, new int[] {2}, List.of(1, 2), 0));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.fromConfusion(new long[][] {{1, 2}}, List.of(1, 2), 0));
    }
}
