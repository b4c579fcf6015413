package io.geocrop.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpatialSplitTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void neverSplitsAGroupAndCoversEveryRowOnce(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 5_000;
        int[] groups = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = r.nextInt(60) * 7 - 100;   // unsorted, negative and sparse ids are fine
            labels[i] = 1 + r.nextInt(11);
        }
        SpatialSplit s = SpatialSplit.split(groups, labels, 0.25, seed);
        Map<Integer, Boolean> sideOfGroup = new HashMap<>();
        boolean[] seen = new boolean[n];
        for (int[] side : new int[][] {s.trainRows(), s.testRows()}) {
            boolean held = side == s.testRows();
            for (int i : side) {
                Boolean before = sideOfGroup.putIfAbsent(groups[i], held);
                assertTrue(before == null || before == held, "group " + groups[i] + " is on both sides");
                assertTrue(!seen[i], "row " + i + " twice");
                seen[i] = true;
            }
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
        assertEquals(n, s.trainRows().length + s.testRows().length);
        assertEquals(15, s.testGroups().length, "round(0.25 * 60) groups held out");
        Set<Integer> testGroups = new HashSet<>();
        for (int g : s.testGroups()) {
            testGroups.add(g);
        }
        for (int i : s.testRows()) {
            assertTrue(testGroups.contains(groups[i]));
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        int[] groups = new int[1000];
        int[] labels = new int[1000];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = i / 10;
            labels[i] = 1 + i % 3;
        }
        SpatialSplit a = SpatialSplit.split(groups, labels, 0.3, 9);
        SpatialSplit b = SpatialSplit.split(groups.clone(), labels.clone(), 0.3, 9);
        SpatialSplit c = SpatialSplit.split(groups, labels, 0.3, 10);
        assertArrayEquals(a.testRows(), b.testRows());
        assertTrue(!Arrays.equals(a.testGroups(), c.testGroups()));
    }

    @Test
    void aClassFoundInOneGroupOnlyIsKeptForTraining() {
        // Class 7 lives only in group 3; whatever the seed, training must see it.
        int[] groups = new int[400];
        int[] labels = new int[400];
        for (int i = 0; i < 400; i++) {
            groups[i] = i / 40;
            labels[i] = groups[i] == 3 && i % 2 == 0 ? 7 : 1 + i % 2;
        }
        for (long seed = 0; seed < 40; seed++) {
            SpatialSplit s = SpatialSplit.split(groups, labels, 0.5, seed);
            boolean trained = Arrays.stream(s.trainRows()).anyMatch(i -> labels[i] == 7);
            assertTrue(trained, "seed " + seed + " held out the only group of class 7");
            assertTrue(s.testRows().length > 0);
        }
    }

    @Test
    void rejectsWhatCannotBeSplit() {
        int[] one = new int[10];
        int[] labels = new int[10];
        assertThrows(IllegalArgumentException.class, () -> SpatialSplit.split(one, labels, 0.25, 1));
        int[] two = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
        assertThrows(IllegalArgumentException.class, () -> SpatialSplit.split(two, labels, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SpatialSplit.split(two, labels, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SpatialSplit.split(two, new int[3], 0.5, 1));
        assertEquals(1, SpatialSplit.split(two, labels, 0.9, 1).testGroups().length, "never every group");
    }
}
