package io.geocrop.imagery.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.UtmZone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared fixtures: a small AOI in Zimbabwe whose scene is one 10 km cell, and GDAL as the referee. */
final class SimTestSupport {
    private SimTestSupport() {}

    static final long SEED = 42;
    static final UtmZone ZONE_36S = new UtmZone(36, true);
    /** Centre of the 10 km cell (28, 803) of zone 36S, east of Harare: 285 000 E, 8 035 000 N. */
    static final double[] CELL_CENTRE = ZONE_36S.inverse(285_000, 8_035_000);
    /** A 400 m AOI there: with the 500 m margin it stays inside one cell. */
    static final Aoi AOI = new Aoi(CELL_CENTRE[0], CELL_CENTRE[1], 400);
    static final Instant SEASON_START = Instant.parse("2023-09-01T00:00:00Z");
    static final Instant SEASON_END = Instant.parse("2024-05-31T23:59:59Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    /** Runs a command, returning stdout; fails the test on a non-zero exit. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    /** {@code gdalinfo -json} of a file. */
    static JsonNode gdalinfo(Path file) throws IOException, InterruptedException {
        return MAPPER.readTree(run("gdalinfo", "-json", file.toString()));
    }

    /** GDAL's COG validator must accept the file. */
    static void assertValidCog(Path file) throws IOException, InterruptedException {
        String out = run("/usr/bin/python3", VALIDATOR, file.toString());
        assertTrue(out.contains("is a valid cloud optimized GeoTIFF"), out);
    }

    /**
     * GDAL's verdict on several files in one Python process (faster than a process per file): for each file, the
     * COG validator's errors (full check) and {@code gdalinfo -json}, as {@code {"errors": [...], "info": {...}}}.
     */
    static JsonNode gdalCheck(List<Path> files) throws IOException, InterruptedException {
        String script = String.join("\n",
                "import json, sys",
                "sys.path.insert(0, '/usr/lib/python3/dist-packages/osgeo_utils/samples')",
                "from osgeo import gdal",
                "from validate_cloud_optimized_geotiff import validate",
                "gdal.UseExceptions()",
                "out = {}",
                "for f in sys.argv[1:]:",
                "    warnings, errors, details = validate(f, full_check=True)",
                "    out[f] = {'errors': errors, 'info': gdal.Info(f, format='json')}",
                "print(json.dumps(out))");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        files.forEach(f -> command.add(f.toString()));
        String text = run(command.toArray(String[]::new));
        return MAPPER.readTree(text.substring(text.indexOf('{')));
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }
}
