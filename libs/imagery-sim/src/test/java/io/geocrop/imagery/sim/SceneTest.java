package io.geocrop.imagery.sim;

import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.UtmZone;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneTest {
    @Test
    void gridSquareLettersMatchRealMgrsTiles() {
        // DEA tile 37MGP has its south-west 100 km square at 700 000 E, 9 300 000 N (zone 37S).
        Scene deaTile = new Scene(new UtmZone(37, true), 70, 930, 1, 1);
        assertEquals("GP", deaTile.gridSquare());
        assertEquals('M', deaTile.latitudeBand());
        // Earth Search tile 28QCH: 300 000 E, 2 200 000 N (zone 28N, an even zone: rows shifted by 5).
        Scene esTile = new Scene(new UtmZone(28, false), 30, 220, 1, 1);
        assertEquals("CH", esTile.gridSquare());
        assertEquals('Q', esTile.latitudeBand());
    }

    @Test
    void idsRoundTrip() {
        for (Scene s : new Scene[] {new Scene(SimTestSupport.ZONE_36S, 28, 803, 1, 1),
                new Scene(SimTestSupport.ZONE_36S, 29, 799, 3, 2), new Scene(new UtmZone(35, true), 79, 765, 2, 2),
                new Scene(new UtmZone(37, true), 70, 930, 6, 6)}) {
            assertEquals(s, Scene.parse(s.id()), s.id());
        }
        assertEquals("36KTF83", new Scene(SimTestSupport.ZONE_36S, 28, 803, 1, 1).id());
        assertEquals("36KTF83-3x2", new Scene(SimTestSupport.ZONE_36S, 28, 803, 3, 2).id());
    }

    @Test
    void badIdsAreRejectedWithTheId() {
        for (String bad : new String[] {"", "36KTF8", "36KIF83", "36KTF83-0x1", "36KTF83-7x1", "99KTF83", "36KTF83x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scene.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void sceneCoversTheAoiProcessingExtentWithMarginOnTheTwentyMetreGrid() {
        var plan = ProcessingGrid.plan(SimTestSupport.AOI);
        double[] bbox = SimTestSupport.AOI.bbox();
        Scene scene = Scene.covering(bbox[0], bbox[1], bbox[2], bbox[3]);
        assertEquals(plan.zone(), scene.zone());
        assertTrue(scene.minX() <= plan.minX() - Scene.MARGIN_M && scene.maxX() >= plan.maxX() + Scene.MARGIN_M);
        assertTrue(scene.minY() <= plan.minY() - Scene.MARGIN_M && scene.maxY() >= plan.maxY() + Scene.MARGIN_M);
        assertEquals(0, scene.minX() % 20);
        assertEquals(0, scene.maxY() % 20);
        assertEquals(1, scene.cellsX());
        assertEquals(1, scene.cellsY());
        // The 20 m grid's pixels are exactly 2 x 2 of the 10 m grid's, sharing the origin.
        assertEquals(scene.width(10), 2 * scene.width(20));
        assertEquals(scene.transform(10).originX(), scene.transform(20).originX());
        assertEquals(scene.transform(10).originY(), scene.transform(20).originY());
    }

    @Test
    void anAoiAcrossACellEdgeGetsAWiderScene() {
        double[] onEdge = SimTestSupport.ZONE_36S.inverse(290_000, 8_035_000);
        Scene s = Scene.covering(onEdge[0] - 0.001, onEdge[1] - 0.001, onEdge[0] + 0.001, onEdge[1] + 0.001);
        assertEquals(2, s.cellsX());
        assertEquals(1, s.cellsY());
        assertEquals(28, s.cellX());
    }

    @Test
    void tooLargeOrInvalidBoxesAreRefused() {
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> Scene.covering(29.0, -19.0, 31.0, -17.0));
        assertTrue(large.getMessage().contains("too large"), large.getMessage());
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
                () -> Scene.covering(31.0, -17.0, 30.0, -18.0));
        assertTrue(inverted.getMessage().contains("min <= max"), inverted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scene.covering(Double.NaN, -17.0, 30.0, -18.0));
    }
}
