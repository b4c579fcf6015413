package io.geocrop.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GDAL, the reference: band checksums and the COG validator. */
final class Gdal {
    private Gdal() {}

    static List<Integer> checksums(Path file) throws Exception {
        JsonNode info = Cluster.JSON.readTree(run("gdalinfo", "-json", "-checksum", file.toString()));
        List<Integer> sums = new ArrayList<>();
        for (JsonNode band : info.path("bands")) {
            sums.add(band.path("checksum").asInt());
        }
        return sums;
    }

    static void validateCog(Path file) throws Exception {
        run("/usr/bin/python3", "-m", "osgeo_utils.samples.validate_cloud_optimized_geotiff", file.toString());
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
