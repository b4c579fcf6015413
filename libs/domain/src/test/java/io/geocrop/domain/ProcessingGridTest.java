package io.geocrop.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ProcessingGridTest {

    @Test
    void planUsesTheCentreZoneAndWholePixels() {
        ProcessingGrid.JobPlan plan = ProcessingGrid.plan(new Aoi(31.05, -17.83, 2000));
        assertEquals(32736, plan.zone().epsg());
        assertEquals(0, plan.minX() % 10);
        assertEquals(0, plan.maxY() % 10);
        // A 2 km circle is about 4 km across, i.e. about 400 px (UTM scale adds a little).
        assertTrue(plan.widthPx() >= 400 && plan.widthPx() <= 402, "width " + plan.widthPx());
        assertTrue(plan.heightPx() >= 400 && plan.heightPx() <= 402, "height " + plan.heightPx());
    }

    @Test
    void tilesCoverTheEnvelopeAndAreGridAligned() {
        ProcessingGrid.JobPlan plan = ProcessingGrid.plan(new Aoi(29.5, -19.2, 10_000));
        assertEquals(32735, plan.zone().epsg());
        assertFalse(plan.tiles().isEmpty());
        assertEquals(plan.tiles().size(), new HashSet<>(plan.tiles()).size());
        for (JobTile tile : plan.tiles()) {
            assertEquals(0, tile.minX() % ProcessingGrid.TILE_SIZE_M);
            assertEquals(JobTile.parse(tile.id()), tile);
        }
        // Every pixel centre of the envelope that lies inside the circle belongs to some tile.
        double[] c = plan.zone().forward(29.5, -19.2);
        for (double x = plan.minX() + 5; x < plan.maxX(); x += 250) {
            for (double y = plan.minY() + 5; y < plan.maxY(); y += 250) {
                if (Math.hypot(x - c[0], y - c[1]) > 9_990) {
                    continue;
                }
                double px = x, py = y;
                assertTrue(plan.tiles().stream().anyMatch(t -> px >= t.minX() && px < t.maxX() && py >= t.minY() && py < t.maxY()),
                        "pixel " + x + "," + y + " not in any tile");
            }
        }
        // A 20 km wide circle spans at most 5 x 5 tiles of 5.12 km, and cuts the corners off.
        assertTrue(plan.tiles().size() <= 25 && plan.tiles().size() >= 16, "tiles " + plan.tiles().size());
    }

    @Test
    void sameGroundSameTileIds() {
        var a = ProcessingGrid.plan(new Aoi(31.05, -17.83, 500)).tiles();
        var b = ProcessingGrid.plan(new Aoi(31.0502, -17.8301, 600)).tiles();
        assertTrue(b.containsAll(a));
    }
}
