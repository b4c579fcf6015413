package io.geocrop.tiles;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.cog.GdalCli;
import io.geocrop.raster.io.FileByteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference renderer: the tile as {@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts n n -r near} warps it, read
 * back; and any other GDAL command ({@link #run}, through {@link GdalCli}). Shared through this module's test-jar
 * (tile-render's tests compare its HTTP tiles with it).
 */
public final class GdalWarp {
    private GdalWarp() {}

    /** The warped tile, all bands. */
    public static Raster tile(Path cog, TileCoord tile, int size, Path dir) throws IOException, InterruptedException {
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

    /** Runs a GDAL command (or GDAL's Python, {@code /usr/bin/python3}); returns its stdout, fails with its output. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        return GdalCli.check(cmd);
    }

    /** The shortest decimal that parses back to {@code v}: gdalwarp gets the tile's bounds bit for bit. */
    private static String fmt(double v) {
        return new java.math.BigDecimal(v).toPlainString(); // the double's exact value
    }
}
