package io.geocrop.tiles;

import io.geocrop.domain.DynamicWorldClass;
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
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
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
 * EPSG:4326 or a UTM zone) into the baseline COGs tile-render draws as {@code dw-<year>}, without resampling: the
 * export's own pixels on the export's own grid and CRS, cut into pieces of at most {@value #PIECE_PIXELS} x
 * {@value #PIECE_PIXELS} pixels, band 1 uint8 {@code label}, nodata {@value DynamicWorldClass#NODATA} (the export's
 * nodata, whatever its value, becomes 255), the Dynamic World palette, mode overviews, stored in
 * {@link Bucket#BASELINES} under {@code dw/zim/summer/<year>/}. Pieces holding no label are not stored.
 *
 * <p>So the only resampling between the export and the map is the tile renderer's nearest sampling, which is
 * gdalwarp's ({@link TileRenderer}): each piece carries {@link TileRenderer#FULL_RESOLUTION_MIN_ZOOM_KEY} =
 * {@value #FULL_RESOLUTION_MIN_ZOOM}, so tiles from that zoom on read the export's pixels themselves (the first
 * overview would otherwise serve zoom 12) and equal {@code gdalwarp -t_srs EPSG:3857 -r near} of the export; the
 * mode overviews serve the zooms below.
 *
 * <p>Keys are {@code 0-import-<name>-<row>-<col>.tif} ({@code <name>}: the file name without {@code .tif}, other
 * characters than letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}; row and column of the
 * piece, three digits). The leading {@code 0} sorts them before the simulated 10 km cells (whose keys start with
 * their UTM zone), so where both exist the imported labels are drawn (the mosaic draws the first file in key order
 * that has data there). Importing a file of the same name again replaces its pieces and deletes those it no longer
 * has.
 *
 * <p>Validation fails with {@link InvalidExportException}, whose message is one line naming the file and the
 * reason: not a GeoTIFF, no {@code label} band among several, samples that are not integers, no CRS or a CRS other
 * than EPSG:4326/UTM, or a value outside 0..8 that is not the declared nodata (with its pixel). Nothing is stored
 * then.
 */
public final class DynamicWorldImport {
    /** Largest side of a stored piece, export pixels (a multiple of {@link #TILE_PIXELS}). */
    public static final int PIECE_PIXELS = 8192;
    /** Tile side of the pieces' COGs. */
    static final int TILE_PIXELS = 512;
    /** Tiles of this zoom and above read the pieces at full resolution. */
    public static final int FULL_RESOLUTION_MIN_ZOOM = 12;
    /** What every imported key starts with, after the year's prefix. */
    public static final String KEY_PREFIX = "0-import-";
    /** Pixels per side of the blocks whose ground area is measured once for the report. */
    private static final int AREA_BLOCK = 64;
    private static final int MAX_CLASS = 8;
    private static final byte NODATA = (byte) DynamicWorldClass.NODATA;
    private static final double WGS84_A = 6_378_137.0;
    private static final double WGS84_E2 = 0.0066943799901413165;

    /** A bad export: the message is one line naming the file and what is wrong. */
    public static final class InvalidExportException extends IllegalArgumentException {
        public InvalidExportException(String message) {
            super(message);
        }
    }

    /**
     * What an import wrote.
     *
     * @param year          season year of the baseline
     * @param sourceEpsg    CRS of the export (and of the pieces)
     * @param width         export width, pixels
     * @param height        export height, pixels
     * @param keys          keys written in {@link Bucket#BASELINES}, in order
     * @param pixelsByClass export pixels stored per class
     * @param km2ByClass    ground area of those pixels per class, km² (on the WGS84 ellipsoid)
     * @param minLon        west edge of the pieces written (WGS84), NaN when nothing was written
     * @param minLat        south edge
     * @param maxLon        east edge
     * @param maxLat        north edge
     */
    public record Report(int year, int sourceEpsg, int width, int height, List<String> keys,
                         Map<DynamicWorldClass, Long> pixelsByClass, Map<DynamicWorldClass, Double> km2ByClass,
                         double minLon, double minLat, double maxLon, double maxLat) {
        /** Labelled export pixels stored. */
        public long labelledPixels() {
            return pixelsByClass.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Labelled area, km². */
        public double coveredKm2() {
            return km2ByClass.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /**
         * "1 baseline piece for 2023, 84.1 km² labelled (crops 41.0 %, trees 20.0 %, ...), 30.9100..31.2000 E,
         * -17.9500..-17.7000 N; EPSG:32736, 920 x 914 pixels stored as exported".
         */
        public String describe() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d baseline piece%s for %d, %.1f km² labelled",
                    keys.size(), keys.size() == 1 ? "" : "s", year, coveredKm2()));
            double total = coveredKm2();
            if (total > 0) {
                StringBuilder shares = new StringBuilder();
                km2ByClass.forEach((c, a) -> {
                    if (pixelsByClass.get(c) > 0) {
                        shares.append(shares.isEmpty() ? "" : ", ")
                                .append(String.format(Locale.ROOT, "%s %.1f %%", c.id(), 100.0 * a / total));
                    }
                });
                s.append(" (").append(shares).append(String.format(Locale.ROOT,
                        "), %.4f..%.4f E, %.4f..%.4f N", minLon, maxLon, minLat, maxLat));
            }
            s.append(String.format(Locale.ROOT, "; EPSG:%d, %d x %d pixels stored as exported", sourceEpsg, width, height));
            return s.toString();
        }
    }

    private DynamicWorldImport() {}

    /**
     * Validates {@code export} and stores its pixels, unresampled, as baseline pieces of season {@code year}.
     *
     * @param work a directory for the COGs before they are stored (created if missing)
     * @throws InvalidExportException if the file is not a usable Dynamic World export (nothing is stored)
     * @throws IOException            if the file cannot be read or a piece cannot be written
     */
    public static Report importExport(Path export, int year, ObjectStore store, Path work) throws IOException {
        return importExport(export, year, store, work, PIECE_PIXELS);
    }

    /** As {@link #importExport(Path, int, ObjectStore, Path)} with pieces of at most {@code piecePixels} a side. */
    static Report importExport(Path export, int year, ObjectStore store, Path work, int piecePixels) throws IOException {
        if (piecePixels < TILE_PIXELS || piecePixels % TILE_PIXELS != 0) {
            throw new IllegalArgumentException("piece side must be a multiple of " + TILE_PIXELS + ", got " + piecePixels);
        }
        String prefix = ObjectKeys.baselinePrefix(year); // checks the year
        String name = export.getFileName().toString();
        if (!Files.isRegularFile(export)) {
            throw new InvalidExportException(name + ": no such file");
        }
        String stem = keyStem(name);
        List<Path> written = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Map<DynamicWorldClass, Long> counts = new EnumMap<>(DynamicWorldClass.class);
        Map<DynamicWorldClass, Double> areas = new EnumMap<>(DynamicWorldClass.class);
        DynamicWorldClass.all().forEach(c -> {
            counts.put(c, 0L);
            areas.put(c, 0.0);
        });
        double[] box = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        int epsg;
        int width;
        int height;
        Files.createDirectories(work);
        try (GeoTiff tiff = open(export, name)) {
            RasterMetadata meta = tiff.metadata();
            int band = labelBand(meta, name);
            epsg = crs(meta, name);
            width = meta.width();
            height = meta.height();
            // Validate every value before anything is written: a bad file stores nothing.
            checkValues(tiff, band, meta.nodata(), name);
            CrsTransforms.Transform toLonLat = CrsTransforms.between(epsg, CrsTransforms.WGS84);
            for (int r0 = 0, pr = 0; r0 < height; r0 += piecePixels, pr++) {
                for (int c0 = 0, pc = 0; c0 < width; c0 += piecePixels, pc++) {
                    RasterWindow piece = new RasterWindow(c0, r0, Math.min(piecePixels, width - c0),
                            Math.min(piecePixels, height - r0));
                    String fileName = String.format(Locale.ROOT, "%s%s-%03d-%03d.tif", KEY_PREFIX, stem, pr, pc);
                    Path file = work.resolve(fileName);
                    if (writePiece(tiff, band, piece, file, pieceMetadata(meta, piece, year, name), toLonLat, counts,
                            areas)) {
                        written.add(file);
                        keys.add(ObjectKeys.baseline(year, fileName));
                        extend(box, meta.transform(), piece, toLonLat);
                    }
                }
            }
        } catch (RasterFormatException e) {
            throw new InvalidExportException(name + " is not a readable GeoTIFF: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (keys.isEmpty()) {
            throw new InvalidExportException(name + " holds no labels (every pixel is nodata)");
        }
        for (int i = 0; i < keys.size(); i++) {
            store.put(Bucket.BASELINES, keys.get(i), written.get(i), "image/tiff; application=geotiff; profile=cloud-optimized");
            Files.deleteIfExists(written.get(i));
        }
        // Pieces of an earlier import of a file of the same name that this one does not have.
        String own = prefix + KEY_PREFIX + stem + "-";
        for (ObjectInfo o : store.list(Bucket.BASELINES, own)) {
            if (o.key().substring(own.length()).matches("[0-9]{3}-[0-9]{3}\\.tif") && !keys.contains(o.key())) {
                store.delete(Bucket.BASELINES, o.key());
            }
        }
        return new Report(year, epsg, width, height, List.copyOf(keys), counts, areas, box[0], box[1], box[2], box[3]);
    }

    /** The file name without {@code .tif}/{@code .tiff}, as a key segment. */
    static String keyStem(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.tiff?$", "");
        stem = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        if (stem.length() > 100) {
            stem = stem.substring(0, 100);
        }
        return stem.isEmpty() || stem.matches("[.]+") ? "export" : stem;
    }

    /**
     * Copies one piece of the export into a COG, tile row by tile row, counting its labels and their area.
     *
     * @return whether the piece holds a label (the file is written only then)
     */
    private static boolean writePiece(GeoTiff tiff, int band, RasterWindow piece, Path file, RasterMetadata out,
                                      CrsTransforms.Transform toLonLat, Map<DynamicWorldClass, Long> counts,
                                      Map<DynamicWorldClass, Double> areas) throws IOException {
        RasterMetadata meta = tiff.metadata();
        Double nodata = meta.nodata();
        long[] pieceCounts = new long[MAX_CLASS + 1];
        double[] pieceAreas = new double[MAX_CLASS + 1];
        boolean any = false;
        CogWriteOptions options = CogWriteOptions.builder().tileSize(TILE_PIXELS).overviewResampling(Resampling.MODE)
                .build();
        CogWriter writer = CogWriter.create(file, out, options);
        try {
            for (int tileRow = 0, y0 = 0; y0 < piece.height(); tileRow++, y0 += TILE_PIXELS) {
                int rows = Math.min(TILE_PIXELS, piece.height() - y0);
                Raster source = tiff.read(0, new RasterWindow(piece.col(), piece.row() + y0, piece.width(), rows),
                        new int[] {band});
                Raster strip = Raster.allocate(piece.width(), rows, 1, SampleType.UINT8);
                byte[] labels = strip.bytes(0);
                for (int by = 0; by < rows; by += AREA_BLOCK) {
                    for (int bx = 0; bx < piece.width(); bx += AREA_BLOCK) {
                        int bw = Math.min(AREA_BLOCK, piece.width() - bx);
                        int bh = Math.min(AREA_BLOCK, rows - by);
                        long[] blockCounts = new long[MAX_CLASS + 1];
                        for (int y = by; y < by + bh; y++) {
                            for (int x = bx; x < bx + bw; x++) {
                                double v = source.get(0, x, y);
                                if (nodata != null && v == nodata) {
                                    labels[y * piece.width() + x] = NODATA;
                                } else {
                                    labels[y * piece.width() + x] = (byte) v;
                                    blockCounts[(int) v]++;
                                }
                            }
                        }
                        double pixelKm2 = pixelAreaKm2(meta.transform(), toLonLat, piece.col() + bx + bw / 2.0,
                                piece.row() + y0 + by + bh / 2.0);
                        for (int c = 0; c <= MAX_CLASS; c++) {
                            if (blockCounts[c] > 0) {
                                any = true;
                                pieceCounts[c] += blockCounts[c];
                                pieceAreas[c] += blockCounts[c] * pixelKm2;
                            }
                        }
                    }
                }
                writer.writeTileRow(tileRow, strip);
            }
            if (any) {
                writer.finish();
            }
        } finally {
            writer.close();
        }
        if (!any) {
            Files.deleteIfExists(file);
            return false;
        }
        for (int c = 0; c <= MAX_CLASS; c++) {
            DynamicWorldClass k = DynamicWorldClass.ofCode(c).orElseThrow();
            counts.merge(k, pieceCounts[c], Long::sum);
            areas.merge(k, pieceAreas[c], Double::sum);
        }
        return true;
    }

    /** Ground area of the export pixel around {@code (col, row)}, km², from its edges on the WGS84 ellipsoid. */
    static double pixelAreaKm2(GeoTransform gt, CrsTransforms.Transform toLonLat, double col, double row) {
        double[] a = lonLat(gt, toLonLat, col - 0.5, row - 0.5);
        double[] b = lonLat(gt, toLonLat, col + 0.5, row - 0.5);
        double[] c = lonLat(gt, toLonLat, col - 0.5, row + 0.5);
        double lat = Math.toRadians(a[1]);
        double sin = Math.sin(lat);
        double w = 1 - WGS84_E2 * sin * sin;
        double n = WGS84_A / Math.sqrt(w); // prime vertical radius
        double m = WGS84_A * (1 - WGS84_E2) / (w * Math.sqrt(w)); // meridional radius
        double e1 = Math.toRadians(b[0] - a[0]) * n * Math.cos(lat), n1 = Math.toRadians(b[1] - a[1]) * m;
        double e2 = Math.toRadians(c[0] - a[0]) * n * Math.cos(lat), n2 = Math.toRadians(c[1] - a[1]) * m;
        return Math.abs(e1 * n2 - n1 * e2) / 1e6;
    }

    private static double[] lonLat(GeoTransform gt, CrsTransforms.Transform toLonLat, double col, double row) {
        double[] w = gt.toWorld(col, row);
        return toLonLat.apply(w[0], w[1]);
    }

    /** Grows {@code box} (west, south, east, north) by the piece's outline. */
    private static void extend(double[] box, GeoTransform gt, RasterWindow piece, CrsTransforms.Transform toLonLat) {
        int steps = 16;
        for (int k = 0; k <= steps; k++) {
            double t = (double) k / steps;
            double c = piece.col() + t * piece.width();
            double r = piece.row() + t * piece.height();
            for (double[] px : new double[][] {{c, piece.row()}, {c, piece.row() + piece.height()}, {piece.col(), r},
                    {piece.col() + piece.width(), r}}) {
                double[] ll = lonLat(gt, toLonLat, px[0], px[1]);
                box[0] = Math.min(box[0], ll[0]);
                box[1] = Math.min(box[1], ll[1]);
                box[2] = Math.max(box[2], ll[0]);
                box[3] = Math.max(box[3], ll[1]);
            }
        }
    }

    /** The piece's description: the export's grid and CRS from the piece's corner, the baseline's band and tags. */
    private static RasterMetadata pieceMetadata(RasterMetadata export, RasterWindow piece, int year, String source) {
        Map<String, String> tags = Map.of(
                "DATASET", "Dynamic World V1 label (imported by geocrop baselines import)",
                "SEASON", Integer.toString(year),
                "SOURCE_FILE", source,
                TileRenderer.PIECE_OF_KEY, piece.col() + " " + piece.row() + " " + export.width() + " "
                        + export.height() + " " + export.transform().originX() + " " + export.transform().originY(),
                TileRenderer.FULL_RESOLUTION_MIN_ZOOM_KEY, Integer.toString(FULL_RESOLUTION_MIN_ZOOM));
        return new RasterMetadata(piece.width(), piece.height(), 1, SampleType.UINT8,
                export.transform().window(piece.col(), piece.row()), export.epsg(), (double) DynamicWorldClass.NODATA,
                List.of("label"), List.of(), List.of(), tags, colours());
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

    /** The Dynamic World palette as a 256-entry colour table (other values, nodata included, transparent). */
    static ColorTable colours() {
        int[] argb = new int[256];
        for (DynamicWorldClass c : DynamicWorldClass.values()) {
            argb[c.code()] = 0xFF000000 | c.rgb();
        }
        return new ColorTable(argb);
    }
}
