package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.DynamicWorldClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.ColorTable;
import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.SampleType;
import io.geocrop.storage.ObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A Dynamic World label baseline consistent with the simulated imagery: one COG per 10 km scene cell (a 1 x 1
 * {@link Scene}), derived pixel for pixel from the ground truth of {@link SimulatedLandscape}, so the baseline
 * shows crops where the simulated season grows crops, trees where it has trees, and so on.
 *
 * <p>Class mapping ({@link #classOf}): crop classes 1..7 (maize .. sugarcane) → {@code crops};
 * grassland/shrub → {@code grass} (the truth does not tell grass from shrub, so {@code shrub_and_scrub} is
 * never drawn); trees → {@code trees}; water → {@code water}; bare/built → {@code built} (the simulated
 * bare/built parcels are mostly settlements). {@code flooded_vegetation}, {@code bare} and {@code snow_and_ice} do
 * not occur.
 *
 * <p>A cell holds only its own UTM zone's part of the world: pixels whose centre lies outside the zone's six
 * degrees of longitude are nodata ({@value DynamicWorldClass#NODATA}), so cells of neighbouring zones (which
 * simulate different landscapes, see {@link SimulatedLandscape}) never overlap on the map.
 *
 * <p>The COG: 1000 x 1000 pixels of 10 m in the cell's UTM CRS, band 1 uint8 {@code label}, nodata 255, the
 * Dynamic World palette as colour table, 512 px DEFLATE tiles and four overviews (mode). The output is a pure
 * function of (seed, year, cell): the same bytes every time. The landscape does not change between seasons, so
 * every year's baseline shows the same classes (the year is recorded in the metadata).
 */
public final class SimulatedDynamicWorld {
    /** Bumped whenever a change here changes the generated baselines. */
    public static final String GENERATOR_VERSION = "1";
    /** Pixels per cell side (10 km of 10 m pixels). */
    public static final int CELL_PIXELS = (int) (Scene.CELL_M / SimulatedLandscape.PIXEL_M);
    /** Overview levels written: 500, 250, 125 and 63 px, so a cell is cheap to draw at low zooms too. */
    static final int OVERVIEWS = 4;

    private static final byte[] CROP_TO_DW = cropToDw();
    private static final byte NODATA = (byte) DynamicWorldClass.NODATA;

    private final long seed;
    private final Map<UtmZone, SimulatedLandscape> landscapes = new ConcurrentHashMap<>();

    /** The baselines of the simulated world of {@code seed} (the seed of {@link SimulatedDea}). */
    public SimulatedDynamicWorld(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The Dynamic World class a simulated ground-truth class is drawn as. */
    public static DynamicWorldClass classOf(CropClass c) {
        return switch (c) {
            case MAIZE, TOBACCO, SOYBEAN, GROUNDNUT, COTTON, SORGHUM_MILLET, SUGARCANE -> DynamicWorldClass.CROPS;
            case GRASSLAND_SHRUB -> DynamicWorldClass.GRASS;
            case TREES -> DynamicWorldClass.TREES;
            case WATER -> DynamicWorldClass.WATER;
            case BARE_BUILT -> DynamicWorldClass.BUILT;
        };
    }

    private static byte[] cropToDw() {
        byte[] t = new byte[256];
        Arrays.fill(t, NODATA);
        for (CropClass c : CropClass.values()) {
            t[c.code()] = (byte) classOf(c).code();
        }
        return t;
    }

    /** {@code dw/zim/summer/<year>/<cell id>.tif}: where the baseline of a cell is stored in {@code geocrop-baselines}. */
    public static String key(int year, Scene cell) {
        requireCell(cell);
        return ObjectKeys.baseline(year, cell.id() + ".tif");
    }

    /**
     * The scene cells (1 x 1 scenes) a WGS84 box touches, in every UTM zone it reaches: the part of the box in each
     * zone's longitudes, projected in that zone and snapped outwards to whole 10 km cells. Sorted by id.
     *
     * @throws IllegalArgumentException if the box is not a valid lon/lat box or reaches outside the zones' grids
     */
    public static List<Scene> cellsCovering(double minLon, double minLat, double maxLon, double maxLat) {
        if (!(Double.isFinite(minLon) && Double.isFinite(minLat) && Double.isFinite(maxLon) && Double.isFinite(maxLat))
                || minLon > maxLon || minLat > maxLat || minLon < -180 || maxLon > 180 || minLat < -80 || maxLat > 84) {
            throw new IllegalArgumentException("box must be finite [minLon, minLat, maxLon, maxLat] with min <= max,"
                    + " longitudes in [-180, 180] and latitudes in [-80, 84], got [" + minLon + ", " + minLat + ", "
                    + maxLon + ", " + maxLat + "]");
        }
        List<Scene> cells = new ArrayList<>();
        int firstZone = UtmZone.of(minLon, 0).zone();
        int lastZone = UtmZone.of(maxLon, 0).zone();
        double midLat = (minLat + maxLat) / 2;
        for (int z = firstZone; z <= lastZone; z++) {
            double west = Math.max(minLon, zoneWest(z));
            double east = Math.min(maxLon, zoneWest(z) + 6);
            if (west > east || (west == east && minLon != maxLon)) {
                continue; // the box only touches this zone's edge
            }
            UtmZone zone = new UtmZone(z, midLat < 0);
            double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
            int steps = 16; // a lon/lat box's edges are curves in UTM: trace them
            for (int k = 0; k <= steps; k++) {
                double t = (double) k / steps;
                double lon = west + (east - west) * t, lat = minLat + (maxLat - minLat) * t;
                for (double[] p : new double[][] {{lon, minLat}, {lon, maxLat}, {west, lat}, {east, lat}}) {
                    double[] xy = zone.forward(p[0], p[1]);
                    minX = Math.min(minX, xy[0]);
                    maxX = Math.max(maxX, xy[0]);
                    minY = Math.min(minY, xy[1]);
                    maxY = Math.max(maxY, xy[1]);
                }
            }
            long cx0 = (long) Math.floor(minX / Scene.CELL_M), cy0 = (long) Math.floor(minY / Scene.CELL_M);
            long cx1 = Math.max(cx0 + 1, (long) Math.ceil(maxX / Scene.CELL_M));
            long cy1 = Math.max(cy0 + 1, (long) Math.ceil(maxY / Scene.CELL_M));
            for (long cy = cy0; cy < cy1; cy++) {
                for (long cx = cx0; cx < cx1; cx++) {
                    cells.add(new Scene(zone, cx, cy, 1, 1));
                }
            }
        }
        cells.sort((a, b) -> ObjectKeys.UTF8_ORDER.compare(a.id(), b.id()));
        return cells;
    }

    /** The labels of a cell: uint8 Dynamic World values, nodata outside the cell's zone. */
    public Raster labels(Scene cell) {
        requireCell(cell);
        SimulatedLandscape land = landscapes.computeIfAbsent(cell.zone(), z -> new SimulatedLandscape(seed, z));
        Raster r = land.truth(cell.minX(), cell.maxY(), CELL_PIXELS, CELL_PIXELS);
        byte[] data = r.bytes(0);
        for (int i = 0; i < data.length; i++) {
            data[i] = CROP_TO_DW[data[i] & 0xff];
        }
        clipToZone(cell, data);
        return r;
    }

    /** The metadata of a cell's COG for season {@code year}. */
    public RasterMetadata metadata(int year, Scene cell) {
        requireCell(cell);
        Map<String, String> tags = Map.of(
                "DATASET", "Dynamic World V1 label (simulated from the GeoCrop landscape)",
                "SEASON", Integer.toString(year),
                "CELL", cell.id(),
                "GEOCROP_SIMULATION_SEED", Long.toString(seed),
                "GEOCROP_GENERATOR_VERSION", GENERATOR_VERSION);
        return new RasterMetadata(CELL_PIXELS, CELL_PIXELS, 1, SampleType.UINT8, cell.transform(10), cell.zone().epsg(),
                (double) DynamicWorldClass.NODATA, List.of("label"), List.of(), List.of(), tags, colours());
    }

    /**
     * Writes the baseline COG of {@code cell} for season {@code year} to {@code file} (replacing it; the writer
     * renames a finished temporary file over it, so a half-written file is never visible).
     */
    public void write(int year, Scene cell, Path file) throws IOException {
        RasterMetadata meta = metadata(year, cell);
        Raster labels = labels(cell);
        CogWriteOptions options = CogWriteOptions.builder().tileSize(512).overviewCount(OVERVIEWS)
                .overviewResampling(Resampling.MODE).build();
        try {
            CogWriter.write(file, meta, labels, options);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The Dynamic World palette as a 256-entry colour table (values 9..255, nodata included, transparent). */
    public static ColorTable colours() {
        int[] argb = new int[256];
        for (DynamicWorldClass c : DynamicWorldClass.values()) {
            argb[c.code()] = 0xFF000000 | c.rgb();
        }
        return new ColorTable(argb);
    }

    private static double zoneWest(int zone) {
        return -180 + 6.0 * (zone - 1);
    }

    private static void requireCell(Scene cell) {
        if (cell == null || cell.cellsX() != 1 || cell.cellsY() != 1) {
            throw new IllegalArgumentException("a baseline is made per 10 km cell (a 1x1 scene), got " + cell);
        }
    }

    /**
     * Sets to nodata the pixels whose centre lies west or east of the zone's longitudes. Longitude grows with
     * easting along a row, so each row keeps one run of columns, found by bisection where the zone edge crosses it.
     */
    private static void clipToZone(Scene cell, byte[] data) {
        UtmZone zone = cell.zone();
        double west = zoneWest(zone.zone());
        double east = west + 6;
        double[][] corners = {zone.inverse(cell.minX(), cell.minY()), zone.inverse(cell.maxX(), cell.minY()),
                zone.inverse(cell.minX(), cell.maxY()), zone.inverse(cell.maxX(), cell.maxY())};
        boolean inside = true;
        for (double[] c : corners) {
            inside &= c[0] >= west && c[0] < east;
        }
        if (inside) {
            return;
        }
        int n = CELL_PIXELS;
        IntStream.range(0, n).parallel().forEach(y -> {
            double northing = cell.maxY() - (y + 0.5) * SimulatedLandscape.PIXEL_M;
            int from = firstColumnAtOrEastOf(cell, northing, west);
            int to = firstColumnAtOrEastOf(cell, northing, east);
            Arrays.fill(data, y * n, y * n + from, NODATA);
            Arrays.fill(data, y * n + to, (y + 1) * n, NODATA);
        });
    }

    /** The first column of a row whose pixel centre has longitude {@code >= lon} (n if none). */
    private static int firstColumnAtOrEastOf(Scene cell, double northing, double lon) {
        int lo = 0, hi = CELL_PIXELS;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double easting = cell.minX() + (mid + 0.5) * SimulatedLandscape.PIXEL_M;
            if (cell.zone().inverse(easting, northing)[0] >= lon) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
