package io.geocrop.tiles;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.ColorTable;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Job-result-like COGs for tests: class + confidence, EPSG:32736, 10 m, near Harare. */
final class TestCogs {
    static final int WIDTH = 700;
    static final int HEIGHT = 500;
    static final int EPSG = 32736;

    private TestCogs() {}

    /** Top-left corner, snapped to the 10 m grid, of a raster around 31.05 E, 17.83 S. */
    static double[] origin() {
        double[] en = UtmZone.ofEpsg(EPSG).forward(31.05, -17.83);
        return new double[] {Math.floor(en[0] / 10) * 10 - WIDTH * 5, Math.floor(en[1] / 10) * 10 + HEIGHT * 5};
    }

    /** The class at full-resolution pixel (x, y): blocks of every class, with nodata (0) holes. */
    static int classAt(int x, int y) {
        return (x / 23 + (y / 17) * 5) % 12;
    }

    static int confidenceAt(int x, int y) {
        return 1 + (x * 7 + y * 3) % 100;
    }

    static ColorTable cropColourTable() {
        int[] argb = new int[256];
        for (CropClass c : CropClass.all()) {
            argb[c.code()] = 0xff000000 | c.rgb();
        }
        return new ColorTable(argb);
    }

    /** Writes the class + confidence COG to {@code out}. */
    static Path writeJobResult(Path out) throws IOException {
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
                List.of(1.0, 1.0), List.of(0.0, 0.0), Map.of(), cropColourTable());
        CogWriter.write(out, meta, Raster.wrap(WIDTH, HEIGHT, SampleType.UINT8, cls, conf),
                CogWriteOptions.builder().tileSize(256).compression(CogWriteOptions.Compression.DEFLATE).build());
        return out;
    }

    /** A Dynamic World label COG (values 0..8, nodata 255) in EPSG:4326, about 10 m. */
    static Path writeDynamicWorld(Path out) throws IOException {
        return writeDynamicWorld(out, 31.0, -17.8, 0);
    }

    /** The same pattern with its north-west corner at ({@code west}, {@code north}), values shifted by {@code shift}. */
    static Path writeDynamicWorld(Path out, double west, double north, int shift) throws IOException {
        int w = 400;
        int h = 300;
        byte[] label = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x / 31 + y / 29 + shift) % 10;
                label[y * w + x] = (byte) (v == 9 ? LayerStyle.DW_NODATA : v);
            }
        }
        RasterMetadata meta = new RasterMetadata(w, h, 1, SampleType.UINT8,
                GeoTransform.northUp(west, north, 0.0001, 0.0001), 4326, (double) LayerStyle.DW_NODATA,
                List.of("label"), List.of(1.0), List.of(0.0), Map.of(), null);
        CogWriter.write(out, meta, Raster.wrap(w, h, SampleType.UINT8, label),
                CogWriteOptions.builder().tileSize(256).overviewResampling(io.geocrop.raster.Resampling.MODE).build());
        return out;
    }
}
