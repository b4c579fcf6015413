package io.geocrop.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.UtmZone;
import io.geocrop.imagery.sim.SimulatedLandscape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedTruthDatasetTest {

    @Test
    void theTrainingAreaIsAFunctionOfTheSeed() {
        assertEquals(TrainingArea.choose(42, 2), TrainingArea.choose(42, 2));
        assertEquals(TrainingArea.choose(42, 1), TrainingArea.choose(42, 2).subList(0, 1));
        assertNotEquals(TrainingArea.choose(42, 1), TrainingArea.choose(7, 1));
        for (JobTile tile : TrainingArea.choose(7, 3)) {
            assertTrue(TrainingArea.singleScene(tile), tile + " is answered with one 10 km scene");
            assertEquals(CropClass.values().length, TrainingArea.classesPresent(
                    new SimulatedLandscape(7, UtmZone.ofEpsg(tile.epsg())), tile), tile + " holds every class");
        }
    }

    @Test
    void classBalancedUpToTheCapAndLabelledByTheGroundTruth() {
        Dataset d = SimFixture.truthDataset();
        float[][] reference = SimFixture.referenceFeatures();
        JobTile tile = SimFixture.tile();
        SimulatedLandscape land = SimFixture.imagery().dea().landscape(UtmZone.ofEpsg(tile.epsg()));
        byte[] truth = land.truth(tile.minX(), tile.maxY(), 512, 512).bytes(0);
        // Expected count per class: the cap, or every pixel of that class with a clear observation if fewer.
        int[] usable = new int[12];
        for (int p = 0; p < truth.length; p++) {
            if (!NoSkewTest.allNaN(reference, p)) {
                usable[truth[p]]++;
            }
        }
        int[] rows = new int[12];
        for (int i = 0; i < d.data().size(); i++) {
            PixelRef at = d.locations().get(i);
            int label = d.data().labels()[i];
            assertEquals(truth[at.index()], label, "label of row " + i + " is the truth at " + at);
            double[] c = at.centre();
            assertEquals(land.classAt(c[0], c[1]).code(), label);
            assertFalse(NoSkewTest.allNaN(reference, at.index()), "no row without a clear observation");
            rows[label]++;
        }
        for (CropClass c : CropClass.values()) {
            assertTrue(usable[c.code()] > 0, c + " is present in the training tile");
            assertEquals(Math.min(SimFixture.OPTIONS.maxRowsPerClass(), usable[c.code()]), rows[c.code()], c.id());
        }
        assertEquals(d.data().size(), java.util.Arrays.stream(rows).sum());
        assertEquals(List.of(tile), d.tiles());
        assertTrue(d.reference().startsWith("embedded ground truth, seed 42, season 2024, tiles " + tile.id()
                + ", at most 300 px per class, 64 px blocks, " + EmbeddedTruthDataset.SIMULATION_TAG + ", rows "
                + d.fingerprint()), d.reference());
        assertTrue(d.stageTimes().containsKey(Stages.IMAGERY) && d.stageTimes().containsKey(Stages.FEATURES));
    }

    @Test
    void groupsAreTheSpatialBlocksOfTheRows() {
        Dataset d = SimFixture.truthDataset();
        Map<Integer, String> blockOfGroup = new HashMap<>();
        Map<String, Integer> groupOfBlock = new HashMap<>();
        for (int i = 0; i < d.data().size(); i++) {
            PixelRef at = d.locations().get(i);
            String block = at.tile().id() + "/" + at.x() / 64 + "/" + at.y() / 64;
            int group = d.data().groups()[i];
            assertEquals(block, blockOfGroup.computeIfAbsent(group, g -> block), "group " + group + " is one block");
            assertEquals(group, groupOfBlock.computeIfAbsent(block, b -> group), "block " + block + " is one group");
        }
        assertEquals(64, d.groupCount(), "a 512 px tile holds 8 x 8 blocks of 64 px, each with sampled rows");
    }

    @Test
    void rowsAreInTileThenPixelOrder() {
        Dataset d = SimFixture.truthDataset();
        for (int i = 1; i < d.data().size(); i++) {
            assertTrue(d.locations().get(i - 1).index() < d.locations().get(i).index());
        }
    }
}
