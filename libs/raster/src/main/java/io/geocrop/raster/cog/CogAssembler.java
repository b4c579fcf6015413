package io.geocrop.raster.cog;

import io.geocrop.raster.CogWriteOptions.BigTiff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the finished COG from spilled tiles, in the layout GDAL's COG driver produces and its validator checks:
 * the TIFF header; GDAL's structural metadata "ghost area" (declaring IFDs before data, row-major blocks, a 4-byte
 * size leader before each tile and its last 4 bytes repeated after it); every IFD, full resolution first, each
 * followed by its tag values; then tile data from the smallest overview to full resolution, row-major within each
 * level. Chooses classic TIFF or BigTIFF from the exact final size.
 */
public final class CogAssembler {
    private CogAssembler() {}

    /** GDAL's structural metadata, byte for byte as GDAL 3.6's COG driver writes it. */
    static final String GHOST_CONTENT = "LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\n"
            + "BLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ";

    /**
     * One resolution level: where each tile's bytes are in the spill file, row-major (offset -1 for a tile written
     * as the shared fill tile).
     */
    public record Level(long[] spillOffsets, int[] byteCounts) {}

    /** Builds the IFD of a level once tile offsets are known. */
    public interface IfdFactory {
        /** The IFD of {@code level} with these TileOffsets and TileByteCounts. */
        TiffIfd build(int level, long[] tileOffsets, long[] byteCounts, boolean bigTiff);
    }

    /**
     * Writes the file to {@code target} (which must not exist yet). Returns the number of bytes written.
     *
     * @param fillTile encoded bytes of the tile used where a level's offset is -1
     * @param describe the final output, for error messages
     */
    public static long write(Path target, List<Level> levels, IfdFactory ifds, SpillFile spill, byte[] fillTile,
                             BigTiff mode, String describe) throws IOException {
        boolean big = mode == BigTiff.YES;
        Layout layout = layout(levels, ifds, fillTile, big);
        if (!big && layout.totalSize > 0xFFFFFFFFL) {
            if (mode == BigTiff.NO) {
                throw new IOException(describe + " would be " + layout.totalSize + " bytes, past the 4 GiB limit of "
                        + "classic TIFF; write it with BigTiff.AUTO or BigTiff.YES");
            }
            big = true;
            layout = layout(levels, ifds, fillTile, true);
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(target,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
            out.write(header(big, layout.ifdOffsets[0]));
            out.write(ghost());
            if (layout.ghostPadding) {
                out.write(0);
            }
            for (int k = 0; k < levels.size(); k++) {
                long next = k + 1 < levels.size() ? layout.ifdOffsets[k + 1] : 0;
                out.write(ifds.build(k, layout.tileOffsets[k], layout.byteCounts[k], big)
                        .serialize(layout.ifdOffsets[k], next, big));
            }
            ByteBuffer leader = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = levels.size() - 1; k >= 0; k--) {
                Level level = levels.get(k);
                for (int i = 0; i < level.spillOffsets.length; i++) {
                    byte[] data = level.spillOffsets[i] < 0 ? fillTile : spill.read(level.spillOffsets[i], level.byteCounts[i]);
                    leader.clear();
                    leader.putInt(data.length);
                    out.write(leader.array());
                    out.write(data);
                    out.write(data, data.length - 4, 4);
                }
            }
        }
        long written = Files.size(target);
        if (written != layout.totalSize) {
            throw new IOException("wrote " + written + " bytes to " + target + " for " + describe + ", expected "
                    + layout.totalSize);
        }
        return written;
    }

    private record Layout(long[] ifdOffsets, long[][] tileOffsets, long[][] byteCounts, boolean ghostPadding,
                          long totalSize) {}

    private static Layout layout(List<Level> levels, IfdFactory ifds, byte[] fillTile, boolean big) {
        int n = levels.size();
        long[][] byteCounts = new long[n][];
        long[][] tileOffsets = new long[n][];
        for (int k = 0; k < n; k++) {
            Level level = levels.get(k);
            byteCounts[k] = new long[level.spillOffsets.length];
            tileOffsets[k] = new long[level.spillOffsets.length];
            for (int i = 0; i < byteCounts[k].length; i++) {
                byteCounts[k][i] = level.spillOffsets[i] < 0 ? fillTile.length : level.byteCounts[i];
                if (byteCounts[k][i] < 4) {
                    throw new IllegalStateException("tile " + i + " of level " + k + " is " + byteCounts[k][i]
                            + " bytes; the block trailer needs at least 4");
                }
            }
        }
        long pos = (big ? 16 : 8) + ghost().length;
        boolean ghostPadding = (pos & 1) == 1;
        if (ghostPadding) {
            pos++;
        }
        long[] ifdOffsets = new long[n];
        for (int k = 0; k < n; k++) {
            ifdOffsets[k] = pos;
            // The size of an IFD does not depend on its values, so zero offsets give the real size.
            pos += ifds.build(k, tileOffsets[k], byteCounts[k], big).size(big);
        }
        for (int k = n - 1; k >= 0; k--) {
            for (int i = 0; i < byteCounts[k].length; i++) {
                pos += 4;
                tileOffsets[k][i] = pos;
                pos += byteCounts[k][i] + 4;
            }
        }
        return new Layout(ifdOffsets, tileOffsets, byteCounts, ghostPadding, pos);
    }

    private static byte[] header(boolean big, long firstIfd) {
        ByteBuffer b = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I');
        if (big) {
            b.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(firstIfd);
        } else {
            b.putShort((short) 42).putInt((int) firstIfd);
        }
        return b.array();
    }

    private static byte[] ghost() {
        String head = String.format("GDAL_STRUCTURAL_METADATA_SIZE=%06d bytes\n", GHOST_CONTENT.length());
        return (head + GHOST_CONTENT).getBytes(StandardCharsets.US_ASCII);
    }
}
