package io.geocrop.tiles;

import io.geocrop.raster.codec.Zlib;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes a {@link TileImage} as a palette PNG: IHDR (8-bit, colour type 3), PLTE, tRNS (alpha of every entry up
 * to the last non-opaque one), one IDAT and IEND. Rows use filter type 0 (none), which the PNG specification
 * recommends for palette images: neighbouring palette indices are not numerically related, so differencing
 * them only hurts DEFLATE. The zlib stream comes from {@link Zlib} (libdeflate when present). Thread-safe.
 */
public final class PngEncoder {
    /** DEFLATE level used when none is given: with libdeflate level 6 costs well under a millisecond per 256 px tile. */
    public static final int DEFAULT_LEVEL = 6;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final int level;

    /** An encoder at {@link #DEFAULT_LEVEL}. */
    public PngEncoder() {
        this(DEFAULT_LEVEL);
    }

    /** An encoder at zlib level {@code level} (1 fastest .. 9 smallest). */
    public PngEncoder(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("PNG DEFLATE level must be 1..9, got " + level);
        }
        this.level = level;
    }

    /** The PNG file bytes of {@code image}. */
    public byte[] encode(TileImage image) {
        int w = image.width();
        int h = image.height();
        byte[] raw = new byte[(w + 1) * h];
        byte[] indices = image.indices();
        for (int y = 0; y < h; y++) {
            // raw[y * (w + 1)] stays 0: filter type "none".
            System.arraycopy(indices, y * w, raw, y * (w + 1) + 1, w);
        }
        byte[] idat = Zlib.compress(raw, level);
        int[] palette = image.palette();

        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + palette.length * 4 + 128);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 3;  // colour type: palette
        // compression 0, filter method 0, no interlace: bytes 10..12 stay 0
        chunk(out, "IHDR", ihdr);
        byte[] plte = new byte[palette.length * 3];
        int lastTranslucent = -1;
        for (int i = 0; i < palette.length; i++) {
            plte[i * 3] = (byte) (palette[i] >> 16);
            plte[i * 3 + 1] = (byte) (palette[i] >> 8);
            plte[i * 3 + 2] = (byte) palette[i];
            if ((palette[i] >>> 24) != 0xff) {
                lastTranslucent = i;
            }
        }
        chunk(out, "PLTE", plte);
        if (lastTranslucent >= 0) {
            // tRNS may stop early: entries past its end are opaque.
            byte[] trns = new byte[lastTranslucent + 1];
            for (int i = 0; i <= lastTranslucent; i++) {
                trns[i] = (byte) (palette[i] >>> 24);
            }
            chunk(out, "tRNS", trns);
        }
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] header = new byte[8];
        putInt(header, 0, data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(typeBytes, 0, header, 4, 4);
        out.writeBytes(header);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
