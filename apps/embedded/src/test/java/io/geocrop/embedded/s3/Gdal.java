package io.geocrop.embedded.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GDAL as the referee: checksums and the COG validator, run as processes. */
public final class Gdal {
    static final String VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    private Gdal() {}

    /** {@code gdalinfo -checksum}'s lines naming each band's checksum, in band order. */
    public static List<String> checksums(Path file) throws Exception {
        return run("gdalinfo", "-checksum", file.toString()).lines().map(String::strip)
                .filter(l -> l.startsWith("Checksum=")).toList();
    }

    /** Fails unless GDAL's validator calls {@code file} a valid COG. */
    public static void assertValidCog(Path file) throws Exception {
        String out = run("/usr/bin/python3", VALIDATOR, file.toString());
        assertEquals(true, out.contains("is a valid cloud optimized GeoTIFF"), out);
    }

    /** {@code gdalinfo}'s report. */
    public static String info(Path file) throws Exception {
        return run("gdalinfo", file.toString());
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
