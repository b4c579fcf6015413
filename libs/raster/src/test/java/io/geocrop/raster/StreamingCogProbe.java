package io.geocrop.raster;

import java.nio.file.Path;

/**
 * Writes an 8192 x 8192 single-band uint8 COG tile by tile (64 MiB of pixels), run by {@link StreamingCogWriteTest}
 * in a JVM whose heap is half that, so the write must stream. Pixel values come from {@link #value}.
 */
public final class StreamingCogProbe {
    static final int SIZE = 8192;
    static final int TILE = 512;

    private StreamingCogProbe() {}

    /** The pixel at (x, y): fields of 64 px with a gradient, like a class map with texture. */
    static int value(int x, int y) {
        return ((x / 64) * 7 + (y / 64) * 13 + (x + y) / 97) % 251;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        RasterMetadata meta = RasterMetadata.of(SIZE, SIZE, 1, SampleType.UINT8,
                GeoTransform.northUp(300_000, 8_000_000, 10, 10), 32736);
        CogWriteOptions options = CogWriteOptions.builder().tileSize(TILE).compressionLevel(1).build();
        try (CogWriter writer = CogWriter.create(out, meta, options)) {
            for (int row = 0; row < SIZE / TILE; row++) {
                for (int col = 0; col < SIZE / TILE; col++) {
                    byte[] pixels = new byte[TILE * TILE];
                    for (int y = 0; y < TILE; y++) {
                        for (int x = 0; x < TILE; x++) {
                            pixels[y * TILE + x] = (byte) value(col * TILE + x, row * TILE + y);
                        }
                    }
                    writer.writeTile(col, row, Raster.wrap(TILE, TILE, SampleType.UINT8, pixels));
                }
            }
            writer.finish();
        }
    }
}
