package io.geocrop.raster.codec;

import io.geocrop.raster.RasterFormatException;

/**
 * Decodes one compressed TIFF tile or strip into a buffer of exactly the size the image structure says it
 * must have. Implementations never write past {@code output.length}, so a hostile tile cannot inflate beyond
 * the expected size (no zip bombs), and they are stateless and thread-safe.
 */
@FunctionalInterface
public interface Decompressor {

    /**
     * Fills all of {@code output} from {@code input}.
     *
     * @throws RasterFormatException if the data is corrupt or ends before {@code output} is full; the message
     *                               says what is wrong but not where (the caller adds the source and tile)
     */
    void decompress(byte[] input, byte[] output) throws RasterFormatException;
}
