package io.geocrop.render;

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
import io.geocrop.tiles.LayerStyle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Result and baseline COGs as the pipeline writes them: class (uint8, nodata 0, CropClass colour table) +
 * confidence (0..100), EPSG:32736, 10 m, around Harare; and a Dynamic World label COG (0..8, nodata 255).
 */
final class TestCogs {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int EPSG = 32736;

    private TestCogs() {}

    static double[] origin() {
        double[] en = UtmZone.ofEpsg(EPSG).forward(31.05, -17.83);
        return new double[] {Math.floor(en[0] / 10) * 10 - WIDTH * 5, Math.floor(en[1] / 10) * 10 + HEIGHT * 5};
    }

    static int classAt(int x, int y) {
        return (x / 19 + (y / 13) * 5) % 12;
    }

    static int confidenceAt(int x, int y) {
        return 1 + (x * 3 + y * 7) % 100;
    }

    static Path writeJobResult(Path out) throws IOException {
        byte[] cls = new byte[WIDTH * HEIGHT];
        byte[] conf = new byte[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                cls[y * WIDTH + x] = (byte) classAt(x, y);
                conf[y * WIDTH + x] = (byte) confidenceAt(x, y);
            }
        }
        int[] argb = new int[256];
        for (CropClass c : CropClass.all()) {
            argb[c.code()] = 0xff000000 | c.rgb();
        }
        double[] o = origin();
        RasterMetadata meta = new RasterMetadata(WIDTH, HEIGHT, 2, SampleType.UINT8,
                GeoTransform.northUp(o[0], o[1], 10, 10), EPSG, 0.0, List.of("class", "confidence"),
                List.of(1.0, 1.0), List.of(0.0, 0.0), Map.of("MODEL", "test@1"), new ColorTable(argb));
        CogWriter.write(out, meta, Raster.wrap(WIDTH, HEIGHT, SampleType.UINT8, cls, conf),
                CogWriteOptions.builder().tileSize(256).compression(CogWriteOptions.Compression.DEFLATE).build());
        return out;
    }

    static Path writeDynamicWorld(Path out) throws IOException {
        return writeDynamicWorld(out, 0, 0);
    }

    static final int DW_WIDTH = 500;
    static final int DW_HEIGHT = 400;

    /** The Dynamic World label of pixel (x, y) of a baseline written with {@code shift}: 0..8, or 255 (nodata). */
    static int dwAt(int x, int y, int shift) {
        int v = (x / 27 + y / 21 + shift) % 10;
        return v == 9 ? LayerStyle.DW_NODATA : v;
    }

    /** A baseline whose west edge is {@code eastOffsetM} east of {@link #origin()}, values shifted by {@code shift}. */
    static Path writeDynamicWorld(Path out, int eastOffsetM, int shift) throws IOException {
        int w = DW_WIDTH;
        int h = DW_HEIGHT;
        byte[] label = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                label[y * w + x] = (byte) dwAt(x, y, shift);
            }
        }
        double[] o = origin();
        RasterMetadata meta = new RasterMetadata(w, h, 1, SampleType.UINT8, GeoTransform.northUp(o[0] + eastOffsetM, o[1], 10, 10),
                EPSG, (double) LayerStyle.DW_NODATA, List.of("label"), List.of(1.0), List.of(0.0), Map.of(), null);
        CogWriter.write(out, meta, Raster.wrap(w, h, SampleType.UINT8, label),
                CogWriteOptions.builder().tileSize(256).overviewResampling(Resampling.MODE).build());
        return out;
    }
}
