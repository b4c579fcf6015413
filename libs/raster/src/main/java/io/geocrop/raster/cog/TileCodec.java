package io.geocrop.raster.cog;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.geocrop.raster.CogWriteOptions.Compression;
import io.geocrop.raster.CogWriteOptions.Predictor;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.codec.DeflateDecompressor;
import io.geocrop.raster.codec.Zlib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes one square tile the way libtiff stores it in a little-endian, pixel-interleaved (PlanarConfiguration 1)
 * TIFF: samples interleaved per pixel, the part outside the image padded with a fill value, the predictor applied
 * row by row across the full tile width, then compressed. {@link #decode} reverses it; the writer uses it to read
 * its own spilled tiles back when it builds overviews. Thread-safe: every call uses its own buffers.
 */
public final class TileCodec {
    private final SampleType type;
    private final int bands;
    private final int tileSize;
    private final Compression compression;
    private final int deflateLevel;
    private final Predictor predictor;
    private final double fillValue;
    private final int rawLength;

    /**
     * @param fillValue value of the padding outside the image (nodata, or 0), representable in {@code type}
     */
    public TileCodec(SampleType type, int bands, int tileSize, Compression compression, int deflateLevel,
                     Predictor predictor, double fillValue) {
        this.type = type;
        this.bands = bands;
        this.tileSize = tileSize;
        this.compression = compression;
        this.deflateLevel = deflateLevel;
        this.predictor = predictor;
        this.fillValue = fillValue;
        long raw = (long) tileSize * tileSize * bands * type.bytes();
        if (raw > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a " + tileSize + "x" + tileSize + " tile of " + bands + " " + type
                    + " bands is " + raw + " bytes, more than one Java array can hold; use fewer bands or smaller tiles");
        }
        this.rawLength = (int) raw;
    }

    /** Bytes of one uncompressed tile. */
    public int rawLength() {
        return rawLength;
    }

    /**
     * Encodes the tile whose top-left pixel is ({@code srcX}, {@code srcY}) of {@code src}; only the first
     * {@code validW x validH} pixels are image, the rest of the tile is padding.
     */
    public byte[] encode(Raster src, int srcX, int srcY, int validW, int validH) {
        byte[] raw = interleave(src, srcX, srcY, validW, validH);
        return compress(raw);
    }

    /** Encodes a tile of nothing but the fill value (for tiles never written). */
    public byte[] encodeFill() {
        return encode(Raster.allocate(1, 1, bands, type), 0, 0, 0, 0);
    }

    /**
     * Decodes a tile produced by {@link #encode} into {@code dst} at ({@code dstX}, {@code dstY}), keeping its
     * first {@code validW x validH} pixels.
     */
    public void decode(byte[] data, Raster dst, int dstX, int dstY, int validW, int validH) throws IOException {
        byte[] raw = decompress(data);
        deinterleave(raw, dst, dstX, dstY, validW, validH);
    }

    // ---------------------------------------------------------------- interleave + predictor

    private byte[] interleave(Raster src, int srcX, int srcY, int validW, int validH) {
        int rowSamples = tileSize * bands;
        int n = rowSamples * tileSize;
        ByteBuffer out = ByteBuffer.allocate(rawLength).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case UINT8, INT8 -> {
                byte[] t = out.array();
                Arrays.fill(t, (byte) (long) fillValue);
                for (int b = 0; b < bands; b++) {
                    byte[] a = src.bytes(b);
                    for (int y = 0; y < validH; y++) {
                        int si = (srcY + y) * src.width() + srcX, di = y * rowSamples + b;
                        if (bands == 1) {
                            System.arraycopy(a, si, t, di, validW);
                        } else {
                            for (int x = 0; x < validW; x++, di += bands) t[di] = a[si + x];
                        }
                    }
                }
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + rowSamples - 1; i >= row + bands; i--) t[i] -= t[i - bands];
                    }
                }
            }
            case UINT16, INT16 -> {
                short[] t = new short[n];
                Arrays.fill(t, (short) (long) fillValue);
                for (int b = 0; b < bands; b++) {
                    short[] a = src.shorts(b);
                    for (int y = 0; y < validH; y++) {
                        int si = (srcY + y) * src.width() + srcX, di = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, di += bands) t[di] = a[si + x];
                    }
                }
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + rowSamples - 1; i >= row + bands; i--) t[i] -= t[i - bands];
                    }
                }
                out.asShortBuffer().put(t);
            }
            case UINT32, INT32 -> {
                int[] t = new int[n];
                Arrays.fill(t, (int) (long) fillValue);
                for (int b = 0; b < bands; b++) {
                    int[] a = src.ints(b);
                    for (int y = 0; y < validH; y++) {
                        int si = (srcY + y) * src.width() + srcX, di = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, di += bands) t[di] = a[si + x];
                    }
                }
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + rowSamples - 1; i >= row + bands; i--) t[i] -= t[i - bands];
                    }
                }
                out.asIntBuffer().put(t);
            }
            case FLOAT32 -> {
                float[] t = new float[n];
                Arrays.fill(t, (float) fillValue);
                for (int b = 0; b < bands; b++) {
                    float[] a = src.floats(b);
                    for (int y = 0; y < validH; y++) {
                        int si = (srcY + y) * src.width() + srcX, di = y * rowSamples + b;
                        if (bands == 1) {
                            System.arraycopy(a, si, t, di, validW);
                        } else {
                            for (int x = 0; x < validW; x++, di += bands) t[di] = a[si + x];
                        }
                    }
                }
                if (predictor == Predictor.FLOATING_POINT) {
                    // The byte planes straight from the float bits: the same bytes as writing the samples little
                    // endian and then splitting them (floatingPointDiff), without the intermediate copy.
                    byte[] raw = out.array();
                    floatPlanesDiff(t, raw, rowSamples);
                    return raw;
                }
                // A FloatBuffer view stores raw IEEE bits, so NaN payloads survive the round trip.
                out.asFloatBuffer().put(t);
            }
            case FLOAT64 -> {
                double[] t = new double[n];
                Arrays.fill(t, fillValue);
                for (int b = 0; b < bands; b++) {
                    double[] a = src.doubles(b);
                    for (int y = 0; y < validH; y++) {
                        int si = (srcY + y) * src.width() + srcX, di = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, di += bands) t[di] = a[si + x];
                    }
                }
                out.asDoubleBuffer().put(t);
            }
        }
        byte[] raw = out.array();
        if (predictor == Predictor.FLOATING_POINT) {
            floatingPointDiff(raw);
        }
        return raw;
    }

    private void deinterleave(byte[] raw, Raster dst, int dstX, int dstY, int validW, int validH) {
        int rowSamples = tileSize * bands;
        int n = rowSamples * tileSize;
        if (predictor == Predictor.FLOATING_POINT) {
            floatingPointAccumulate(raw);
        }
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case UINT8, INT8 -> {
                byte[] t = raw;
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + bands; i < row + rowSamples; i++) t[i] += t[i - bands];
                    }
                }
                for (int b = 0; b < bands; b++) {
                    byte[] a = dst.bytes(b);
                    for (int y = 0; y < validH; y++) {
                        int di = (dstY + y) * dst.width() + dstX, si = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, si += bands) a[di + x] = t[si];
                    }
                }
            }
            case UINT16, INT16 -> {
                short[] t = new short[n];
                in.asShortBuffer().get(t);
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + bands; i < row + rowSamples; i++) t[i] += t[i - bands];
                    }
                }
                for (int b = 0; b < bands; b++) {
                    short[] a = dst.shorts(b);
                    for (int y = 0; y < validH; y++) {
                        int di = (dstY + y) * dst.width() + dstX, si = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, si += bands) a[di + x] = t[si];
                    }
                }
            }
            case UINT32, INT32 -> {
                int[] t = new int[n];
                in.asIntBuffer().get(t);
                if (predictor == Predictor.HORIZONTAL) {
                    for (int row = 0; row < n; row += rowSamples) {
                        for (int i = row + bands; i < row + rowSamples; i++) t[i] += t[i - bands];
                    }
                }
                for (int b = 0; b < bands; b++) {
                    int[] a = dst.ints(b);
                    for (int y = 0; y < validH; y++) {
                        int di = (dstY + y) * dst.width() + dstX, si = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, si += bands) a[di + x] = t[si];
                    }
                }
            }
            case FLOAT32 -> {
                float[] t = new float[n];
                in.asFloatBuffer().get(t);
                for (int b = 0; b < bands; b++) {
                    float[] a = dst.floats(b);
                    for (int y = 0; y < validH; y++) {
                        int di = (dstY + y) * dst.width() + dstX, si = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, si += bands) a[di + x] = t[si];
                    }
                }
            }
            case FLOAT64 -> {
                double[] t = new double[n];
                in.asDoubleBuffer().get(t);
                for (int b = 0; b < bands; b++) {
                    double[] a = dst.doubles(b);
                    for (int y = 0; y < validH; y++) {
                        int di = (dstY + y) * dst.width() + dstX, si = y * rowSamples + b;
                        for (int x = 0; x < validW; x++, si += bands) a[di + x] = t[si];
                    }
                }
            }
        }
    }

    /**
     * TIFF Predictor 3 as libtiff's fpDiff writes it: per row, the bytes of every sample are split into planes,
     * most significant byte first, then each byte is differenced with the byte {@code bands} positions before.
     */
    private void floatingPointDiff(byte[] raw) {
        int bps = type.bytes();
        int wc = tileSize * bands;
        int rowBytes = wc * bps;
        byte[] tmp = new byte[rowBytes];
        for (int row = 0; row < raw.length; row += rowBytes) {
            System.arraycopy(raw, row, tmp, 0, rowBytes);
            for (int count = 0; count < wc; count++) {
                for (int b = 0; b < bps; b++) {
                    raw[row + (bps - b - 1) * wc + count] = tmp[bps * count + b];
                }
            }
            for (int i = row + rowBytes - 1; i >= row + bands; i--) raw[i] -= raw[i - bands];
        }
    }

    /**
     * {@link #floatingPointDiff} of float32 samples written little endian, computed from the samples: per row,
     * plane 0 holds every sample's most significant byte, plane 3 its least significant, then each byte is
     * differenced with the byte {@code bands} positions before. Raw IEEE bits, so NaN payloads are kept.
     */
    private void floatPlanesDiff(float[] t, byte[] raw, int rowSamples) {
        int rowBytes = rowSamples * 4;
        for (int row = 0, s = 0; row < raw.length; row += rowBytes, s += rowSamples) {
            int p0 = row, p1 = row + rowSamples, p2 = row + 2 * rowSamples, p3 = row + 3 * rowSamples;
            for (int i = 0; i < rowSamples; i++) {
                int bits = Float.floatToRawIntBits(t[s + i]);
                raw[p0 + i] = (byte) (bits >>> 24);
                raw[p1 + i] = (byte) (bits >>> 16);
                raw[p2 + i] = (byte) (bits >>> 8);
                raw[p3 + i] = (byte) bits;
            }
            for (int i = row + rowBytes - 1; i >= row + bands; i--) raw[i] -= raw[i - bands];
        }
    }

    /** Inverse of {@link #floatingPointDiff} (libtiff's fpAcc). */
    private void floatingPointAccumulate(byte[] raw) {
        int bps = type.bytes();
        int wc = tileSize * bands;
        int rowBytes = wc * bps;
        byte[] tmp = new byte[rowBytes];
        for (int row = 0; row < raw.length; row += rowBytes) {
            for (int i = row + bands; i < row + rowBytes; i++) raw[i] += raw[i - bands];
            System.arraycopy(raw, row, tmp, 0, rowBytes);
            for (int count = 0; count < wc; count++) {
                for (int b = 0; b < bps; b++) {
                    raw[row + bps * count + b] = tmp[(bps - b - 1) * wc + count];
                }
            }
        }
    }

    // ---------------------------------------------------------------- compression

    private byte[] compress(byte[] raw) {
        return switch (compression) {
            case NONE -> raw;
            case DEFLATE -> deflate(raw);
            case ZSTD -> {
                ZstdCompressor zstd = new ZstdCompressor();
                byte[] out = new byte[zstd.maxCompressedLength(raw.length)];
                int n = zstd.compress(raw, 0, raw.length, out, 0, out.length);
                yield Arrays.copyOf(out, n);
            }
        };
    }

    private byte[] deflate(byte[] raw) {
        return Zlib.compress(raw, deflateLevel);
    }

    private byte[] decompress(byte[] data) throws IOException {
        switch (compression) {
            case NONE -> {
                if (data.length != rawLength) {
                    throw new IOException("spilled tile has " + data.length + " bytes, expected " + rawLength);
                }
                return data.clone();
            }
            case DEFLATE -> {
                byte[] out = new byte[rawLength];
                try {
                    DeflateDecompressor.INSTANCE.decompress(data, out);
                } catch (RasterFormatException e) {
                    throw new IOException("spilled tile cannot be decoded: " + e.getMessage(), e);
                }
                return out;
            }
            case ZSTD -> {
                byte[] out = new byte[rawLength];
                int n = new ZstdDecompressor().decompress(data, 0, data.length, out, 0, out.length);
                if (n != rawLength) {
                    throw new IOException("spilled tile decompresses to " + n + " bytes, expected " + rawLength);
                }
                return out;
            }
            default -> throw new IllegalStateException("unknown compression " + compression);
        }
    }
}
