package io.geocrop.raster.proj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.cog.GdalCli;

/**
 * Runs GDAL's command-line tools for the reprojection tests, and reads rasters through GDAL itself (ENVI raw
 * output) so these tests do not depend on the project's own TIFF reader; the processes run through {@link GdalCli}.
 * Shared with other modules' tests through the {@code geocrop-raster} test-jar.
 */
public final class GdalTool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Boolean available;

    private GdalTool() {}

    /** Whether gdalinfo, gdalwarp, gdal_translate and gdaltransform can be run. */
    public static synchronized boolean available() {
        if (available == null) {
            try {
                run(null, "gdalinfo", "--version");
                run(null, "gdaltransform", "--version");
                run(null, "gdalwarp", "--version");
                available = true;
            } catch (IOException | RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** Runs a command, feeding {@code stdin}; returns stdout, or fails with stderr ({@link GdalCli#run}). */
    public static String run(String stdin, String... command) throws IOException {
        try {
            GdalCli.Output r = GdalCli.run(List.of(command), stdin);
            if (r.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.stderr());
            }
            return r.stdout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Source pixels and georeferencing of a GDAL-readable file (band 1..n), read by GDAL. */
    public record GdalRaster(Raster raster, GeoTransform transform, int epsg, Double nodata) {}

    /** Reads {@code file} through {@code gdal_translate -of ENVI} into a Raster. */
    public static GdalRaster read(Path file, Path workDir) throws IOException {
        JsonNode info = JSON.readTree(run(null, "gdalinfo", "-json", file.toString()));
        int width = info.path("size").get(0).asInt();
        int height = info.path("size").get(1).asInt();
        JsonNode gt = info.path("geoTransform");
        GeoTransform transform = new GeoTransform(gt.get(0).asDouble(), gt.get(1).asDouble(), gt.get(2).asDouble(),
                gt.get(3).asDouble(), gt.get(4).asDouble(), gt.get(5).asDouble());
        JsonNode bands = info.path("bands");
        SampleType type = switch (bands.get(0).path("type").asText()) {
            case "Byte" -> SampleType.UINT8;
            case "UInt16" -> SampleType.UINT16;
            case "Int16" -> SampleType.INT16;
            case "UInt32" -> SampleType.UINT32;
            case "Int32" -> SampleType.INT32;
            case "Float32" -> SampleType.FLOAT32;
            case "Float64" -> SampleType.FLOAT64;
            default -> throw new IllegalArgumentException("unexpected type in " + file);
        };
        JsonNode nodataNode = bands.get(0).get("noDataValue");
        Double nodata = nodataNode == null ? null : nodataNode.isNumber() ? nodataNode.asDouble()
                : Double.valueOf(nodataNode.asText());
        int epsg = epsgOf(info);
        Path raw = workDir.resolve(file.getFileName() + "-" + System.nanoTime() + ".raw");
        run(null, "gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", file.toString(), raw.toString());
        return new GdalRaster(readEnvi(raw, width, height, bands.size(), type), transform, epsg, nodata);
    }

    /** Reads a raw band-sequential little-endian file as GDAL's ENVI driver writes it. */
    static Raster readEnvi(Path raw, int width, int height, int bandCount, SampleType type) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        int n = width * height;
        if (data.remaining() != (long) n * bandCount * type.bytes()) {
            throw new IOException(raw + ": " + data.remaining() + " bytes, expected " + width + "x" + height + "x"
                    + bandCount + " " + type);
        }
        Raster raster = Raster.allocate(width, height, bandCount, type);
        for (int b = 0; b < bandCount; b++) {
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case UINT8 -> raster.bytes(b)[i] = data.get();
                    case UINT16, INT16 -> raster.shorts(b)[i] = data.getShort();
                    case UINT32, INT32 -> raster.ints(b)[i] = data.getInt();
                    case FLOAT32 -> raster.floats(b)[i] = data.getFloat();
                    case FLOAT64 -> raster.doubles(b)[i] = data.getDouble();
                    default -> throw new IllegalStateException();
                }
            }
        }
        return raster;
    }

    /** The EPSG code GDAL reports for a file (the last ID["EPSG",n] of its WKT, i.e. the CRS's own). */
    static int epsgOf(JsonNode info) {
        String wkt = info.path("coordinateSystem").path("wkt").asText();
        int at = wkt.lastIndexOf("ID[\"EPSG\",");
        if (at < 0) {
            throw new IllegalArgumentException("no EPSG code in " + wkt);
        }
        int start = at + "ID[\"EPSG\",".length();
        return Integer.parseInt(wkt.substring(start, wkt.indexOf(']', start)));
    }

    /** gdalinfo -json of a file. */
    static JsonNode info(Path file) throws IOException {
        return JSON.readTree(run(null, "gdalinfo", "-json", file.toString()));
    }

    /** Transforms points with gdaltransform; returns {x, y} pairs. */
    static List<double[]> transform(int from, int to, List<double[]> points) throws IOException {
        StringBuilder in = new StringBuilder();
        for (double[] p : points) {
            in.append(String.format(java.util.Locale.ROOT, "%.12f %.12f%n", p[0], p[1]));
        }
        String out = run(in.toString(), "gdaltransform", "-s_srs", "EPSG:" + from, "-t_srs", "EPSG:" + to,
                "-output_xy");
        List<double[]> result = new ArrayList<>();
        for (String line : out.strip().split("\\R")) {
            String[] parts = line.trim().split("\\s+");
            result.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
        }
        return result;
    }
}
