package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

    private static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(img != null, "ImageIO could not read the PNG");
        return img;
    }

    private static boolean hasChunk(byte[] png, String type) {
        return new String(png, StandardCharsets.ISO_8859_1).contains(type);
    }

    /** The data length of the first chunk of {@code type}, read from the file structure. */
    private static int chunkLength(byte[] png, String type) {
        int at = 8;
        while (at + 8 <= png.length) {
            int len = (png[at] & 0xff) << 24 | (png[at + 1] & 0xff) << 16 | (png[at + 2] & 0xff) << 8 | png[at + 3] & 0xff;
            if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return len;
            }
            at += 12 + len;
        }
        return -1;
    }

    @Test
    void categoricalTileRoundTripsWithPaletteAndTransparency() throws Exception {
        int w = 37;
        int h = 19;
        byte[] idx = new byte[w * h];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (byte) (i % 12);
        }
        TileImage image = new TileImage(w, h, idx, LayerStyle.CROP_CLASS.palette());
        byte[] png = new PngEncoder().encode(image);
        assertTrue(hasChunk(png, "PLTE") && hasChunk(png, "tRNS"));
        BufferedImage img = decode(png);
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        assertInstanceOf(IndexColorModel.class, img.getColorModel());
        assertEquals(12 * 3, chunkLength(png, "PLTE"));
        assertEquals(1, chunkLength(png, "tRNS"), "only entry 0 is transparent");
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                assertEquals(i % 12, img.getRaster().getSample(x, y, 0));
                int argb = img.getRGB(x, y);
                if (i % 12 == 0) {
                    assertEquals(0, argb >>> 24, "nodata is transparent");
                } else {
                    assertEquals(LayerStyle.CROP_CLASS.palette()[i % 12], argb);
                }
            }
        }
    }

    @Test
    void confidenceRampKeepsAllEntriesAndATransparentLastOne() throws Exception {
        byte[] idx = new byte[102 * 3];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (byte) (i % 102);
        }
        byte[] png = new PngEncoder(1).encode(new TileImage(102, 3, idx, LayerStyle.CONFIDENCE.palette()));
        assertEquals(102 * 3, chunkLength(png, "PLTE"));
        assertEquals(102, chunkLength(png, "tRNS"));
        BufferedImage img = decode(png);
        assertInstanceOf(IndexColorModel.class, img.getColorModel());
        assertEquals(0xff000000 | ConfidenceRamp.rgb(0), img.getRGB(0, 0));
        assertEquals(0xff000000 | ConfidenceRamp.rgb(100), img.getRGB(100, 1));
        assertEquals(0, img.getRGB(101, 2) >>> 24);
    }

    @Test
    void opaquePaletteHasNoTrns() throws Exception {
        byte[] png = new PngEncoder(9).encode(new TileImage(4, 4, new byte[16], new int[] {0xff123456}));
        assertEquals(-1, chunkLength(png, "tRNS"));
        assertEquals(0xff123456, decode(png).getRGB(3, 3));
    }

    @Test
    void invalidInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PngEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new TileImage(4, 4, new byte[15], new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new TileImage(1, 1, new byte[1], new int[257]));
    }
}
