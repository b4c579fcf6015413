package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.proj.CrsTransforms;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TileRendererTest {
    private Path dir;
    private Path jobCog;
    private Path dwCog;
    private GeoTiff job;
    private GeoTiff dw;
    private LayerFootprint jobFootprint;
    private LayerFootprint dwFootprint;
    private final TileRenderer renderer = new TileRenderer();

    @BeforeAll
    void writeCogs(@TempDir Path tmp) throws Exception {
        dir = tmp;
        jobCog = TestCogs.writeJobResult(dir.resolve("crop-map.tif"));
        dwCog = TestCogs.writeDynamicWorld(dir.resolve("dw-label.tif"));
        job = GeoTiffReader.open(new FileByteSource(jobCog));
        dw = GeoTiffReader.open(new FileByteSource(dwCog));
        jobFootprint = LayerFootprint.of(job);
        dwFootprint = LayerFootprint.of(dw);
    }

    @AfterAll
    void close() throws Exception {
        job.close();
        dw.close();
    }

    @Test
    void classPixelsMatchTheCogAtTilePixelCentres() throws Exception {
        for (int z : new int[] {14, 15}) {
            int checked = 0;
            int outside = 0;
            for (TileCoord tile : TileMath.tilesCovering(jobFootprint.mercatorBounds(), z)) {
                TileImage image = renderer.render(job, jobFootprint, LayerStyle.CROP_CLASS, tile, 256);
                for (int py = 0; py < 256; py += 3) {
                    for (int px = 0; px < 256; px += 3) {
                        int[] p = TestCogs.jobResultPixel(tile, 256, px, py);
                        if (p == null) {
                            continue;
                        }
                        int expected = TestCogs.insideJobResult(p) ? TestCogs.classAt(p[0], p[1]) : LayerStyle.CROP_CLASS.transparentIndex();
                        outside += TestCogs.insideJobResult(p) ? 0 : 1;
                        assertEquals(expected, image.index(px, py), "z" + tile + " pixel " + px + "," + py + " over COG pixel "
                                + p[0] + "," + p[1]);
                        checked++;
                    }
                }
            }
            assertTrue(checked > 2000, "checked " + checked + " pixels at z" + z);
            assertTrue(outside > 0, "tiles at the layer's edge must have transparent pixels outside the data");
        }
    }

    @Test
    void confidenceIsTheRampIndexAndTransparentWhereTheClassIsNodata() throws Exception {
        TileCoord tile = TileMath.tilesCovering(jobFootprint.mercatorBounds(), 15).get(5);
        TileImage image = renderer.render(job, jobFootprint, LayerStyle.CONFIDENCE, tile, 256);
        assertEquals(102, image.palette().length);
        int masked = 0;
        int coloured = 0;
        for (int py = 0; py < 256; py += 2) {
            for (int px = 0; px < 256; px += 2) {
                int[] p = TestCogs.jobResultPixel(tile, 256, px, py);
                if (p == null || !TestCogs.insideJobResult(p)) {
                    continue;
                }
                boolean nodata = TestCogs.classAt(p[0], p[1]) == 0;
                int expected = nodata ? LayerStyle.CONFIDENCE.transparentIndex() : TestCogs.confidenceAt(p[0], p[1]);
                assertEquals(expected, image.index(px, py));
                if (nodata) {
                    masked++;
                } else {
                    coloured++;
                }
            }
        }
        assertTrue(masked > 0 && coloured > 0, "masked " + masked + ", coloured " + coloured);
    }

    @Test
    void lowZoomsReadOverviewsLikeGdalwarp() throws Exception {
        assertTrue(job.levelCount() > 1, "the fixture must have overviews");
        for (int z : new int[] {11, 12, 13}) {
            for (TileCoord tile : TileMath.tilesCovering(jobFootprint.mercatorBounds(), z)) {
                compareWithGdal(jobCog, job, jobFootprint, LayerStyle.CROP_CLASS, tile, 256);
            }
        }
    }

    @Test
    void geographicBaselineMatchesGdalwarpAtHighAndLowZoom() throws Exception {
        for (int z : new int[] {12, 15}) {
            for (TileCoord tile : TileMath.tilesCovering(dwFootprint.mercatorBounds(), z)) {
                compareWithGdal(dwCog, dw, dwFootprint, LayerStyle.DYNAMIC_WORLD, tile, 256);
            }
        }
    }

    @Test
    void retinaTilesAre512PixelsAndAgreeWithGdal() throws Exception {
        TileCoord tile = TileMath.tilesCovering(jobFootprint.mercatorBounds(), 14).getFirst();
        TileImage image = compareWithGdal(jobCog, job, jobFootprint, LayerStyle.CROP_CLASS, tile, 512);
        assertEquals(512, image.width());
        assertEquals(512, image.height());
    }

    private TileImage compareWithGdal(Path file, GeoTiff tiff, LayerFootprint fp, LayerStyle style, TileCoord tile, int size)
            throws Exception {
        TileImage image = renderer.render(tiff, fp, style, tile, size);
        Raster gdal = GdalWarp.tile(file, tile, size, dir);
        byte[] ref = gdal.bytes(style.band());
        int differ = 0;
        int data = 0;
        for (int i = 0; i < ref.length; i++) {
            int expected = style.indexOf(ref[i] & 0xff);
            int nodata = tiff.metadata().nodata().intValue();
            if ((ref[i] & 0xff) == nodata) {
                expected = style.transparentIndex();
            } else {
                data++;
            }
            if ((image.indices()[i] & 0xff) != expected) {
                differ++;
            }
        }
        // Both sides approximate the transform to 0.125 px, so a few pixels on class edges may differ.
        assertTrue(differ <= ref.length / 200, tile + " @" + size + ": " + differ + " of " + ref.length + " pixels differ from gdalwarp");
        assertTrue(data > 0 || differ == 0, tile + " has no data in gdalwarp's output either");
        return image;
    }

    @Test
    void tilesOffTheLayerAreRefused() {
        TileCoord far = new TileCoord(14, 0, 0);
        assertThrows(TileOutsideLayerException.class, () -> renderer.render(job, jobFootprint, LayerStyle.CROP_CLASS, far, 256));
    }

    @Test
    void wholeWorldTileRendersMostlyTransparent() throws Exception {
        TileImage image = renderer.render(job, jobFootprint, LayerStyle.CROP_CLASS, new TileCoord(0, 0, 0), 256);
        int opaque = 0;
        for (byte b : image.indices()) {
            opaque += b != 0 ? 1 : 0;
        }
        assertTrue(opaque <= 1, "a 7 x 5 km raster covers at most one pixel of the world tile, got " + opaque);
    }

    @Test
    void badSizesAreRefusedNamingTheSize() {
        TileCoord tile = TileMath.tilesCovering(jobFootprint.mercatorBounds(), 14).getFirst();
        InvalidTileException e = assertThrows(InvalidTileException.class,
                () -> renderer.render(job, jobFootprint, LayerStyle.CROP_CLASS, tile, 0));
        assertEquals("size", e.field());
    }

    @Test
    void footprintCoversTheRasterAndZoomsFitItsResolution() {
        Bounds ll = jobFootprint.lonLatBounds();
        assertTrue(ll.minX() < 31.05 && 31.05 < ll.maxX() && ll.minY() < -17.83 && -17.83 < ll.maxY(), ll.toString());
        // 10 m at 17.8 S is 10.5 Web Mercator metres: z14 pixels are 9.55 m, z13 pixels 19.1 m.
        assertEquals(14, jobFootprint.maxZoom());
        assertTrue(jobFootprint.minZoom() < jobFootprint.maxZoom(), "overviews lower the min zoom");
        assertFalse(jobFootprint.mercatorBounds().overlaps(TileMath.mercatorBounds(new TileCoord(14, 0, 0))));
    }

    @Test
    void overviewChoiceFollowsGdal() {
        List<io.geocrop.raster.Overview> levels = List.of(
                new io.geocrop.raster.Overview(0, 1000, 1000, 256, 256, null),
                new io.geocrop.raster.Overview(1, 500, 500, 256, 256, null),
                new io.geocrop.raster.Overview(2, 250, 250, 256, 256, null));
        assertEquals(0, TileRenderer.chooseLevel(levels, 0.5));
        assertEquals(0, TileRenderer.chooseLevel(levels, 1.99));
        assertEquals(1, TileRenderer.chooseLevel(levels, 2.0));
        assertEquals(1, TileRenderer.chooseLevel(levels, 3.9));
        assertEquals(2, TileRenderer.chooseLevel(levels, 40));
    }
}
