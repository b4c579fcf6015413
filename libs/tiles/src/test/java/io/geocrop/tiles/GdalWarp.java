package io.geocrop.tiles;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GDAL for this module's tests: the reference tile ({@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts n n -r near},
 * read back) and any other GDAL command ({@link #run}).
 */
final class GdalWarp {
    private GdalWarp() {}

    /** The warped tile, all bands. */
    static Raster tile(Path cog, TileCoord tile, int size, Path dir) throws IOException, InterruptedException {
        Bounds b = TileMath.mercatorBounds(tile);
        Path out = dir.resolve("gdal-" + tile.z() + "-" + tile.x() + "-" + tile.y() + "-" + size + ".tif");
        List<String> cmd = List.of("gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:3857", "-te",
                fmt(b.minX()), fmt(b.minY()), fmt(b.maxX()), fmt(b.maxY()), "-ts", "" + size, "" + size,
                "-r", "near", "-of", "GTiff", cog.toString(), out.toString());
        run(cmd);
        try (GeoTiff t = GeoTiffReader.open(new FileByteSource(out))) {
            return t.read(new RasterWindow(0, 0, size, size));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs a GDAL command (or GDAL's Python, {@code /usr/bin/python3}); returns its output, fails with it. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd.getFirst() + " failed: " + log);
        }
        return log;
    }

    /** The shortest decimal that parses back to {@code v}: gdalwarp gets the tile's bounds bit for bit. */
    private static String fmt(double v) {
        return new java.math.BigDecimal(v).toPlainString(); // the double's exact value
    }
}
