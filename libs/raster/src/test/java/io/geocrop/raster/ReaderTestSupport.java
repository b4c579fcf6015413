package io.geocrop.raster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.raster.cog.GdalCli;
import io.geocrop.raster.io.FileByteSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers for the GeoTIFF reader tests: fixtures, GDAL subprocesses, GDAL's checksum, counting sources. */
final class ReaderTestSupport {
    private ReaderTestSupport() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shared test data folder (system property {@code geocrop.shared.data}, else ../../../shared/data). */
    static Path sharedData() {
        String prop = System.getProperty("geocrop.shared.data");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../../shared/data");
        return p.toAbsolutePath().normalize();
    }

    /** The GeoTIFF fixtures, sorted by name. */
    static List<Path> fixtures() {
        try (var s = Files.list(sharedData().resolve("geotiff"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tif")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a local file with the module's file source. */
    static GeoTiff open(Path file) throws IOException {
        return GeoTiffReader.open(new FileByteSource(file));
    }

    /** Runs a command through {@link GdalCli}, failing on a non-zero exit; returns stdout. */
    static String run(List<String> command, String stdin) {
        try {
            GdalCli.Output r = GdalCli.run(command, stdin);
            if (r.exitCode() != 0) {
                throw new AssertionError("command failed (" + r.exitCode() + "): " + command + "\n" + r.stderr());
            }
            return r.stdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String run(String... command) {
        return run(List.of(command), null);
    }

    /** {@code gdalinfo -json -checksum} of a file (extra arguments, e.g. open options, go first). */
    static JsonNode gdalinfo(Path file, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("gdalinfo", "-json", "-checksum"));
        cmd.addAll(List.of(extra));
        cmd.add(file.toString());
        try {
            return JSON.readTree(run(cmd, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code gdallocationinfo -valonly} for many pixel positions at once (band 1-based; level 0 = full
     * resolution, else the overview opened as a dataset with OVERVIEW_LEVEL=level-1, so that positions are in
     * the overview's own pixels).
     */
    static List<String> gdalValues(Path file, int band, int overview, List<int[]> points) {
        List<String> cmd = new ArrayList<>(List.of("gdallocationinfo", "-valonly", "-b", String.valueOf(band)));
        if (overview > 0) {
            cmd.addAll(List.of("-oo", "OVERVIEW_LEVEL=" + (overview - 1)));
        }
        cmd.add(file.toString());
        StringBuilder in = new StringBuilder();
        for (int[] p : points) {
            in.append(p[0]).append(' ').append(p[1]).append('\n');
        }
        return run(cmd, in.toString()).lines().toList();
    }

    /** One gdal_translate run: source, destination and creation options. */
    record Translate(Path source, Path target, List<String> creationOptions) {}

    private static final String TRANSLATE_SCRIPT = """
            import json, sys
            from osgeo import gdal
            gdal.UseExceptions()
            out = []
            for job in json.load(sys.stdin):
                gdal.Translate(job["target"], job["source"], format="GTiff", creationOptions=job["options"])
                ds = gdal.Open(job["target"])
                out.append([ds.GetRasterBand(b + 1).Checksum() for b in range(ds.RasterCount)])
                ds = None
            json.dump(out, sys.stdout)
            """;

    /**
     * Runs many gdal_translate jobs in one Python GDAL process (GDAL's start-up dominates a small translate)
     * and returns GDAL's per-band checksums (GDALChecksumImage, as gdalinfo -checksum) of each result.
     */
    static List<List<Integer>> translateAll(List<Translate> jobs) {
        List<java.util.Map<String, Object>> payload = new ArrayList<>();
        for (Translate j : jobs) {
            payload.add(java.util.Map.of("source", j.source().toString(), "target", j.target().toString(),
                    "options", j.creationOptions()));
        }
        try {
            String stdout = run(List.of(GdalCli.python(), "-c", TRANSLATE_SCRIPT), JSON.writeValueAsString(payload));
            List<List<Integer>> out = new ArrayList<>();
            for (JsonNode file : JSON.readTree(stdout)) {
                List<Integer> sums = new ArrayList<>();
                file.forEach(n -> sums.add(n.asInt()));
                out.add(sums);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GDAL's GDALChecksumImage over a whole band: values read as Int32 (integers clamped, floats rounded
     * half-up and clamped, NaN and infinities as INT_MIN), summed modulo primes, masked to 16 bits. INT8 is
     * checksummed as GDAL 3.6 does, as unsigned bytes.
     */
    static int gdalChecksum(Raster r, int band) {
        int[] primes = {7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43};
        int checksum = 0;
        int prime = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int v;
                if (r.sampleType().isFloat()) {
                    double d = r.get(band, x, y);
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        v = Integer.MIN_VALUE;
                    } else {
                        d += 0.5;
                        v = d < -2147483647.0 ? -2147483647 : d > 2147483647.0 ? 2147483647 : (int) Math.floor(d);
                    }
                } else if (r.sampleType() == SampleType.INT8) {
                    v = r.bytes(band)[y * r.width() + x] & 0xFF;
                } else {
                    v = (int) Math.min(r.get(band, x, y), Integer.MAX_VALUE);
                }
                checksum += v % primes[prime++];
                if (prime > 10) {
                    prime = 0;
                }
                checksum &= 0xFFFF;
            }
        }
        return checksum;
    }

    /** A value as gdallocationinfo prints it, for comparison. */
    static boolean sameValue(String gdal, double ours) {
        String g = gdal.trim();
        if (g.equalsIgnoreCase("nan") || g.equalsIgnoreCase("-nan")) {
            return Double.isNaN(ours);
        }
        if (g.equalsIgnoreCase("inf")) {
            return ours == Double.POSITIVE_INFINITY;
        }
        if (g.equalsIgnoreCase("-inf")) {
            return ours == Double.NEGATIVE_INFINITY;
        }
        double v = Double.parseDouble(g);
        // gdallocationinfo prints floats with %.15g-ish precision.
        return v == ours || Math.abs(v - ours) <= 1e-12 * Math.max(1, Math.abs(ours)) || (float) v == (float) ours;
    }

    /** A ByteSource wrapper that counts calls, for checking how many requests a read costs. */
    static final class CountingSource implements ByteSource {
        final ByteSource inner;
        final AtomicInteger singleReads = new AtomicInteger();
        final AtomicInteger listReads = new AtomicInteger();
        final List<List<ByteRange>> listCalls = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<ByteRange> singleCalls = java.util.Collections.synchronizedList(new ArrayList<>());

        CountingSource(ByteSource inner) {
            this.inner = inner;
        }

        @Override
        public long length() throws IOException {
            return inner.length();
        }

        @Override
        public byte[] read(long offset, int length) throws IOException {
            singleReads.incrementAndGet();
            singleCalls.add(new ByteRange(offset, length));
            return inner.read(offset, length);
        }

        @Override
        public List<byte[]> read(List<ByteRange> ranges) throws IOException {
            listReads.incrementAndGet();
            listCalls.add(List.copyOf(ranges));
            return inner.read(ranges);
        }

        @Override
        public String describe() {
            return "counting(" + inner.describe() + ")";
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }

        int totalCalls() {
            return singleReads.get() + listReads.get();
        }

        void reset() {
            singleReads.set(0);
            listReads.set(0);
            listCalls.clear();
            singleCalls.clear();
        }
    }

    /** An in-memory source over a byte array (for generated and mutated files). */
    static final class BytesSource implements ByteSource {
        private final byte[] data;
        private final String name;

        BytesSource(byte[] data, String name) {
            this.data = data;
            this.name = name;
        }

        @Override
        public long length() {
            return data.length;
        }

        @Override
        public byte[] read(long offset, int length) throws IOException {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative read");
            }
            if (offset > data.length) {
                throw new java.io.EOFException(name + ": read at " + offset + " past the end (" + data.length + ")");
            }
            int n = (int) Math.min(length, data.length - offset);
            return java.util.Arrays.copyOfRange(data, (int) offset, (int) offset + n);
        }

        @Override
        public String describe() {
            return name;
        }
    }
}
