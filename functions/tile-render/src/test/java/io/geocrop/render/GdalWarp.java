package io.geocrop.render;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.tiles.Bounds;
import io.geocrop.tiles.TileCoord;
import io.geocrop.tiles.TileMath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The reference renderer: {@code gdalwarp -t_srs EPSG:3857 -te <tile> -ts n n -r near}. */
final class GdalWarp {
    private GdalWarp() {}

    /** Band 1 of the warped tile. */
    static byte[] classBand(Path cog, TileCoord tile, int size) throws IOException, InterruptedException {
        Bounds b = TileMath.mercatorBounds(tile);
        Path out = Files.createTempFile("gdalwarp", ".tif");
        List<String> cmd = List.of("gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:3857", "-te", fmt(b.minX()), fmt(b.minY()),
                fmt(b.maxX()), fmt(b.maxY()), "-ts", "" + size, "" + size, "-r", "near", "-of", "GTiff", cog.toString(), out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("gdalwarp failed: " + log);
        }
        try (GeoTiff t = GeoTiffReader.open(new FileByteSource(out))) {
            return t.read(0, new RasterWindow(0, 0, size, size), new int[] {0}).bytes(0);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9f", v);
    }
}
