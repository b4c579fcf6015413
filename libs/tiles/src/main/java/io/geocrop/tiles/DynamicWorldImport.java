package io.geocrop.tiles;

import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.ColorTable;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.raster.proj.Warp;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Dynamic World export (a GeoTIFF with a {@code label} band, or a single band, of class values 0..8, in
 * EPSG:4326 or a UTM zone) into the baseline COGs tile-render draws as {@code dw-<year>}: one COG per 10 km cell
 * of the UTM grid, 10 m pixels, band 1 uint8 {@code label}, nodata {@value DynamicWorldClass#NODATA}, the Dynamic
 * World palette, mode overviews, stored in {@link Bucket#BASELINES} under {@code dw/zim/summer/<year>/}.
 *
 * <p>The grid is the one the simulated baselines use: cell {@code (cx, cy)} of a zone spans eastings
 * {@code cx * 10 km .. (cx + 1) * 10 km} and northings likewise; a cell holds only pixels whose centre lies in its
 * zone's six degrees of longitude, so cells of neighbouring zones never overlap. Each pixel takes the export's
 * value at its centre (nearest neighbour, exact transforms); the export's nodata, and places it does not cover,
 * are nodata. A cell is written only when it holds at least one label.
 *
 * <p>Keys are {@code <zone><latitude band>-<cx>-<cy>.tif} (e.g. {@code 36K-0030-0793.tif}): they sort before the
 * simulated cells of the same zone ({@code 36KTE07.tif}), so where both exist the imported labels are drawn (the
 * mosaic draws the first file in key order that has data). Importing again replaces the same cells.
 *
 * <p>Validation fails with {@link InvalidExportException}, whose message is one line naming the file and the
 * reason: not a GeoTIFF, no {@code label} band among several, samples that are not integers, no CRS or a CRS other
 * than EPSG:4326/UTM, or a value outside 0..8 that is not the declared nodata (with its pixel).
 */
public final class DynamicWorldImport {
    /** Side of a baseline cell, metres. */
    public static final double CELL_M = 10_000;
    /** Baseline pixel size, metres (Dynamic World's own resolution). */
    public static final double PIXEL_M = DynamicWorldClass.GSD_M;
    /** Pixels per cell side. */
    public static final int CELL_PIXELS = (int) (CELL_M / PIXEL_M);
    /** Overview levels of a written cell (500, 250, 125, 63 px), as the simulated baselines. */
    static final int OVERVIEWS = 4;
    /** Source pixels read beyond a cell's footprint. */
    private static final int MARGIN_PX = 2;
    private static final int MAX_CLASS = 8;
    private static final byte NODATA = (byte) DynamicWorldClass.NODATA;
    private static final String BAND_LETTERS = "CDEFGHJKLMNPQRSTUVWX";

    /** A bad export: the message is one line naming the file and what is wrong. */
    public static final class InvalidExportException extends IllegalArgumentException {
        public InvalidExportException(String message) {
            super(message);
        }
    }

    /**
     * What an import wrote.
     *
     * @param year           season year of the baseline
     * @param sourceEpsg     CRS of the export
     * @param keys           keys written in {@link Bucket#BASELINES}, in order
     * @param pixelsByClass  10 m pixels written per class
     * @param minLon         west edge of the cells written (WGS84), NaN when nothing was written
     * @param minLat         south edge
     * @param maxLon         east edge
     * @param maxLat         north edge
     */
    public record Report(int year, int sourceEpsg, List<String> keys, Map<DynamicWorldClass, Long> pixelsByClass,
                         double minLon, double minLat, double maxLon, double maxLat) {
        /** Labelled 10 m pixels written. */
        public long labelledPixels() {
            return pixelsByClass.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Labelled area, km². */
        public double coveredKm2() {
            return labelledPixels() * PIXEL_M * PIXEL_M / 1e6;
        }

        /** "12 cells, 84.1 km² labelled (crops 41 %, trees 20 %, ...), 30.91..31.20 E, -17.95..-17.70 N". */
        public String describe() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d baseline cell%s for %d, %.1f km² labelled",
                    keys.size(), keys.size() == 1 ? "" : "s", year, coveredKm2()));
            long total = labelledPixels();
            if (total > 0) {
                StringBuilder shares = new StringBuilder();
                pixelsByClass.forEach((c, n) -> {
                    if (n > 0) {
                        shares.append(shares.isEmpty() ? "" : ", ")
                                .append(String.format(Locale.ROOT, "%s %.1f %%", c.id(), 100.0 * n / total));
                    }
                });
                s.append(" (").append(shares).append(String.format(Locale.ROOT,
                        "), %.4f..%.4f E, %.4f..%.4f N", minLon, maxLon, minLat, maxLat));
            }
            return s.toString();
        }
    }

    private DynamicWorldImport() {}

    /**
     * Validates {@code export}, reprojects it onto the baseline grid and stores the cells that hold labels.
     *
     * @param work a directory for the COGs before they are stored (created if missing)
     * @throws InvalidExportException if the file is not a usable Dynamic World export (nothing is stored)
     * @throws IOException            if the file cannot be read or a cell cannot be written
     */
    public static Report importExport(Path export, int year, ObjectStore store, Path work) throws IOException {
        ObjectKeys.baselinePrefix(year); // checks the year
        String name = export.getFileName().toString();
        if (!Files.isRegularFile(export)) {
            throw new InvalidExportException(name + ": no such file");
        }
        List<Path> written = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Map<DynamicWorldClass, Long> counts = new EnumMap<>(DynamicWorldClass.class);
        DynamicWorldClass.all().forEach(c -> counts.put(c, 0L));
        double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        int epsg;
        Files.createDirectories(work);
        try (GeoTiff tiff = open(export, name)) {
            RasterMetadata meta = tiff.metadata();
            int band = labelBand(meta, name);
            epsg = crs(meta, name);
            Double nodata = meta.nodata();
            // Validate every value before anything is written: a bad file stores nothing.
            checkValues(tiff, band, nodata, name);
            for (Cell cell : cellsCovering(meta, epsg)) {
                byte[] labels = cellLabels(tiff, band, nodata, epsg, cell);
                if (labels == null) {
                    continue;
                }
                Path file = work.resolve(cell.fileName());
                RasterMetadata out = cellMetadata(year, cell, name);
                try {
                    CogWriter.write(file, out, Raster.wrap(CELL_PIXELS, CELL_PIXELS, SampleType.UINT8, labels),
                            CogWriteOptions.builder().tileSize(512).overviewCount(OVERVIEWS)
                                    .overviewResampling(Resampling.MODE).build());
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                written.add(file);
                keys.add(ObjectKeys.baseline(year, cell.fileName()));
                for (byte v : labels) {
                    if (v != NODATA) {
                        DynamicWorldClass c = DynamicWorldClass.ofCode(v & 0xFF).orElseThrow();
                        counts.merge(c, 1L, Long::sum);
                    }
                }
                double[][] corners = {cell.zone().inverse(cell.minX(), cell.minY()),
                        cell.zone().inverse(cell.minX(), cell.maxY()), cell.zone().inverse(cell.maxX(), cell.minY()),
                        cell.zone().inverse(cell.maxX(), cell.maxY())};
                for (double[] c : corners) {
                    box[0] = Math.min(box[0], c[0]);
                    box[1] = Math.min(box[1], c[1]);
                    box[2] = Math.max(box[2], c[0]);
                    box[3] = Math.max(box[3], c[1]);
                }
            }
        } catch (RasterFormatException e) {
            throw new InvalidExportException(name + " is not a readable GeoTIFF: " + e.getMessage());
        }
        if (keys.isEmpty()) {
            throw new InvalidExportException(name + " holds no labels (every pixel is nodata)");
        }
        for (int i = 0; i < keys.size(); i++) {
            store.put(Bucket.BASELINES, keys.get(i), written.get(i), "image/tiff; application=geotiff; profile=cloud-optimized");
            Files.deleteIfExists(written.get(i));
        }
        boolean any = !keys.isEmpty();
        return new Report(year, epsg, List.copyOf(keys), counts, any ? box[0] : Double.NaN, any ? box[1] : Double.NaN,
                any ? box[2] : Double.NaN, any ? box[3] : Double.NaN);
    }

    private static GeoTiff open(Path export, String name) throws IOException {
        try {
            return GeoTiffReader.open(FileByteSource.open(export));
        } catch (RasterFormatException e) {
            throw new InvalidExportException(name + " is not a GeoTIFF: " + e.getMessage());
        }
    }

    /** The label band: the only band, or the one described {@code label}. */
    static int labelBand(RasterMetadata meta, String name) {
        int band = -1;
        if (meta.bands() == 1) {
            band = 0;
        } else {
            for (int b = 0; b < meta.bandDescriptions().size(); b++) {
                if ("label".equalsIgnoreCase(meta.bandDescriptions().get(b).strip())) {
                    band = b;
                }
            }
            if (band < 0) {
                throw new InvalidExportException(name + " has " + meta.bands() + " bands and none is named 'label'"
                        + " (export Dynamic World's label band, or a single band)");
            }
        }
        SampleType t = meta.sampleType();
        if (t != SampleType.UINT8 && t != SampleType.UINT16 && t != SampleType.INT16 && t != SampleType.INT32
                && t != SampleType.UINT32) {
            throw new InvalidExportException(name + " holds " + t.name().toLowerCase(Locale.ROOT)
                    + " samples; Dynamic World labels are integers 0..8");
        }
        return band;
    }

    /** The export's CRS: EPSG:4326 or a UTM zone. */
    static int crs(RasterMetadata meta, String name) {
        int epsg = meta.epsg();
        if (epsg == 0 || meta.transform() == null) {
            throw new InvalidExportException(name + " has no CRS (no EPSG code or no georeferencing); export it in"
                    + " EPSG:4326 or a UTM zone");
        }
        boolean utm = (epsg > 32600 && epsg <= 32660) || (epsg > 32700 && epsg <= 32760);
        if (epsg != CrsTransforms.WGS84 && !utm) {
            throw new InvalidExportException(name + " is in EPSG:" + epsg + "; baselines import EPSG:4326 or UTM"
                    + " (EPSG:326xx or 327xx)");
        }
        return epsg;
    }

    /** Every value must be a class 0..8 or the declared nodata; reads the band in strips. */
    private static void checkValues(GeoTiff tiff, int band, Double nodata, String name) throws IOException {
        RasterMetadata meta = tiff.metadata();
        int strip = Math.max(1, Math.min(meta.height(), 4_000_000 / meta.width()));
        for (int row0 = 0; row0 < meta.height(); row0 += strip) {
            int rows = Math.min(strip, meta.height() - row0);
            Raster r = tiff.read(0, new RasterWindow(0, row0, meta.width(), rows), new int[] {band});
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < meta.width(); x++) {
                    double v = r.get(0, x, y);
                    if ((v < 0 || v > MAX_CLASS) && (nodata == null || v != nodata)) {
                        throw new InvalidExportException(String.format(Locale.ROOT,
                                "%s has value %s at pixel (%d, %d); Dynamic World labels are 0..8%s", name,
                                v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v), x, row0 + y,
                                nodata == null ? " (the file declares no nodata value)" : " (nodata: " + fmt(nodata) + ")"));
                    }
                }
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** One 10 km cell of a zone's grid. */
    record Cell(UtmZone zone, long cx, long cy) {
        double minX() {
            return cx * CELL_M;
        }

        double maxX() {
            return (cx + 1) * CELL_M;
        }

        double minY() {
            return cy * CELL_M;
        }

        double maxY() {
            return (cy + 1) * CELL_M;
        }

        GeoTransform transform() {
            return GeoTransform.northUp(minX(), maxY(), PIXEL_M, PIXEL_M);
        }

        /** {@code 36K-0030-0793.tif}: zone, latitude band of the cell centre, cell column and row. */
        String fileName() {
            double lat = zone.inverse(minX() + CELL_M / 2, minY() + CELL_M / 2)[1];
            char band = BAND_LETTERS.charAt(Math.clamp((int) Math.floor((lat + 80) / 8), 0, BAND_LETTERS.length() - 1));
            return String.format(Locale.ROOT, "%d%c-%04d-%04d.tif", zone.zone(), band, cx, Math.floorMod(cy, 10_000));
        }
    }

    /** The cells of every zone the export's footprint reaches, in key order. */
    static List<Cell> cellsCovering(RasterMetadata meta, int epsg) {
        CrsTransforms.Transform toLonLat = CrsTransforms.between(epsg, CrsTransforms.WGS84);
        List<double[]> edge = new ArrayList<>(); // the export's outline, traced in source then lon/lat
        int steps = 32;
        for (int k = 0; k <= steps; k++) {
            double t = (double) k / steps;
            for (double[] px : new double[][] {{t * meta.width(), 0}, {t * meta.width(), meta.height()},
                    {0, t * meta.height()}, {meta.width(), t * meta.height()}}) {
                double[] xy = meta.transform().toWorld(px[0], px[1]);
                edge.add(toLonLat.apply(xy[0], xy[1]));
            }
        }
        double minLon = edge.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        double maxLon = edge.stream().mapToDouble(p -> p[0]).max().orElseThrow();
        double midLat = edge.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        List<Cell> cells = new ArrayList<>();
        for (int z = UtmZone.of(minLon, 0).zone(); z <= UtmZone.of(Math.min(maxLon, 179.999999), 0).zone(); z++) {
            UtmZone zone = new UtmZone(z, midLat < 0);
            double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
            for (double[] p : edge) {
                double[] xy = zone.forward(p[0], p[1]);
                minX = Math.min(minX, xy[0]);
                maxX = Math.max(maxX, xy[0]);
                minY = Math.min(minY, xy[1]);
                maxY = Math.max(maxY, xy[1]);
            }
            for (long cy = (long) Math.floor(minY / CELL_M); cy < Math.ceil(maxY / CELL_M); cy++) {
                for (long cx = (long) Math.floor(minX / CELL_M); cx < Math.ceil(maxX / CELL_M); cx++) {
                    cells.add(new Cell(zone, cx, cy));
                }
            }
        }
        cells.sort((a, b) -> ObjectKeys.UTF8_ORDER.compare(a.fileName(), b.fileName()));
        return cells;
    }

    /** The cell's labels (nearest, exact), nodata outside the export and the zone; null when it holds none. */
    private static byte[] cellLabels(GeoTiff tiff, int band, Double nodata, int epsg, Cell cell) throws IOException {
        RasterMetadata meta = tiff.metadata();
        RasterWindow window = sourceWindow(meta, epsg, cell);
        if (window == null) {
            return null;
        }
        Raster source = tiff.read(0, window, new int[] {band});
        // As uint8 labels with 255 for nodata, so the warp fills the rest of the cell with 255 as well.
        Raster labels = Raster.allocate(window.width(), window.height(), 1, SampleType.UINT8);
        byte[] l = labels.bytes(0);
        for (int y = 0; y < window.height(); y++) {
            for (int x = 0; x < window.width(); x++) {
                double v = source.get(0, x, y);
                l[y * window.width() + x] = nodata != null && v == nodata ? NODATA : (byte) v;
            }
        }
        GeoTransform windowTransform = meta.transform().window(window.col(), window.row());
        Raster warped = Warp.warp(labels, windowTransform, epsg, (double) DynamicWorldClass.NODATA, cell.transform(),
                cell.zone().epsg(), CELL_PIXELS, CELL_PIXELS, Resampling.NEAREST,
                (double) DynamicWorldClass.NODATA, 0);
        byte[] out = warped.bytes(0);
        clipToZone(cell, out);
        for (byte v : out) {
            if (v != NODATA) {
                return out;
            }
        }
        return null;
    }

    /** The export's pixels under the cell (plus a margin), clipped to the image; null if they do not meet. */
    private static RasterWindow sourceWindow(RasterMetadata meta, int epsg, Cell cell) {
        CrsTransforms.Transform toSource = CrsTransforms.between(cell.zone().epsg(), epsg);
        double minCol = Double.POSITIVE_INFINITY, minRow = Double.POSITIVE_INFINITY;
        double maxCol = Double.NEGATIVE_INFINITY, maxRow = Double.NEGATIVE_INFINITY;
        int steps = 8;
        for (int i = 0; i <= steps; i++) {
            for (int j = 0; j <= steps; j++) {
                double[] s = toSource.apply(cell.minX() + CELL_M * i / steps, cell.minY() + CELL_M * j / steps);
                double[] px = meta.transform().toPixel(s[0], s[1]);
                minCol = Math.min(minCol, px[0]);
                maxCol = Math.max(maxCol, px[0]);
                minRow = Math.min(minRow, px[1]);
                maxRow = Math.max(maxRow, px[1]);
            }
        }
        int c0 = (int) Math.max(0, Math.floor(minCol) - MARGIN_PX);
        int r0 = (int) Math.max(0, Math.floor(minRow) - MARGIN_PX);
        int c1 = (int) Math.min(meta.width(), Math.ceil(maxCol) + MARGIN_PX);
        int r1 = (int) Math.min(meta.height(), Math.ceil(maxRow) + MARGIN_PX);
        return c1 > c0 && r1 > r0 ? new RasterWindow(c0, r0, c1 - c0, r1 - r0) : null;
    }

    /** Nodata where a pixel centre lies outside the zone's longitudes (a pixel at a time; cells are small). */
    private static void clipToZone(Cell cell, byte[] data) {
        UtmZone zone = cell.zone();
        double west = -180 + 6.0 * (zone.zone() - 1), east = west + 6;
        boolean inside = true;
        for (double x : new double[] {cell.minX(), cell.maxX()}) {
            for (double y : new double[] {cell.minY(), cell.maxY()}) {
                double lon = zone.inverse(x, y)[0];
                inside &= lon >= west && lon < east;
            }
        }
        if (inside) {
            return;
        }
        for (int y = 0; y < CELL_PIXELS; y++) {
            double northing = cell.maxY() - (y + 0.5) * PIXEL_M;
            for (int x = 0; x < CELL_PIXELS; x++) {
                double lon = zone.inverse(cell.minX() + (x + 0.5) * PIXEL_M, northing)[0];
                if (lon < west || lon >= east) {
                    data[y * CELL_PIXELS + x] = NODATA;
                }
            }
        }
    }

    private static RasterMetadata cellMetadata(int year, Cell cell, String source) {
        Map<String, String> tags = Map.of(
                "DATASET", "Dynamic World V1 label (imported by geocrop baselines import)",
                "SEASON", Integer.toString(year),
                "SOURCE_FILE", source);
        return new RasterMetadata(CELL_PIXELS, CELL_PIXELS, 1, SampleType.UINT8, cell.transform(), cell.zone().epsg(),
                (double) DynamicWorldClass.NODATA, List.of("label"), List.of(), List.of(), tags, colours());
    }

    /** The Dynamic World palette as a 256-entry colour table (other values, nodata included, transparent). */
    static ColorTable colours() {
        int[] argb = new int[256];
        for (DynamicWorldClass c : DynamicWorldClass.values()) {
            argb[c.code()] = 0xFF000000 | c.rgb();
        }
        return new ColorTable(argb);
    }
}
