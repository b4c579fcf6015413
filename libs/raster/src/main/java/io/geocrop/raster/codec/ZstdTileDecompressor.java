package io.geocrop.raster.codec;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.geocrop.raster.RasterFormatException;

/**
 * TIFF ZSTD (Compression 50000, as libtiff writes it: one or more zstd frames per tile), decoded with
 * aircompressor's pure-Java decoder into an output buffer that bounds the decompressed size.
 */
public final class ZstdTileDecompressor implements Decompressor {
    /** The shared instance; aircompressor's decompressor keeps no state between calls. */
    public static final ZstdTileDecompressor INSTANCE = new ZstdTileDecompressor();

    private ZstdTileDecompressor() {}

    @Override
    public void decompress(byte[] input, byte[] output) throws RasterFormatException {
        int written;
        try {
            written = new ZstdDecompressor().decompress(input, 0, input.length, output, 0, output.length);
        } catch (MalformedInputException e) {
            throw new RasterFormatException("corrupt ZSTD data: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The decoder validates its input, but it must never turn a bad tile into an unchecked failure.
            throw new RasterFormatException("corrupt ZSTD data: " + e, e);
        }
        if (written < output.length) {
            throw new RasterFormatException("ZSTD data ends after " + written + " of " + output.length
                    + " expected bytes (truncated or corrupt)");
        }
    }
}
