package io.geocrop.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.raster.io.FileByteSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A COG larger than the writer's whole heap is written tile by tile, valid for GDAL, every pixel as written. */
class StreamingCogWriteTest {
    private static final String HEAP = "32m";

    @Test
    void aRasterTwiceTheHeapIsWrittenTileByTile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("big.tif");
        Path log = dir.resolve("probe.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StreamingCogProbe.class.getName(), out.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, "writing " + StreamingCogProbe.SIZE + "^2 px in a "
                + HEAP + " heap failed (exit " + (finished ? process.exitValue() : "timeout") + "):\n"
                + Files.readString(log));

        Process validator = new ProcessBuilder("/usr/bin/python3",
                "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py", out.toString())
                .redirectErrorStream(true).start();
        String said = new String(validator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, validator.waitFor(), said);
        assertTrue(said.contains("is a valid cloud optimized GeoTIFF"), said);

        try (GeoTiff tiff = GeoTiffReader.open(new FileByteSource(out))) {
            assertEquals(StreamingCogProbe.SIZE, tiff.metadata().width());
            assertEquals(5, tiff.levelCount(), "overviews down to one 512 px tile");
            int size = StreamingCogProbe.SIZE;
            for (int y0 = 0; y0 < size; y0 += 1024) {
                byte[] strip = tiff.read(new RasterWindow(0, y0, size, 1024)).bytes(0);
                for (int y = 0; y < 1024; y++) {
                    for (int x = 0; x < size; x++) {
                        int expected = StreamingCogProbe.value(x, y0 + y);
                        if ((strip[y * size + x] & 0xFF) != expected) {
                            throw new AssertionError("pixel (" + x + ", " + (y0 + y) + ") is " + (strip[y * size + x] & 0xFF)
                                    + ", wrote " + expected);
                        }
                    }
                }
            }
        }
    }
}
