package io.geocrop.training;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.CropClass;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A CSV of labelled places: the training labels a data scientist brings.
 *
 * <pre>
 * lon,lat,class
 * 31.0512,-17.8300,maize
 * 31.0620,-17.8415,2
 * </pre>
 *
 * A header line is required. Columns (any order, names case-insensitive, other columns ignored): {@code class} (a
 * {@link CropClass} id such as {@code maize} or {@code sorghum_millet}, or its code 1..11) and either {@code lon}
 * and {@code lat} (WGS84 degrees, one 10 m pixel each) or {@code wkt}, a {@code POLYGON} in lon/lat whose pixel
 * centres are all labelled (quote it: it holds commas). A row with a non-empty {@code wkt} uses the polygon; its
 * {@code lon}/{@code lat} cells may stay empty. Blank lines are skipped. Every bad row is reported with its line
 * number, not just the first.
 */
public final class LabelledPoints {
    /** Columns a labels file is read by. */
    public static final String LON = "lon", LAT = "lat", CLASS = "class", WKT = "wkt";

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?");
    private static final String CLASS_HELP = CropClass.all().stream().map(CropClass::id)
            .collect(Collectors.joining(", ")) + " (or a code 1.." + CropClass.values().length + ")";

    private LabelledPoints() {}

    /**
     * One labelled place: a point, or a polygon when {@link #rings()} is not empty.
     *
     * @param line      1-based line number in the file
     * @param cropClass the label
     * @param lon       the point's longitude (for a polygon: the centre of its bounding box)
     * @param lat       the point's latitude (for a polygon: the centre of its bounding box)
     * @param rings     the polygon's rings ({@code [lon, lat]} positions; shell first, then holes), or empty
     */
    public record Label(int line, CropClass cropClass, double lon, double lat, List<double[][]> rings) {
        public Label {
            rings = List.copyOf(rings);
        }

        public boolean isPolygon() {
            return !rings.isEmpty();
        }
    }

