package io.geocrop.tiles;

import java.util.ArrayList;
import java.util.List;

/**
 * The XYZ Web Mercator tile pyramid (EPSG:3857, spherical Mercator on the WGS84 semi-major axis): tile z/x/y
 * covers 1/2^z of the square &plusmn;{@value #ORIGIN_SHIFT} m on each axis, x growing east, y growing south.
 */
public final class TileMath {
    /** Half the width of the Web Mercator square, in metres: pi * 6378137. */
    public static final double ORIGIN_SHIFT = 20037508.342789244;
    /** Deepest zoom served: 2^24 tiles across is a few centimetres per pixel, far below any data we hold. */
    public static final int MAX_ZOOM = 24;
    /** Latitude at which the Web Mercator square ends. */
    public static final double MAX_LATITUDE = 85.0511287798066;
    private static final double EARTH_RADIUS = 6_378_137.0;

    private TileMath() {}

    /**
     * Checks a tile address: {@code 0 <= z <= 24} and {@code 0 <= x, y < 2^z}.
     *
     * @throws InvalidTileException naming the first field out of range
     */
    public static void requireValid(int z, int x, int y) {
        if (z < 0 || z > MAX_ZOOM) {
            throw new InvalidTileException("z", "zoom must be from 0 to " + MAX_ZOOM + ", got " + z);
        }
        long n = 1L << z;
        if (x < 0 || x >= n) {
            throw new InvalidTileException("x", "must be from 0 to " + (n - 1) + " at zoom " + z + ", got " + x);
        }
        if (y < 0 || y >= n) {
            throw new InvalidTileException("y", "must be from 0 to " + (n - 1) + " at zoom " + z + ", got " + y);
        }
    }

    /** Size of one tile edge at zoom {@code z}, in Web Mercator metres. */
    public static double tileSpan(int z) {
        return 2 * ORIGIN_SHIFT / (1L << z);
    }

    /** The tile's rectangle in EPSG:3857 metres. */
    public static Bounds mercatorBounds(TileCoord t) {
        double span = tileSpan(t.z());
        double minX = -ORIGIN_SHIFT + t.x() * span;
        double maxY = ORIGIN_SHIFT - t.y() * span;
        return new Bounds(minX, maxY - span, minX + span, maxY);
    }

    /** The tile's rectangle in WGS84 longitude/latitude degrees ({@code minX} = west, {@code minY} = south). */
    public static Bounds lonLatBounds(TileCoord t) {
        Bounds m = mercatorBounds(t);
        return new Bounds(lon(m.minX()), lat(m.minY()), lon(m.maxX()), lat(m.maxY()));
    }

    /** Longitude of a Web Mercator x. */
    public static double lon(double mercatorX) {
        return Math.toDegrees(mercatorX / EARTH_RADIUS);
    }

    /** Latitude of a Web Mercator y. */
    public static double lat(double mercatorY) {
        return Math.toDegrees(Math.atan(Math.sinh(mercatorY / EARTH_RADIUS)));
    }

    /** Web Mercator x of a longitude. */
    public static double mercatorX(double lon) {
        return EARTH_RADIUS * Math.toRadians(lon);
    }

    /** Web Mercator y of a latitude (clamped to the square). */
    public static double mercatorY(double lat) {
        double clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
        return EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + Math.toRadians(clamped) / 2));
    }

    /**
     * The shallowest zoom at which a {@code tileSize}-pixel tile's pixels are no larger than {@code mercatorResolution}
     * (metres per pixel in EPSG:3857 units), capped at {@value #MAX_ZOOM}: the zoom where the source is seen at
     * full resolution.
     */
    public static int zoomForResolution(double mercatorResolution, int tileSize) {
        if (!(mercatorResolution > 0)) {
            throw new IllegalArgumentException("resolution must be positive, got " + mercatorResolution);
        }
        double z = Math.log(2 * ORIGIN_SHIFT / (tileSize * mercatorResolution)) / Math.log(2);
        // A hair of tolerance so an exact power of two does not round up to the next zoom.
        return (int) Math.max(0, Math.min(MAX_ZOOM, Math.ceil(z - 1e-9)));
    }

    /** Every tile at zoom {@code z} whose rectangle overlaps {@code mercator}, row by row from the north-west. */
    public static List<TileCoord> tilesCovering(Bounds mercator, int z) {
        requireValid(z, 0, 0);
        double span = tileSpan(z);
        long n = 1L << z;
        long x0 = clamp((long) Math.floor((mercator.minX() + ORIGIN_SHIFT) / span), n);
        long x1 = clamp((long) Math.ceil((mercator.maxX() + ORIGIN_SHIFT) / span) - 1, n);
        long y0 = clamp((long) Math.floor((ORIGIN_SHIFT - mercator.maxY()) / span), n);
        long y1 = clamp((long) Math.ceil((ORIGIN_SHIFT - mercator.minY()) / span) - 1, n);
        List<TileCoord> out = new ArrayList<>();
        for (long y = y0; y <= y1; y++) {
            for (long x = x0; x <= x1; x++) {
                out.add(new TileCoord(z, (int) x, (int) y));
            }
        }
        return out;
    }

    private static long clamp(long v, long n) {
        return Math.max(0, Math.min(n - 1, v));
    }
}
