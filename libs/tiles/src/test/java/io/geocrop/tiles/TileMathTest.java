package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TileMathTest {
    private static final double WORLD = 20037508.342789244;

    @Test
    void zoomZeroIsTheWholeSquare() {
        Bounds b = TileMath.mercatorBounds(new TileCoord(0, 0, 0));
        assertEquals(-WORLD, b.minX(), 1e-6);
        assertEquals(-WORLD, b.minY(), 1e-6);
        assertEquals(WORLD, b.maxX(), 1e-6);
        assertEquals(WORLD, b.maxY(), 1e-6);
        Bounds ll = TileMath.lonLatBounds(new TileCoord(0, 0, 0));
        assertEquals(-180, ll.minX(), 1e-9);
        assertEquals(180, ll.maxX(), 1e-9);
        assertEquals(85.0511287798066, ll.maxY(), 1e-9);
        assertEquals(-85.0511287798066, ll.minY(), 1e-9);
    }

    @Test
    void knownTilesHaveKnownBounds() {
        // z1: the north-east quadrant.
        Bounds ne = TileMath.mercatorBounds(new TileCoord(1, 1, 0));
        assertEquals(0, ne.minX(), 1e-6);
        assertEquals(0, ne.minY(), 1e-6);
        assertEquals(WORLD, ne.maxX(), 1e-6);
        // Harare (31.05 E, 17.83 S) at z12 is tile 2401/2254 (the usual slippy-map formula).
        Bounds ll = TileMath.lonLatBounds(new TileCoord(12, 2401, 2254));
        assertEquals(31.02539, ll.minX(), 1e-5);
        assertEquals(31.11328, ll.maxX(), 1e-5);
        assertEquals(-17.811456, ll.maxY(), 1e-5);
        assertEquals(-17.895114, ll.minY(), 1e-5);
    }

    @ParameterizedTest
    @CsvSource({"-1,0,0,z", "25,0,0,z", "3,8,0,x", "3,-1,0,x", "3,0,8,y", "0,0,1,y"})
    void outOfRangeAddressesNameTheField(int z, int x, int y, String field) {
        InvalidTileException e = assertThrows(InvalidTileException.class, () -> new TileCoord(z, x, y));
        assertEquals(field, e.field());
    }

    @Test
    void deepestZoomIsAccepted() {
        new TileCoord(24, (1 << 24) - 1, (1 << 24) - 1);
    }

    @Test
    void zoomForResolution() {
        // z0 pixels are 156543.03 m: exactly that resolution is z0, a bit finer needs z1.
        assertEquals(0, TileMath.zoomForResolution(2 * WORLD / 256, 256));
        assertEquals(1, TileMath.zoomForResolution(2 * WORLD / 256 * 0.99, 256));
        assertEquals(14, TileMath.zoomForResolution(10.5, 256));
        assertEquals(24, TileMath.zoomForResolution(1e-6, 256));
    }

    @Test
    void tilesCoveringABox() {
        Bounds box = TileMath.mercatorBounds(new TileCoord(12, 2401, 2254));
        assertEquals(List.of(new TileCoord(12, 2401, 2254)), TileMath.tilesCovering(box, 12));
        List<TileCoord> z13 = TileMath.tilesCovering(box, 13);
        assertEquals(List.of(new TileCoord(13, 4802, 4508), new TileCoord(13, 4803, 4508), new TileCoord(13, 4802, 4509),
                new TileCoord(13, 4803, 4509)), z13);
        assertEquals(List.of(new TileCoord(0, 0, 0)), TileMath.tilesCovering(box, 0));
    }

    @Test
    void mercatorRoundTrip() {
        assertEquals(-17.83, TileMath.lat(TileMath.mercatorY(-17.83)), 1e-12);
        assertEquals(31.05, TileMath.lon(TileMath.mercatorX(31.05)), 1e-12);
    }
}
