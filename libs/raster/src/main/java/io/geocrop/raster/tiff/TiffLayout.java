package io.geocrop.raster.tiff;

import java.util.List;

/**
 * Where everything is in a TIFF file, for diagnostics and for checking a COG's layout (IFDs first, overview
 * data before full-resolution data).
 *
 * @param bigTiff      whether the file is a BigTIFF
 * @param littleEndian byte order ("II" = little-endian)
 * @param fileLength   file length in bytes
 * @param ifds         every IFD in chain order
 */
public record TiffLayout(boolean bigTiff, boolean littleEndian, long fileLength, List<Ifd> ifds) {

    /** What an IFD is to a reader. */
    public enum Role {
        /** The first IFD: the full-resolution image. */
        MAIN,
        /** A reduced-resolution image (NewSubfileType bit 0) used as an overview. */
        OVERVIEW,
        /** A transparency mask (NewSubfileType bit 2); skipped. */
        MASK,
        /** Anything else (another page, an incompatible overview); skipped. */
        OTHER
    }

    /**
     * One IFD.
     *
     * @param offset          file offset of the IFD
     * @param level           overview level (0 main, 1.. overviews), or -1 if not used
     * @param blockWidth      tile width (image width for strips)
     * @param blockHeight     tile height (RowsPerStrip for strips)
     * @param chunkCount      number of tiles/strips
     * @param firstDataOffset smallest offset of a non-empty tile/strip, or -1 if all are empty
     * @param dataEnd         end of the last byte of tile/strip data, or -1
     * @param dataBytes       total tile/strip bytes
     * @param emptyChunks     number of zero-length (sparse) tiles/strips
     * @param tags            the tag numbers present, ascending
     */
    public record Ifd(int index, long offset, long newSubfileType, Role role, int level, int width, int height,
                      int bands, boolean tiled, int blockWidth, int blockHeight, int planarConfiguration,
                      int compression, int predictor, int chunkCount, long firstDataOffset, long dataEnd,
                      long dataBytes, int emptyChunks, List<Integer> tags) {
        public Ifd {
            tags = List.copyOf(tags);
        }

        /** Whether the IFD has the tag. */
        public boolean hasTag(int tag) {
            return tags.contains(tag);
        }
    }

    /** File offset where the last IFD's entries start (all IFDs of a COG precede its image data). */
    public long lastIfdOffset() {
        return ifds.stream().mapToLong(Ifd::offset).max().orElse(0);
    }
}