    /** Reads a labels file (UTF-8); see {@link #parse}. */
    public static List<Label> read(Path csv, Coverage coverage) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw LabelsException.of(csv.toString(), 0, "no such file");
        }
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return parse(in, csv.getFileName().toString(), coverage);
        }
    }

    /**
     * Parses labels, checking every row.
     *
     * @param source   the file's name, for messages
     * @param coverage where labels may lie (GeoCrop's coverage, Zimbabwe by default)
     * @throws LabelsException listing every bad row with its line number
     */
    public static List<Label> parse(Reader reader, String source, Coverage coverage) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String header;
        int lineNo = 0;
        do {
            header = in.readLine();
            lineNo++;
        } while (header != null && header.isBlank());
        if (header == null) {
            throw LabelsException.of(source, 0, "the file is empty; expected a header line such as lon,lat,class");
        }
        Columns columns = Columns.of(stripBom(header), lineNo, source);
        List<Label> labels = new ArrayList<>();
        List<LabelsException.LineError> errors = new ArrayList<>();
        int bad = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                labels.add(row(line, lineNo, columns, coverage));
            } catch (IllegalArgumentException e) {
                bad++;
                if (errors.size() < LabelsException.MAX_REPORTED) {
                    errors.add(new LabelsException.LineError(lineNo, e.getMessage()));
                }
            }
        }
        if (bad > 0) {
            throw new LabelsException(source, errors, bad);
        }
        if (labels.isEmpty()) {
            throw LabelsException.of(source, 0, "the file has a header but no labelled rows");
        }
        return List.copyOf(labels);
    }

    /** The class a label cell names: an id ({@code maize}), an enum name ({@code SORGHUM_MILLET}) or a code. */
    public static Optional<CropClass> cropClass(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,3}")) {
            return CropClass.ofCode(Integer.parseInt(t));
        }
        String id = t.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return CropClass.all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    private record Columns(int count, int lon, int lat, int cls, int wkt) {
        static Columns of(String header, int line, String source) {
            List<String> names;
            try {
                names = Csv.split(header).stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
            } catch (IllegalArgumentException e) {
                throw LabelsException.of(source, line, "bad header: " + e.getMessage());
            }
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (index.putIfAbsent(names.get(i), i) != null && !names.get(i).isEmpty()) {
                    throw LabelsException.of(source, line, "the header names column '" + names.get(i) + "' twice");
                }
            }
            boolean looksLikeData = names.stream().anyMatch(LabelledPoints::isDecimal);
            int cls = index.getOrDefault(CLASS, -1);
            int lon = index.getOrDefault(LON, -1);
            int lat = index.getOrDefault(LAT, -1);
            int wkt = index.getOrDefault(WKT, -1);
            if (cls < 0 || (wkt < 0 && (lon < 0 || lat < 0))) {
                throw LabelsException.of(source, line, (looksLikeData ? "the first line must be a header, it looks like data; "
                        : "the header must name a 'class' column and 'lon' and 'lat' (or 'wkt') columns; ")
                        + "expected e.g. lon,lat,class, got: " + header.strip());
            }
            return new Columns(names.size(), lon, lat, cls, wkt);
        }
    }

    private static Label row(String line, int lineNo, Columns columns, Coverage coverage) {
        List<String> cells = Csv.split(line);
        if (cells.size() != columns.count()) {
            throw new IllegalArgumentException("expected " + columns.count() + " columns as in the header, got "
                    + cells.size() + (columns.wkt() >= 0 ? " (put the WKT polygon in double quotes)" : ""));
        }
        String classText = cells.get(columns.cls());
        if (classText.isEmpty()) {
            throw new IllegalArgumentException("the class is empty; use one of " + CLASS_HELP);
        }
        CropClass cropClass = cropClass(classText).orElseThrow(() -> new IllegalArgumentException(
                "class '" + classText + "' is not a crop class; use one of " + CLASS_HELP));
        String wkt = columns.wkt() >= 0 ? cells.get(columns.wkt()) : "";
        if (!wkt.isEmpty()) {
            List<double[][]> rings = Wkt.polygon(wkt);
            double minLon = Double.POSITIVE_INFINITY, minLat = Double.POSITIVE_INFINITY;
            double maxLon = Double.NEGATIVE_INFINITY, maxLat = Double.NEGATIVE_INFINITY;
            for (double[][] ring : rings) {
                for (double[] p : ring) {
                    requireInCoverage(p[0], p[1], coverage, "a polygon vertex");
                    minLon = Math.min(minLon, p[0]);
                    maxLon = Math.max(maxLon, p[0]);
                    minLat = Math.min(minLat, p[1]);
                    maxLat = Math.max(maxLat, p[1]);
                }
            }
            return new Label(lineNo, cropClass, (minLon + maxLon) / 2, (minLat + maxLat) / 2, rings);
        }
        if (columns.lon() < 0 || columns.lat() < 0) {
            throw new IllegalArgumentException("the wkt cell is empty and the file has no lon/lat columns");
        }
        double lon = number(cells.get(columns.lon()), LON);
        double lat = number(cells.get(columns.lat()), LAT);
        requireInCoverage(lon, lat, coverage, "the point");
        return new Label(lineNo, cropClass, lon, lat, List.of());
    }

    private static double number(String text, String column) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(column + " is empty");
        }
        if (!isDecimal(text)) {
            throw new IllegalArgumentException(column + " '" + text + "' is not a number (use a decimal point, e.g. 31.05)");
        }
        return Double.parseDouble(text);
    }

    private static void requireInCoverage(double lon, double lat, Coverage coverage, String what) {
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            throw new IllegalArgumentException(what + " (" + lon + ", " + lat + ") is not a WGS84 lon, lat: longitude "
                    + "must be in -180..180 and latitude in -90..90");
        }
        if (!coverage.contains(lon, lat)) {
            String hint = coverage.contains(lat, lon) ? "; are lon and lat swapped?" : "";
            throw new IllegalArgumentException(what + " (" + lon + ", " + lat + ") is outside the coverage: lon "
                    + coverage.minLon() + ".." + coverage.maxLon() + ", lat " + coverage.minLat() + ".."
                    + coverage.maxLat() + hint);
        }
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
