package io.geocrop.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A spatially held-out split: whole spatial groups (blocks) go to either the training or the held-out rows, so
 * neighbouring, near-identical pixels never sit on both sides and the evaluation is honest.
 *
 * @param trainRows  row indices used for training, ascending
 * @param testRows   row indices held out, ascending
 * @param testGroups the held-out group ids, ascending
 */
public record SpatialSplit(int[] trainRows, int[] testRows, int[] testGroups) {

    /**
     * Holds out {@code round(holdOutFraction * groups)} groups (at least one, never all), chosen by a seeded
     * shuffle of the sorted group ids. Then, for each class that no training row has, the first held-out group (in
     * shuffled order) containing it moves back to training, unless it is the last held-out group: every class the
     * data has is trained on where possible.
     *
     * @throws IllegalArgumentException if there are fewer than two groups or the fraction is not in (0, 1)
     */
    public static SpatialSplit split(int[] groups, int[] labels, double holdOutFraction, long seed) {
        if (groups.length != labels.length) {
            throw new IllegalArgumentException(groups.length + " groups for " + labels.length + " labels");
        }
        if (!(holdOutFraction > 0 && holdOutFraction < 1)) {
            throw new IllegalArgumentException("holdOutFraction must be between 0 and 1 (exclusive), got "
                    + holdOutFraction);
        }
        int[] ids = Arrays.stream(groups).distinct().sorted().toArray();
        if (ids.length < 2) {
            throw new IllegalArgumentException("a spatial hold-out needs at least 2 spatial groups, the data has "
                    + ids.length);
        }
        Random random = new Random(seed);
        for (int i = ids.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = ids[i];
            ids[i] = ids[j];
            ids[j] = tmp;
        }
        int nTest = (int) Math.max(1, Math.min(ids.length - 1, Math.round(holdOutFraction * ids.length)));
        // Held-out groups in shuffled order, so the ones moved back to training are chosen reproducibly.
        Set<Integer> test = new LinkedHashSet<>();
        for (int i = 0; i < nTest; i++) {
            test.add(ids[i]);
        }
        Map<Integer, Set<Integer>> classesByGroup = new HashMap<>();
        for (int i = 0; i < groups.length; i++) {
            classesByGroup.computeIfAbsent(groups[i], g -> new TreeSet<>()).add(labels[i]);
        }
        SortedSet<Integer> allClasses = new TreeSet<>();
        for (int label : labels) {
            allClasses.add(label);
        }
        for (int cls : allClasses) {
            if (trainedClasses(classesByGroup, test).contains(cls) || test.size() <= 1) {
                continue;
            }
            for (int g : test) {
                if (classesByGroup.get(g).contains(cls)) {
                    test.remove(g);
                    break;
                }
            }
        }
        BitSet isTest = new BitSet(groups.length);
        List<Integer> testGroupList = new ArrayList<>(new TreeSet<>(test));
        int nTestRows = 0;
        for (int i = 0; i < groups.length; i++) {
            if (test.contains(groups[i])) {
                isTest.set(i);
                nTestRows++;
            }
        }
        int[] trainRows = new int[groups.length - nTestRows];
        int[] testRows = new int[nTestRows];
        int a = 0;
        int b = 0;
        for (int i = 0; i < groups.length; i++) {
            if (isTest.get(i)) {
                testRows[b++] = i;
            } else {
                trainRows[a++] = i;
            }
        }
        return new SpatialSplit(trainRows, testRows, testGroupList.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Set<Integer> trainedClasses(Map<Integer, Set<Integer>> classesByGroup, Set<Integer> test) {
        Set<Integer> out = new TreeSet<>();
        classesByGroup.forEach((g, classes) -> {
            if (!test.contains(g)) {
                out.addAll(classes);
            }
        });
        return out;
    }
}
