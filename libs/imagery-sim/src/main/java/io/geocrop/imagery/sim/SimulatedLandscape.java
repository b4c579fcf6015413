package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.raster.ColorTable;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The simulated ground of one UTM zone: a partition into field parcels, each with a crop class and its own
 * planting date and vigour. Everything is a pure function of (seed, easting, northing), so any window of the
 * zone can be generated alone and agrees with every other window.
 *
 * <p>Two nested jittered-grid Voronoi partitions make the pattern:
 * <ul>
 *   <li>land-use blocks ({@value #BLOCK_SPACING_M} m spacing): cropland, grassland, woodland, a dam, a built-up
 *       area or a sugarcane estate, in shares typical of Zimbabwe's communal and commercial farming areas;</li>
 *   <li>parcels ({@value #PARCEL_SPACING_M} m spacing, so 0.5-5 ha fields, about 2 ha on average): a parcel takes
 *       the land use of the block its own centre falls in (so parcels are never cut by block edges) and draws
 *       its class from that land use's distribution (maize the most common crop).</li>
 * </ul>
 * Coordinates are metres of the zone's grid; {@code col = floor(easting / 10)} and {@code row = floor(northing /
 * 10)} index the 10 m pixels of the processing grid, rows growing northwards.
 */
public final class SimulatedLandscape {
    /** Spacing of the parcel seed grid, metres (mean parcel area = spacing squared, about 2 ha). */
    public static final double PARCEL_SPACING_M = 140;
    /** Spacing of the land-use block seed grid, metres. */
    public static final double BLOCK_SPACING_M = 1500;
    /** Pixel size of the truth and of the 10 m bands. */
    public static final double PIXEL_M = 10;

    private static final long SALT_PARCEL_POINT = 11, SALT_PARCEL_ATTR = 12, SALT_BLOCK_POINT = 21,
            SALT_BLOCK_USE = 22;

    private enum LandUse { CROPLAND, GRASSLAND, WOODLAND, DAM, SETTLEMENT, ESTATE }

    // Cumulative shares: land use of a block, then class of a parcel within each land use.
    private static final LandUse[] USES = LandUse.values();
    private static final double[] USE_CUMULATIVE = cumulative(0.60, 0.17, 0.14, 0.03, 0.03, 0.03);
    private static final CropClass[] CROPLAND_CLASSES = {CropClass.MAIZE, CropClass.TOBACCO, CropClass.SOYBEAN,
            CropClass.GROUNDNUT, CropClass.COTTON, CropClass.SORGHUM_MILLET, CropClass.GRASSLAND_SHRUB,
            CropClass.TREES, CropClass.BARE_BUILT};
    private static final double[] CROPLAND_CUMULATIVE = cumulative(0.42, 0.10, 0.08, 0.10, 0.07, 0.10, 0.08, 0.03, 0.02);

    private final long seed;
    private final UtmZone zone;

    /** The landscape of {@code zone} for a seed; two instances with the same arguments are identical. */
    public SimulatedLandscape(long seed, UtmZone zone) {
        if (zone == null) {
            throw new IllegalArgumentException("zone must not be null");
        }
        this.seed = seed;
        this.zone = zone;
    }

    public long seed() {
        return seed;
    }

    public UtmZone zone() {
        return zone;
    }

    /** The class at a point of the zone (metres). */
    public CropClass classAt(double easting, double northing) {
        return parcelAt(easting, northing).cropClass();
    }

    /** The parcel holding a point of the zone (metres). */
    public Parcel parcelAt(double easting, double northing) {
        return parcelOfCell(cellKey(easting, northing));
    }

    /** The parcel-grid cell (packed i, j) whose parcel holds the point: cheap, for per-pixel loops. */
    long cellKey(double easting, double northing) {
        return nearestSeed(seed, SALT_PARCEL_POINT, PARCEL_SPACING_M, easting, northing);
    }

    /** The parcel of a cell returned by {@link #cellKey}. */
    Parcel parcelOfCell(long key) {
        return parcel(key >> 32, (int) key);
    }

    /** Class codes of {@code width} 10 m pixels starting at {@code col0} on pixel row {@code row} (north-growing). */
    public void classRow(long col0, long row, byte[] out) {
        long lastKey = 0;
        byte lastCode = 0;
        double n = row * PIXEL_M + PIXEL_M / 2;
        Neighbourhood cursor = parcelCursor();
        for (int x = 0; x < out.length; x++) {
            long key = cursor.nearest((col0 + x) * PIXEL_M + PIXEL_M / 2, n);
            if (x == 0 || key != lastKey) {
                lastKey = key;
                lastCode = (byte) parcelOfCell(key).cropClass().code();
            }
            out[x] = lastCode;
        }
    }

    /**
     * The ground truth of a north-up window of 10 m pixels whose top-left corner is ({@code minX}, {@code maxY});
     * both must be multiples of 10 m. Band 1, uint8 class codes.
     */
    public Raster truth(double minX, double maxY, int width, int height) {
        long col0 = pixelIndex(minX, "minX");
        long topRow = pixelIndex(maxY, "maxY") - 1;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("truth window must be at least 1x1, got " + width + "x" + height);
        }
        Raster r = Raster.allocate(width, height, 1, SampleType.UINT8);
        byte[] data = r.bytes(0);
        IntStream.range(0, height).parallel().forEach(y -> {
            byte[] row = new byte[width];
            classRow(col0, topRow - y, row);
            System.arraycopy(row, 0, data, y * width, width);
        });
        return r;
    }

    /** Metadata for a truth raster of this zone: uint8, nodata 0, the CropClass colour table. */
    public RasterMetadata truthMetadata(double minX, double maxY, int width, int height) {
        return new RasterMetadata(width, height, 1, SampleType.UINT8,
                GeoTransform.northUp(minX, maxY, PIXEL_M, PIXEL_M), zone.epsg(), 0.0, List.of("crop_class"),
                List.of(), List.of(), Map.of("GEOCROP_SIMULATION_SEED", Long.toString(seed)), cropClassColours());
    }

    /** The CropClass palette as a 256-entry colour table (0 transparent). */
    public static ColorTable cropClassColours() {
        int[] argb = new int[256];
        for (CropClass c : CropClass.values()) {
            argb[c.code()] = 0xFF000000 | c.rgb();
        }
        return new ColorTable(argb);
    }

    static long pixelIndex(double metres, String what) {
        double p = metres / PIXEL_M;
        if (!Double.isFinite(p) || p != Math.rint(p)) {
            throw new IllegalArgumentException(what + " must be a multiple of 10 m, got " + metres);
        }
        return (long) p;
    }

    private Parcel parcel(long i, long j) {
        long attr = Hashing.hash(seed, SALT_PARCEL_ATTR, i, j);
        // The land use of the block holding this parcel's seed point, so block edges follow parcel edges.
        double[] p = seedPoint(seed, SALT_PARCEL_POINT, PARCEL_SPACING_M, i, j);
        long block = nearestSeed(seed, SALT_BLOCK_POINT, BLOCK_SPACING_M, p[0], p[1]);
        LandUse use = USES[pick(USE_CUMULATIVE, Hashing.unit(Hashing.hash(seed, SALT_BLOCK_USE, block >> 32, (int) block)))];
        double u = Hashing.unit(attr);
        CropClass c = switch (use) {
            case CROPLAND -> CROPLAND_CLASSES[pick(CROPLAND_CUMULATIVE, u)];
            case GRASSLAND -> u < 0.80 ? CropClass.GRASSLAND_SHRUB : u < 0.95 ? CropClass.TREES : CropClass.BARE_BUILT;
            case WOODLAND -> u < 0.85 ? CropClass.TREES : CropClass.GRASSLAND_SHRUB;
            case DAM -> CropClass.WATER;
            case SETTLEMENT -> u < 0.80 ? CropClass.BARE_BUILT : u < 0.90 ? CropClass.GRASSLAND_SHRUB : CropClass.TREES;
            case ESTATE -> u < 0.90 ? CropClass.SUGARCANE : CropClass.GRASSLAND_SHRUB;
        };
        long h2 = Hashing.mix(attr);
        long h3 = Hashing.mix(h2);
        Phenology.Calendar k = Phenology.calendar(c);
        double spread = k == null ? 0 : k.plantSpread();
        // Triangular around the class mean (the sum of two uniforms): most fields near it, some weeks off.
        double shift = Math.rint((Hashing.unit(h2) + Hashing.unit(Hashing.mix(h2 ^ 0x9E3779B97F4A7C15L)) - 1) * spread);
        // Rain-fed fields range from poor to excellent; irrigated estate cane is managed evenly.
        double vigour = c == CropClass.SUGARCANE ? 0.9 + 0.2 * Hashing.unit(h2 >>> 7 ^ h3)
                : 0.55 + 0.55 * Hashing.unit(h2 >>> 7 ^ h3);
        double soil = 0.8 + 0.4 * Hashing.unit(h3);
        double share = Hashing.unit(Hashing.mix(h3));
        return new Parcel(Hashing.mix(attr ^ 0x5DEECE66DL), c, shift, vigour, soil, share);
    }

    private static int pick(double[] cumulative, double u) {
        for (int k = 0; k < cumulative.length; k++) {
            if (u < cumulative[k]) {
                return k;
            }
        }
        return cumulative.length - 1;
    }

    private static double[] cumulative(double... shares) {
        double[] c = new double[shares.length];
        double sum = 0;
        for (int k = 0; k < shares.length; k++) {
            sum += shares[k];
            c[k] = sum;
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= sum;
        }
        return c;
    }

    /** The jittered seed point of grid cell (i, j): uniform inside the cell. */
    private static double[] seedPoint(long seed, long salt, double spacing, long i, long j) {
        long h = Hashing.hash(seed, salt, i, j);
        double jx = (h >>> 40) * 0x1.0p-24, jy = ((h >>> 16) & 0xFFFFFF) * 0x1.0p-24;
        return new double[] {(i + jx) * spacing, (j + jy) * spacing};
    }

    /**
     * The cell whose seed point is nearest to (x, y) among the 3 x 3 cells around it, packed as
     * {@code i << 32 | j}: a Voronoi lookup (exact but for rare far-jittered seeds two cells away, which only
     * reshapes a few parcels and stays a pure function of the point).
     */
    private static long nearestSeed(long seed, long salt, double spacing, double x, double y) {
        Neighbourhood nb = new Neighbourhood(seed, salt, spacing);
        return nb.nearest(x, y);
    }

    /**
     * The 3 x 3 seed points around one grid cell, kept while consecutive points of a row fall in the same cell, so
     * a row costs about one hash per cell instead of nine per pixel. Same candidates, same comparison order and
     * arithmetic as a fresh lookup, hence the same answer bit for bit.
     */
    static final class Neighbourhood {
        private final long seed, salt;
        private final double spacing;
        private final double[] px = new double[9], py = new double[9];
        private long ci = Long.MIN_VALUE, cj = Long.MIN_VALUE;

        Neighbourhood(long seed, long salt, double spacing) {
            this.seed = seed;
            this.salt = salt;
            this.spacing = spacing;
        }

        long nearest(double x, double y) {
            long i0 = (long) Math.floor(x / spacing), j0 = (long) Math.floor(y / spacing);
            if (i0 != ci || j0 != cj) {
                if (j0 == cj && i0 == ci + 1) {
                    // Moving one cell east along a row: keep two columns, hash only the new one.
                    for (int r = 0; r < 3; r++) {
                        px[3 * r] = px[3 * r + 1];
                        py[3 * r] = py[3 * r + 1];
                        px[3 * r + 1] = px[3 * r + 2];
                        py[3 * r + 1] = py[3 * r + 2];
                        seedPoint(i0 + 1, j0 - 1 + r, 3 * r + 2);
                    }
                } else {
                    for (int r = 0; r < 3; r++) {
                        for (int c = 0; c < 3; c++) {
                            seedPoint(i0 - 1 + c, j0 - 1 + r, 3 * r + c);
                        }
                    }
                }
                ci = i0;
                cj = j0;
            }
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 9; k++) {
                double dx = px[k] - x, dy = py[k] - y;
                double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            long i = ci - 1 + best % 3, j = cj - 1 + best / 3;
            return (i << 32) | (j & 0xFFFFFFFFL);
        }

        private void seedPoint(long i, long j, int k) {
            long h = Hashing.hash(seed, salt, i, j);
            px[k] = (i + (h >>> 40) * 0x1.0p-24) * spacing;
            py[k] = (j + ((h >>> 16) & 0xFFFFFF) * 0x1.0p-24) * spacing;
        }
    }

    /** A row cursor for {@link #cellKey}: use one per row (not thread-safe). */
    Neighbourhood parcelCursor() {
        return new Neighbourhood(seed, SALT_PARCEL_POINT, PARCEL_SPACING_M);
    }
}
