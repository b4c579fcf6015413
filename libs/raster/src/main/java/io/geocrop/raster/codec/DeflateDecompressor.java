package io.geocrop.raster.codec;

import io.geocrop.raster.RasterFormatException;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * TIFF DEFLATE (Compression 8 and 32946): a zlib stream, decoded by libdeflate when {@link Zlib} has it and by
 * {@link Inflater} otherwise (and for every stream libdeflate rejects, so errors read the same). Inflation stops as soon as the output buffer is
 * full, so a tile that would expand further (a zip bomb) costs no more than its expected size.
 */
public final class DeflateDecompressor implements Decompressor {
    /** The shared, stateless instance. */
    public static final DeflateDecompressor INSTANCE = new DeflateDecompressor();

    private DeflateDecompressor() {}

    @Override
    public void decompress(byte[] input, byte[] output) throws RasterFormatException {
        if (Zlib.tryDecompressExactly(input, output)) {
            return;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input);
            int written = 0;
            int stalls = 0;
            while (written < output.length) {
                int n = inflater.inflate(output, written, output.length - written);
                written += n;
                if (n == 0) {
                    if (inflater.finished() || inflater.needsInput()) {
                        break;
                    }
                    if (inflater.needsDictionary()) {
                        throw new RasterFormatException("DEFLATE stream needs a preset dictionary, which TIFF does not use");
                    }
                    // zlib made no progress without asking for input: never loop on it forever.
                    if (++stalls > 4) {
                        throw new RasterFormatException("DEFLATE stream made no progress after " + written + " bytes");
                    }
                }
            }
            if (written < output.length) {
                throw new RasterFormatException("DEFLATE data ends after " + written + " of " + output.length
                        + " expected bytes (truncated or corrupt)");
            }
        } catch (DataFormatException e) {
            throw new RasterFormatException("corrupt DEFLATE data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
