package io.geocrop.tiles;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.ColorTable;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.proj.CrsTransforms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * COGs as the pipeline writes them, for tests: a job result (class, uint8, nodata 0, CropClass colour table +
 * confidence 1..100) in EPSG:32736 at 10 m around Harare, and Dynamic World label baselines (0..8, nodata 255) either
 * on that UTM grid or in EPSG:4326. Every pixel's value is a function of its position ({@link #classAt},
 * {@link #confidenceAt}, {@link #dwAt}), so tests compute what a renderer must show. Shared through this module's
 * test-jar (tile-render's tests serve the same files over HTTP).
 */
public final class TestCogs {
    /** Job result size, pixels. */
    public static final int WIDTH = 700;
    public static final int HEIGHT = 500;
    public static final int EPSG = 32736;
    /** UTM baseline size, pixels ({@link #writeDynamicWorldUtm}). */
    public static final int DW_WIDTH = 500;
    public static final int DW_HEIGHT = 400;
    /** Lon/lat baseline size, pixels of 0.0001 degree ({@link #writeDynamicWorld}). */
    public static final int LONLAT_DW_WIDTH = 400;
    public static final int LONLAT_DW_HEIGHT = 300;

    private TestCogs() {}

    /** Top-left corner, snapped to the 10 m grid, of a raster around 31.05 E, 17.83 S. */
    public static double[] origin() {
        double[] en = UtmZone.ofEpsg(EPSG).forward(31.05, -17.83);
        return new double[] {Math.floor(en[0] / 10) * 10 - WIDTH * 5, Math.floor(en[1] / 10) * 10 + HEIGHT * 5};
    }

    /** The class at full-resolution pixel (x, y): blocks of every class, with nodata (0) holes. */
    public static int classAt(int x, int y) {
        return (x / 23 + (y / 17) * 5) % 12;
    }

    /** The confidence at full-resolution pixel (x, y): 1..100. */
    public static int confidenceAt(int x, int y) {
        return 1 + (x * 7 + y * 3) % 100;
    }

    /** The Dynamic World label of pixel (x, y) of a baseline written with {@code shift}: 0..8, or 255 (nodata). */
    public static int dwAt(int x, int y, int shift) {
        int v = (x / 27 + y / 21 + shift) % 10;
        return v == 9 ? LayerStyle.DW_NODATA : v;
    }

    /**
     * The job-result pixel under the centre of pixel ({@code px}, {@code py}) of a {@code size}-pixel tile, or null
     * within 0.15 px of a pixel edge, where the renderer's approximate transform (0.125 px) may pick the neighbour.
     */
    public static int[] jobResultPixel(TileCoord tile, int size, int px, int py) {
        Bounds b = TileMath.mercatorBounds(tile);
        double[] en = CrsTransforms.between(CrsTransforms.WEB_MERCATOR, EPSG)
                .apply(b.minX() + (px + 0.5) * b.width() / size, b.maxY() - (py + 0.5) * b.height() / size);
        double[] o = origin();
        double col = (en[0] - o[0]) / 10;
        double row = (o[1] - en[1]) / 10;
        double fc = col - Math.floor(col);
        double fr = row - Math.floor(row);
        if (fc < 0.15 || fc > 0.85 || fr < 0.15 || fr > 0.85) {
            return null;
        }
        return new int[] {(int) Math.floor(col), (int) Math.floor(row)};
    }

    /** Whether a {@link #jobResultPixel} lies inside the job result. */
    public static boolean insideJobResult(int[] p) {
        return p[0] >= 0 && p[0] < WIDTH && p[1] >= 0 && p[1] < HEIGHT;
    }

    static ColorTable cropColourTable() {
        int[] argb = new int[256];
        for (CropClass c : CropClass.all()) {
            argb[c.code()] = 0xff000000 | c.rgb();
        }
        return new ColorTable(argb);
    }

    /** Writes the class + confidence COG to {@code out}. */
    public static Path writeJobResult(Path out) throws IOException {
        byte[] cls = new byte[WIDTH * HEIGHT];
        byte[] conf = new byte[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                cls[y * WIDTH + x] = (byte) classAt(x, y);
                conf[y * WIDTH + x] = (byte) confidenceAt(x, y);
            }
        }
        double[] o = origin();
        RasterMetadata meta = new RasterMetadata(WIDTH, HEIGHT, 2, SampleType.UINT8,
                GeoTransform.northUp(o[0], o[1], 10, 10), EPSG, 0.0, List.of("class", "confidence"),
                List.of(1.0, 1.0), List.of(0.0, 0.0), Map.of("MODEL", "test@1"), cropColourTable());
        CogWriter.write(out, meta, Raster.wrap(WIDTH, HEIGHT, SampleType.UINT8, cls, conf),
                CogWriteOptions.builder().tileSize(256).compression(CogWriteOptions.Compression.DEFLATE).build());
        return out;
    }

    /** A Dynamic World label COG on the job result's UTM grid, starting at {@link #origin()}. */
    public static Path writeDynamicWorldUtm(Path out) throws IOException {
        return writeDynamicWorldUtm(out, 0, 0);
    }

    /** A UTM baseline whose west edge is {@code eastOffsetM} east of {@link #origin()}, values shifted by {@code shift}. */
    public static Path writeDynamicWorldUtm(Path out, int eastOffsetM, int shift) throws IOException {
        double[] o = origin();
        return writeLabels(out, DW_WIDTH, DW_HEIGHT, shift, GeoTransform.northUp(o[0] + eastOffsetM, o[1], 10, 10), EPSG);
    }

    /** A Dynamic World label COG in EPSG:4326, about 10 m, north-west corner at 31.0 E, 17.8 S. */
    public static Path writeDynamicWorld(Path out) throws IOException {
        return writeDynamicWorld(out, 31.0, -17.8, 0);
    }

    /** The lon/lat baseline with its north-west corner at ({@code west}, {@code north}), values shifted by {@code shift}. */
    public static Path writeDynamicWorld(Path out, double west, double north, int shift) throws IOException {
        return writeLabels(out, LONLAT_DW_WIDTH, LONLAT_DW_HEIGHT, shift,
                GeoTransform.northUp(west, north, 0.0001, 0.0001), 4326);
    }

    private static Path writeLabels(Path out, int w, int h, int shift, GeoTransform transform, int epsg) throws IOException {
        byte[] label = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                label[y * w + x] = (byte) dwAt(x, y, shift);
            }
        }
        RasterMetadata meta = new RasterMetadata(w, h, 1, SampleType.UINT8, transform, epsg,
                (double) LayerStyle.DW_NODATA, List.of("label"), List.of(1.0), List.of(0.0), Map.of(), null);
        CogWriter.write(out, meta, Raster.wrap(w, h, SampleType.UINT8, label),
                CogWriteOptions.builder().tileSize(256).overviewResampling(Resampling.MODE).build());
        return out;
    }
}
