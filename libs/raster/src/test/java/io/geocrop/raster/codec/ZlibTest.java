package io.geocrop.raster.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.RasterFormatException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** libdeflate and java.util.zip are interchangeable: each decodes what the other wrote, and bad data fails alike. */
class ZlibTest {
    static byte[] tileLike(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 2) {
            int v = 1500 + (int) (r.nextGaussian() * 40) + (i / 512 % 7) * 150;
            b[i] = (byte) v;
            b[i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    @Test
    void libdeflateIsFoundOnMachinesWithGdal() {
        // .ci/run installs GDAL, which brings libdeflate0: losing the fast path must not go unnoticed.
        assertTrue(Zlib.nativeAvailable(), "libdeflate.so.0 was not found or its bindings failed");
    }

    @Test
    void eachSideDecodesWhatTheOtherWrote() throws Exception {
        for (int level : new int[] {1, 6, 9}) {
            byte[] raw = tileLike(512 * 512 * 2, level);
            byte[] fast = Zlib.compress(raw, level);
            byte[] java = Zlib.javaCompress(raw, level);
            byte[] out = new byte[raw.length];
            DeflateDecompressor.INSTANCE.decompress(java, out);
            assertArrayEquals(raw, out);
            Arrays.fill(out, (byte) 0);
            DeflateDecompressor.INSTANCE.decompress(fast, out);
            assertArrayEquals(raw, out);
            java.util.zip.Inflater inflater = new java.util.zip.Inflater();
            inflater.setInput(fast);
            byte[] viaJava = new byte[raw.length];
            assertTrue(inflater.inflate(viaJava) == raw.length && inflater.finished());
            inflater.end();
            assertArrayEquals(raw, viaJava);
        }
    }

    @Test
    void badOrShortStreamsFailWithTheSameMessagesEitherWay() throws Exception {
        byte[] raw = tileLike(4096, 3);
        byte[] packed = Zlib.compress(raw, 6);
        byte[] shortOut = new byte[raw.length + 10];
        RasterFormatException e = assertThrows(RasterFormatException.class,
                () -> DeflateDecompressor.INSTANCE.decompress(packed, shortOut));
        assertTrue(e.getMessage().contains("ends after " + raw.length), e.getMessage());
        byte[] corrupt = packed.clone();
        for (int i = 2; i < corrupt.length; i += 7) {
            corrupt[i] ^= 0x5A;
        }
        assertThrows(RasterFormatException.class, () -> DeflateDecompressor.INSTANCE.decompress(corrupt, new byte[raw.length]));
        // A stream longer than the tile (allowed by libtiff) still yields the tile's bytes.
        byte[] longer = Zlib.javaCompress(Arrays.copyOf(raw, raw.length * 2), 6);
        byte[] out = new byte[raw.length];
        assertFalse(Zlib.tryDecompressExactly(longer, out));
        DeflateDecompressor.INSTANCE.decompress(longer, out);
        assertArrayEquals(raw, out);
        assertThrows(IllegalArgumentException.class, () -> Zlib.compress(raw, 0));
    }

    @Test
    void javaCompressMatchesDeflaterOutput() {
        byte[] raw = tileLike(10_000, 9);
        Deflater d = new Deflater(6);
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[20_000];
        int n = d.deflate(buf);
        d.end();
        assertArrayEquals(Arrays.copyOf(buf, n), Zlib.javaCompress(raw, 6));
    }
}
