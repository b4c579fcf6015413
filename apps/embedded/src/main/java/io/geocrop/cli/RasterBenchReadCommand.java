package io.geocrop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.ByteSource;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code geocrop raster bench-read}: times windowed reads the way bench/raster_gdal.py times GDAL's, on the
 * same window sequence, inside one process. Used by bench/raster.sh.
 */
@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Times N windowed reads of a GeoTIFF (path or URL) and prints JSON (used by bench/raster.sh).")
final class RasterBenchReadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IN", description = "A GeoTIFF file or an http(s) URL.")
    String in;

    @Option(names = "--windows", defaultValue = "200", description = "Number of windows (default ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--size", defaultValue = "512", description = "Window size in pixels (default ${DEFAULT-VALUE}).")
    int size;

    /** Window i of the shared sequence; must match windows() in bench/raster_gdal.py. */
    static int[] windowAt(int i, int width, int height, int size) {
        long x = ((i * 2654435761L) % (1L << 32)) % (width - size + 1);
        long y = (((i * 40503L + 12345L) * 2654435761L) % (1L << 32)) % (height - size + 1);
        return new int[] {(int) x, (int) y};
    }

    @Override
    public Integer call() throws Exception {
        ByteSource source = RasterSources.open(in);
        try (GeoTiff tiff = GeoTiffReader.open(source)) {
            RasterMetadata m = tiff.metadata();
            if (m.width() < size || m.height() < size) {
                throw new CliException("the raster is smaller than one " + size + " px window", 2);
            }
            int[] first = windowAt(0, m.width(), m.height(), size);
            tiff.read(new RasterWindow(first[0], first[1], size, size)); // warm-up, as on the GDAL side
            long t0 = System.nanoTime();
            for (int i = 0; i < windows; i++) {
                int[] xy = windowAt(i, m.width(), m.height(), size);
                tiff.read(new RasterWindow(xy[0], xy[1], size, size));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ObjectNode out = ApiClient.JSON.createObjectNode();
            out.put("windows", windows).put("size", size).put("seconds", seconds)
                    .put("mpix_per_s", (double) windows * size * size / seconds / 1e6);
            System.out.println(out);
            return 0;
        }
    }
}
