package io.geocrop.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GDAL's command-line tools as the referee: gdalinfo, gdallocationinfo and the COG validator. */
final class Gdal {
    static final String VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Gdal() {}

    record Run(int exit, String out) {}

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** {@code gdalinfo -json -stats}: fails the test if GDAL cannot read the file. */
    static JsonNode info(Path file) throws IOException, InterruptedException {
        Run r = run("gdalinfo", "-json", "-stats", "-hist", file.toString());
        if (r.exit() != 0) {
            throw new AssertionError("gdalinfo failed on " + file + ":\n" + r.out());
        }
        int start = r.out().indexOf('{');
        return JSON.readTree(r.out().substring(start));
    }

    /** The COG validator's output; exit 0 means valid. */
    static Run validateCog(Path file) throws IOException, InterruptedException {
        return run("/usr/bin/python3", VALIDATOR, file.toString());
    }

    /** The values of every band at pixel (x, y), as gdallocationinfo reads them. */
    static List<Integer> valuesAt(Path file, int x, int y) throws IOException, InterruptedException {
        Run r = run("gdallocationinfo", "-valonly", file.toString(), Integer.toString(x), Integer.toString(y));
        if (r.exit() != 0) {
            throw new AssertionError("gdallocationinfo failed: " + r.out());
        }
        List<Integer> values = new ArrayList<>();
        for (String line : r.out().strip().split("\\R")) {
            values.add(Integer.parseInt(line.strip()));
        }
        return values;
    }
}
