package io.geocrop.models;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoldOutComparisonTest {

    /** 20 blocks of 50 rows, classes 1 and 2; the champion errs on every 10th row, the challenger on every 4th. */
    private static int[][] rows() {
        int n = 1000;
        int[] actual = new int[n];
        int[] challenger = new int[n];
        int[] champion = new int[n];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            actual[i] = i % 2 == 0 ? 1 : 2;
            groups[i] = i / 50;
            champion[i] = i % 10 == 0 ? 3 - actual[i] : actual[i];
            challenger[i] = i % 4 == 0 ? 3 - actual[i] : actual[i];
        }
        return new int[][] {actual, challenger, champion, groups};
    }

    @Test
    void scoresBothModelsOnTheSameRowsWithBlockBootstrapIntervals() {
        int[][] r = rows();
        HoldOutComparison.Comparison c = HoldOutComparison.compare(r[0], r[1], r[2], r[3], 200, 7);
        assertEquals(0.75, c.challenger().overallAccuracy().value(), 1e-12);
        assertEquals(0.90, c.champion().overallAccuracy().value(), 1e-12);
        // Both classes equally frequent and errors symmetric: kappa = (OA - 0.5) / 0.5.
        assertEquals(0.5, c.challenger().kappa().value(), 1e-12);
        assertEquals(0.8, c.champion().kappa().value(), 1e-12);
        assertEquals(-0.3, c.kappaDifference().value(), 1e-12);
        assertEquals(1000, c.rows());
        assertEquals(20, c.blocks());
        HoldOutComparison.Interval oa = c.challenger().overallAccuracy();
        assertTrue(oa.low() <= oa.value() && oa.value() <= oa.high(), oa.toString());
        assertTrue(c.kappaDifference().high() < 0, "clearly worse: the whole interval is below 0 " + c.kappaDifference());
        assertEquals(2, c.challenger().f1().size());
        HoldOutComparison.Comparison again = HoldOutComparison.compare(r[0], r[1], r[2], r[3], 200, 7);
        assertEquals(c.kappaDifference(), again.kappaDifference(), "same seed, same intervals");
        assertEquals(c.challenger().f1(), again.challenger().f1());
    }

    @Test
    void identicalModelsDifferByExactlyZero() {
        int[][] r = rows();
        HoldOutComparison.Comparison c = HoldOutComparison.compare(r[0], r[2], r[2], r[3], 100, 1);
        assertEquals(new HoldOutComparison.Interval(0, 0, 0), c.kappaDifference());
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 99 - i;
        }
        assertEquals(new HoldOutComparison.Interval(5, 2, 97), HoldOutComparison.interval(5, v));
    }

    @Test
    void refusesMismatchedInput() {
        assertThrows(IllegalArgumentException.class,
                () -> HoldOutComparison.compare(new int[] {1}, new int[] {1, 2}, new int[] {1}, new int[] {0}, 10, 1));
        assertThrows(IllegalArgumentException.class,
                () -> HoldOutComparison.compare(new int[0], new int[0], new int[0], new int[0], 10, 1));
    }
}
