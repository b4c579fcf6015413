package io.geocrop.raster;

/**
 * Safety limits applied while opening and reading a GeoTIFF, so that a truncated, corrupt or hostile file
 * fails with a {@link RasterFormatException} instead of exhausting memory or CPU.
 *
 * @param maxWidth                  largest accepted image width in pixels
 * @param maxHeight                 largest accepted image height in pixels
 * @param maxBands                  largest accepted SamplesPerPixel
 * @param maxIfds                   most IFDs followed in the chain (also stops cycles)
 * @param maxTagsPerIfd             most entries accepted in one IFD
 * @param maxTagValueBytes          largest tag value loaded eagerly (GeoKeys, GDAL metadata, colour map, ...)
 * @param maxChunkBytes             largest compressed tile or strip (TileByteCounts / StripByteCounts entry)
 * @param maxDecompressedChunkBytes largest decompressed tile or strip; decoders never write past it
 * @param maxPixelsPerRead          most samples (width x height x bands) one read may return
 * @param maxBytesPerRead           most compressed bytes one read may fetch from the source
 */
public record ReadLimits(
        int maxWidth,
        int maxHeight,
        int maxBands,
        int maxIfds,
        int maxTagsPerIfd,
        int maxTagValueBytes,
        long maxChunkBytes,
        long maxDecompressedChunkBytes,
        long maxPixelsPerRead,
        long maxBytesPerRead) {

    public ReadLimits {
        if (maxWidth <= 0 || maxHeight <= 0 || maxBands <= 0 || maxIfds <= 0 || maxTagsPerIfd <= 0
                || maxTagValueBytes <= 0 || maxChunkBytes <= 0 || maxDecompressedChunkBytes <= 0
                || maxPixelsPerRead <= 0 || maxBytesPerRead <= 0) {
            throw new IllegalArgumentException("every read limit must be positive: " + this);
        }
        // Decoded chunks are single Java arrays.
        if (maxDecompressedChunkBytes > Integer.MAX_VALUE - 16 || maxChunkBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("chunk limits must fit in one Java array: " + this);
        }
    }

    /**
     * Generous limits for trusted and semi-trusted files: 1,000,000 px per side, 2048 bands, 64 IFDs, 1024
     * tags per IFD, 16 MiB per eagerly read tag, 64 MiB per compressed tile, 256 MiB per decompressed tile,
     * 2^28 samples and 1 GiB of compressed data per read.
     */
    public static ReadLimits defaults() {
        return new ReadLimits(1_000_000, 1_000_000, 2048, 64, 1024, 16 << 20, 64L << 20, 256L << 20, 1L << 28, 1L << 30);
    }

    /**
     * Tight limits for files from untrusted uploads: 100,000 px per side, 256 bands, 16 IFDs, 256 tags per IFD,
     * 1 MiB per eagerly read tag, 16 MiB per compressed tile, 64 MiB per decompressed tile, 2^26 samples and
     * 256 MiB of compressed data per read.
     */
    public static ReadLimits strict() {
        return new ReadLimits(100_000, 100_000, 256, 16, 256, 1 << 20, 16L << 20, 64L << 20, 1L << 26, 256L << 20);
    }
}
