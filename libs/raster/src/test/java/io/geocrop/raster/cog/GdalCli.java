package io.geocrop.raster.cog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.geocrop.raster.SampleType;

/**
 * GDAL's command-line tools run as subprocesses: the reference every written file is checked against. Needs
 * gdal-bin and python3-gdal (the COG validator); a missing tool fails the test with a clear message. The one GDAL
 * runner of the project's tests: other modules use it through the {@code geocrop-raster} test-jar.
 */
public final class GdalCli {
    private GdalCli() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATOR =
            "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

    /** Output of one command. */
    public record Output(int exitCode, String stdout, String stderr) {}

    /** Runs a command (with optional stdin) and returns its output; fails if it cannot start or hangs. */
    public static Output run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (install gdal-bin and python3-gdal): " + e, e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Output(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs a command that must succeed; returns stdout. */
    public static String check(List<String> command) throws IOException, InterruptedException {
        Output r = run(command, null);
        if (r.exitCode != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exitCode + "): " + r.stderr + r.stdout);
        }
        return r.stdout;
    }

    /** Runs a command that must succeed; returns stdout. */
    public static String check(String... command) throws IOException, InterruptedException {
        return check(List.of(command));
    }

    /** {@code gdalinfo -json -checksum}; fails if GDAL complains on stderr. */
    public static JsonNode info(Path file) throws IOException, InterruptedException {
        Output r = run(List.of("gdalinfo", "-json", "-checksum", file.toString()), null);
        if (r.exitCode != 0 || !r.stderr.isBlank()) {
            throw new AssertionError("gdalinfo " + file + " failed or complained (" + r.exitCode + "): " + r.stderr);
        }
        return JSON.readTree(r.stdout);
    }

    /** {@code gdalinfo -json} with {@code options} (e.g. {@code -stats}); warnings on stderr are allowed. */
    public static JsonNode infoJson(Path file, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gdalinfo", "-json"));
        cmd.addAll(List.of(options));
        cmd.add(file.toString());
        return JSON.readTree(check(cmd));
    }

    /** {@code gdalinfo}'s text report. */
    public static String infoText(Path file) throws IOException, InterruptedException {
        return check("gdalinfo", file.toString());
    }

    /** Each band's checksum as {@code gdalinfo -checksum} computes it, in band order. */
    public static List<Integer> checksums(Path file) throws IOException, InterruptedException {
        List<Integer> sums = new ArrayList<>();
        for (JsonNode band : infoJson(file, "-checksum").path("bands")) {
            sums.add(band.path("checksum").asInt());
        }
        return sums;
    }

    /** Fails unless GDAL's validator, run as a user would, calls {@code file} a valid COG (warnings allowed). */
    public static void assertValidCog(Path file) throws IOException, InterruptedException {
        Output r = validatorScript(file);
        if (r.exitCode != 0 || !r.stdout.contains("is a valid cloud optimized GeoTIFF")) {
            throw new AssertionError(file + " is not a valid COG (" + r.exitCode + "): " + r.stdout + r.stderr);
        }
    }

    /** The values of every band at pixel ({@code x}, {@code y}) of an integer raster, as gdallocationinfo reads them. */
    public static List<Integer> valuesAt(Path file, int x, int y) throws IOException, InterruptedException {
        List<Integer> values = new ArrayList<>();
        for (String line : check("gdallocationinfo", "-valonly", file.toString(), Integer.toString(x),
                Integer.toString(y)).strip().split("\\R")) {
            values.add(Integer.parseInt(line.strip()));
        }
        return values;
    }

    /** The GDAL data type name of a sample type, as gdalinfo prints it. */
    public static String gdalType(SampleType t) {
        return switch (t) {
            case UINT8, INT8 -> "Byte";
            case UINT16 -> "UInt16";
            case INT16 -> "Int16";
            case UINT32 -> "UInt32";
            case INT32 -> "Int32";
            case FLOAT32 -> "Float32";
            case FLOAT64 -> "Float64";
        };
    }

    /** The Python that has GDAL's bindings (Debian's, not a pyenv shim). */
    public static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * Runs GDAL's COG validator on each file; returns every error and warning it reported, prefixed with the
     * file name (empty when all files are valid COGs without warnings).
     */
    public static List<String> validateCog(Path... files) throws IOException, InterruptedException {
        if (!Files.exists(Path.of(VALIDATOR))) {
            throw new AssertionError("GDAL's COG validator is missing at " + VALIDATOR + " (install python3-gdal)");
        }
        // One Python process for all files: importing GDAL costs more than validating.
        StringBuilder script = new StringBuilder("import sys, json\nsys.path.insert(0, '")
                .append(Path.of(VALIDATOR).getParent()).append("')\n")
                .append("import validate_cloud_optimized_geotiff as v\nres = {}\n")
                .append("for f in sys.argv[1:]:\n")
                .append("    try:\n        w, e, _ = v.validate(f, full_check=True)\n")
                .append("    except Exception as ex:\n        w, e = [], ['exception: %s' % ex]\n")
                .append("    res[f] = {'warnings': w, 'errors': e}\n")
                .append("print(json.dumps(res))\nsys.stdout.flush()\nimport os\nos._exit(0)\n");
        List<String> cmd = new ArrayList<>(List.of(python(), "-c", script.toString()));
        for (Path f : files) cmd.add(f.toString());
        Output r = run(cmd, null);
        if (r.exitCode != 0) {
            throw new AssertionError("COG validator failed (" + r.exitCode + "): " + r.stderr);
        }
        JsonNode res = JSON.readTree(r.stdout);
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            JsonNode one = res.get(f.toString());
            one.get("errors").forEach(e -> problems.add(f.getFileName() + ": error: " + e.asText()));
            one.get("warnings").forEach(w -> problems.add(f.getFileName() + ": warning: " + w.asText()));
        }
        return problems;
    }

    /**
     * Runs the validator script itself, as a user would ({@code python3 validate_cloud_optimized_geotiff.py FILE}).
     */
    public static Output validatorScript(Path file) throws IOException, InterruptedException {
        return run(List.of(python(), VALIDATOR, file.toString()), null);
    }

    /**
     * {@code gdallocationinfo -valonly} at pixel (col, row) points: {@code values[point][band]}.
     */
    public static double[][] locationValues(Path file, int bands, int[][] points) throws IOException, InterruptedException {
        StringBuilder in = new StringBuilder();
        for (int[] p : points) in.append(p[0]).append(' ').append(p[1]).append('\n');
        Output r = run(List.of("gdallocationinfo", "-valonly", file.toString()), in.toString());
        if (r.exitCode != 0) {
            throw new AssertionError("gdallocationinfo failed: " + r.stderr);
        }
        String[] lines = r.stdout.strip().split("\\R");
        if (lines.length != points.length * bands) {
            throw new AssertionError("gdallocationinfo gave " + lines.length + " values for " + points.length
                    + " points x " + bands + " bands: " + r.stdout + r.stderr);
        }
        double[][] v = new double[points.length][bands];
        for (int i = 0; i < points.length; i++) {
            for (int b = 0; b < bands; b++) {
                String s = lines[i * bands + b].strip();
                v[i][b] = s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("-nan") ? Double.NaN : Double.parseDouble(s);
            }
        }
        return v;
    }

    /**
     * The pixels of one band of an overview level (0 = full resolution) as GDAL reads them, via
     * {@code gdal_translate -ovr} to a raw ENVI file: little-endian samples, row-major.
     */
    public static ByteBuffer readLevel(Path file, int level, int band, Path workDir) throws IOException, InterruptedException {
        Path bin = Files.createTempFile(workDir, "level", ".bin");
        List<String> cmd = new ArrayList<>(List.of("gdal_translate", "-q", "-of", "ENVI", "-b", String.valueOf(band)));
        if (level > 0) {
            cmd.addAll(List.of("-ovr", String.valueOf(level - 1)));
        }
        cmd.addAll(List.of(file.toString(), bin.toString()));
        check(cmd);
        return ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
