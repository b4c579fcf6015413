package io.geocrop.imagery.sim;

import io.geocrop.domain.UtmZone;
import io.geocrop.raster.GeoTransform;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The footprint of a simulated Sentinel-2 "granule": a rectangle of whole 10 km cells of a UTM zone's grid.
 *
 * <p>Why cells: a search's bbox (plus a {@value #MARGIN_M} m margin) is snapped outwards to the 10 km grid, so
 * every search inside the same cells gets the same scene (same item ids, same cached COGs), the scene always covers
 * the AOI's processing extent, and its edges are multiples of 20 m, so the 10 m and 20 m grids share their origin.
 * Real MGRS tiles are 110 km; generating those would cost far more than an AOI needs.
 *
 * <p>The id is MGRS-flavoured: the 100 km square of the scene's south-west cell and that cell's 10 km digits
 * (e.g. {@code 36KTE07}, a valid MGRS reference at 10 km precision), then {@code -WxH} when the scene spans more
 * than one cell (e.g. {@code 36KTE07-2x1}).
 *
 * @param zone   UTM zone (hemisphere included)
 * @param cellX  easting of the west edge / 10 km
 * @param cellY  northing of the south edge / 10 km (false northing included in the south)
 * @param cellsX width in cells, 1..{@value #MAX_CELLS}
 * @param cellsY height in cells, 1..{@value #MAX_CELLS}
 */
public record Scene(UtmZone zone, long cellX, long cellY, int cellsX, int cellsY) {
    /** Cell size, metres. */
    public static final double CELL_M = 10_000;
    /** Margin added around a search bbox before snapping, metres. */
    public static final double MARGIN_M = 500;
    /** Largest scene side, in cells (60 km): searches wider than that are refused. */
    public static final int MAX_CELLS = 6;

    private static final String[] COLUMN_SETS = {"STUVWXYZ", "ABCDEFGH", "JKLMNPQR"};
    private static final String ROW_LETTERS = "ABCDEFGHJKLMNPQRSTUV";
    private static final String BAND_LETTERS = "CDEFGHJKLMNPQRSTUVWX";
    private static final Pattern ID = Pattern.compile("(\\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z])([A-HJ-NP-V])(\\d)(\\d)(?:-(\\d)x(\\d))?");

    public Scene {
        if (zone == null) {
            throw new IllegalArgumentException("scene zone must not be null");
        }
        if (cellsX < 1 || cellsY < 1 || cellsX > MAX_CELLS || cellsY > MAX_CELLS) {
            throw new IllegalArgumentException("a scene spans 1.." + MAX_CELLS + " cells per side, got " + cellsX
                    + "x" + cellsY);
        }
        if (cellX < 10 || cellX + cellsX > 90 || cellY < 0 || cellY + cellsY > 1000) {
            throw new IllegalArgumentException("scene cells " + cellX + "," + cellY + " are outside the UTM zone's grid");
        }
    }

    /**
     * The scene for a WGS84 search box {@code [minLon, minLat, maxLon, maxLat]}: in the UTM zone of its centre
     * (as the processing grid picks it), the box's projected envelope plus {@link #MARGIN_M}, snapped outwards
     * to whole cells.
     *
     * @throws IllegalArgumentException if the box is invalid or needs more than {@link #MAX_CELLS} cells a side
     */
    public static Scene covering(double minLon, double minLat, double maxLon, double maxLat) {
        if (!(Double.isFinite(minLon) && Double.isFinite(minLat) && Double.isFinite(maxLon) && Double.isFinite(maxLat))
                || minLon > maxLon || minLat > maxLat || minLon < -180 || maxLon > 180 || minLat < -80 || maxLat > 84) {
            throw new IllegalArgumentException("bbox must be finite [minLon, minLat, maxLon, maxLat] with min <= max,"
                    + " longitudes in [-180, 180] and latitudes in [-80, 84], got [" + minLon + ", " + minLat + ", "
                    + maxLon + ", " + maxLat + "]");
        }
        UtmZone zone = UtmZone.of((minLon + maxLon) / 2, (minLat + maxLat) / 2);
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        int steps = 16; // edges of a lon/lat box are curves in UTM: trace them
        for (int k = 0; k <= steps; k++) {
            double t = (double) k / steps;
            double lon = minLon + (maxLon - minLon) * t, lat = minLat + (maxLat - minLat) * t;
            for (double[] p : new double[][] {{lon, minLat}, {lon, maxLat}, {minLon, lat}, {maxLon, lat}}) {
                double[] xy = zone.forward(p[0], p[1]);
                minX = Math.min(minX, xy[0]);
                maxX = Math.max(maxX, xy[0]);
                minY = Math.min(minY, xy[1]);
                maxY = Math.max(maxY, xy[1]);
            }
        }
        long cx0 = (long) Math.floor((minX - MARGIN_M) / CELL_M), cx1 = (long) Math.ceil((maxX + MARGIN_M) / CELL_M);
        long cy0 = (long) Math.floor((minY - MARGIN_M) / CELL_M), cy1 = (long) Math.ceil((maxY + MARGIN_M) / CELL_M);
        if (cx1 - cx0 > MAX_CELLS || cy1 - cy0 > MAX_CELLS) {
            throw new IllegalArgumentException("bbox is too large for the simulated catalogue: it needs "
                    + (cx1 - cx0) + "x" + (cy1 - cy0) + " cells of 10 km, at most " + MAX_CELLS + "x" + MAX_CELLS
                    + " (about 55 km) are simulated");
        }
        return new Scene(zone, cx0, cy0, (int) (cx1 - cx0), (int) (cy1 - cy0));
    }

    public double minX() {
        return cellX * CELL_M;
    }

    public double minY() {
        return cellY * CELL_M;
    }

    public double maxX() {
        return (cellX + cellsX) * CELL_M;
    }

    public double maxY() {
        return (cellY + cellsY) * CELL_M;
    }

    /** Width in pixels of {@code resolutionM} (10 or 20). */
    public int width(int resolutionM) {
        return (int) Math.round(cellsX * CELL_M / resolutionM);
    }

    /** Height in pixels of {@code resolutionM} (10 or 20). */
    public int height(int resolutionM) {
        return (int) Math.round(cellsY * CELL_M / resolutionM);
    }

    /** The north-up grid of a band with {@code resolutionM} pixels; all share the top-left corner. */
    public GeoTransform transform(int resolutionM) {
        return GeoTransform.northUp(minX(), maxY(), resolutionM, resolutionM);
    }

    /** Whether the scene contains the zone point (metres). */
    public boolean contains(double easting, double northing) {
        return easting >= minX() && easting <= maxX() && northing >= minY() && northing <= maxY();
    }

    /** The footprint in WGS84 as a closed ring of {@code [lon, lat]} (corners and edge midpoints, counter-clockwise). */
    public double[][] footprint() {
        double[][] xy = {{minX(), minY()}, {(minX() + maxX()) / 2, minY()}, {maxX(), minY()},
                {maxX(), (minY() + maxY()) / 2}, {maxX(), maxY()}, {(minX() + maxX()) / 2, maxY()}, {minX(), maxY()},
                {minX(), (minY() + maxY()) / 2}, {minX(), minY()}};
        double[][] ring = new double[xy.length][];
        for (int k = 0; k < xy.length; k++) {
            ring[k] = zone.inverse(xy[k][0], xy[k][1]);
        }
        return ring;
    }

    /** {@code [minLon, minLat, maxLon, maxLat]} of {@link #footprint()}. */
    public double[] bbox() {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : footprint()) {
            b[0] = Math.min(b[0], p[0]);
            b[1] = Math.min(b[1], p[1]);
            b[2] = Math.max(b[2], p[0]);
            b[3] = Math.max(b[3], p[1]);
        }
        return b;
    }

    /** {@code [lon, lat]} of the scene centre. */
    public double[] centre() {
        return zone.inverse((minX() + maxX()) / 2, (minY() + maxY()) / 2);
    }

    /** MGRS latitude band letter of the south-west cell. */
    public char latitudeBand() {
        double lat = zone.inverse(minX() + CELL_M / 2, minY() + CELL_M / 2)[1];
        int k = (int) Math.floor((lat + 80) / 8);
        return BAND_LETTERS.charAt(Math.min(Math.max(k, 0), BAND_LETTERS.length() - 1));
    }

    /** MGRS 100 km square letters (column, row) of the south-west cell, e.g. {@code TE}. */
    public String gridSquare() {
        int column = (int) Math.floorDiv(cellX, 10);
        String set = COLUMN_SETS[zone.zone() % 3];
        if (column < 1 || column > set.length()) {
            throw new IllegalStateException("easting " + minX() + " has no MGRS column letter");
        }
        int row = (int) Math.floorMod(Math.floorDiv(cellY, 10) + (zone.zone() % 2 == 0 ? 5 : 0), 20);
        return "" + set.charAt(column - 1) + ROW_LETTERS.charAt(row);
    }

    /** The scene id, e.g. {@code 36KTE07} or {@code 36KTE07-2x2}. */
    public String id() {
        String base = zone.zone() + "" + latitudeBand() + gridSquare() + Math.floorMod(cellX, 10) + Math.floorMod(cellY, 10);
        return cellsX == 1 && cellsY == 1 ? base : base + "-" + cellsX + "x" + cellsY;
    }

    /** Parses {@link #id()}; throws naming the id when it is not one. */
    public static Scene parse(String id) {
        Matcher m = id == null ? null : ID.matcher(id);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a simulated scene id: '" + id + "' (expected e.g. 36KTE07 or 36KTE07-2x2)");
        }
        int zoneNumber = Integer.parseInt(m.group(1));
        char band = m.group(2).charAt(0);
        if (zoneNumber < 1 || zoneNumber > 60) {
            throw new IllegalArgumentException("not a simulated scene id: '" + id + "': zone " + zoneNumber);
        }
        UtmZone zone = new UtmZone(zoneNumber, band < 'N');
        int column = COLUMN_SETS[zoneNumber % 3].indexOf(m.group(3).charAt(0)) + 1;
        int rowLetter = ROW_LETTERS.indexOf(m.group(4).charAt(0));
        if (column < 1) {
            throw new IllegalArgumentException("not a simulated scene id: '" + id + "': column letter "
                    + m.group(3) + " is not used in zone " + zoneNumber);
        }
        // The row letters repeat every 2000 km: pick the repetition inside the latitude band.
        double bandMidLat = -80 + 8 * BAND_LETTERS.indexOf(band) + 4;
        double approxRow = zone.forward(zone.centralMeridian(), bandMidLat)[1] / 100_000;
        int offset = zoneNumber % 2 == 0 ? 5 : 0;
        long base = Math.floorMod(rowLetter - offset, 20);
        long row = base + 20 * Math.round((approxRow - base) / 20);
        long cellX = column * 10L + Integer.parseInt(m.group(5));
        long cellY = row * 10 + Integer.parseInt(m.group(6));
        int w = m.group(7) == null ? 1 : Integer.parseInt(m.group(7));
        int h = m.group(8) == null ? 1 : Integer.parseInt(m.group(8));
        Scene scene;
        try {
            scene = new Scene(zone, cellX, cellY, w, h);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a simulated scene id: '" + id + "': " + e.getMessage(), e);
        }
        if (!scene.id().equals(id)) {
            throw new IllegalArgumentException("not a simulated scene id: '" + id + "' (did you mean " + scene.id() + "?)");
        }
        return scene;
    }
}
