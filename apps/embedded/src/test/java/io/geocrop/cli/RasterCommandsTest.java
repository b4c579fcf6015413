package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code geocrop raster copy} turns every fixture into a COG that GDAL validates, with identical pixels, and
 * {@code raster info} agrees with gdalinfo; bad inputs fail with one readable line.
 */
class RasterCommandsTest {
    static final String VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    static Path fixture(String name) {
        return Path.of(System.getProperty("geocrop.shared.data", "../../../shared/data"), "geotiff", name);
    }

    static String ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), "geocrop " + String.join(" ", args) + " failed: " + run.err());
        return run.out();
    }

    static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    static List<Integer> checksums(Path file) throws Exception {
        JsonNode info = ApiClient.JSON.readTree(exec("gdalinfo", "-json", "-checksum", file.toString()));
        List<Integer> sums = new ArrayList<>();
        for (JsonNode band : info.get("bands")) {
            sums.add(band.get("checksum").asInt());
        }
        return sums;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rio-tiler_nocog.tif", "rio-tiler_cog.tif", "rio-tiler_web.tif",
            "S2A_29RKH_20200219_0_L2A_B01.tif", "S2A_29RKH_20200219_0_L2A_SCL.tif"})
    void copyWritesAValidCogWithTheSamePixels(String name, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.tif");
        String said = ok("raster", "copy", "--tile-size", "256", fixture(name).toString(), out.toString());
        assertTrue(said.startsWith("Wrote " + out), said);
        String validation = exec("/usr/bin/python3", VALIDATOR, out.toString());
        assertTrue(validation.contains("is a valid cloud optimized GeoTIFF"), validation);
        assertEquals(checksums(fixture(name)), checksums(out));

        JsonNode reference = ApiClient.JSON.readTree(exec("gdalinfo", "-json", fixture(name).toString()));
        JsonNode copied = ApiClient.JSON.readTree(exec("gdalinfo", "-json", out.toString()));
        assertEquals(reference.get("geoTransform"), copied.get("geoTransform"));
        assertEquals(reference.at("/bands/0/noDataValue"), copied.at("/bands/0/noDataValue"));
        assertEquals(reference.at("/bands/0/type"), copied.at("/bands/0/type"));

        JsonNode info = ApiClient.JSON.readTree(ok("raster", "info", out.toString()));
        assertEquals(reference.at("/size/0").asInt(), info.get("width").asInt());
        assertEquals(reference.at("/size/1").asInt(), info.get("height").asInt());
        assertEquals(reference.get("geoTransform"), info.get("geoTransform"));
        assertEquals(copied.at("/bands/0/overviews").size() + 1, info.get("overviews").size());
    }

    @Test
    void badInputsFailWithOneReadableLine(@TempDir Path dir) throws Exception {
        Path notTiff = Files.writeString(dir.resolve("notes.tif"), "this is not a TIFF");
        Path out = dir.resolve("out.tif");

        CliRun missing = CliRun.of("raster", "copy", dir.resolve("absent.tif").toString(), out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());

        CliRun garbage = CliRun.of("raster", "copy", notTiff.toString(), out.toString());
        assertEquals(2, garbage.code());
        assertTrue(garbage.err().contains("notes.tif"), garbage.err());
        assertFalse(garbage.err().contains("Exception"), garbage.err());

        CliRun tile = CliRun.of("raster", "copy", "--tile-size", "300", fixture("rio-tiler_cog.tif").toString(), out.toString());
        assertEquals(2, tile.code());
        assertTrue(tile.err().contains("--tile-size"), tile.err());

        CliRun info = CliRun.of("raster", "info", notTiff.toString());
        assertEquals(2, info.code());
        assertTrue(info.err().contains("notes.tif"), info.err());
        assertFalse(Files.exists(out), "a failed copy leaves no output");
    }
}
