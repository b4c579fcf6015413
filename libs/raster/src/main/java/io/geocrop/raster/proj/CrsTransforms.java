package io.geocrop.raster.proj;

import io.geocrop.domain.UtmZone;

import java.util.Objects;

/**
 * Coordinate transforms between the CRSs GeoCrop meets, without a geodesy library:
 * <ul>
 *   <li>EPSG:4326, WGS84 longitude/latitude in degrees, <b>longitude first</b> (x = lon, y = lat, as GDAL's
 *       tools and GeoJSON order them);</li>
 *   <li>EPSG:326zz / 327zz, WGS84 UTM north / south, through {@link UtmZone}'s Krüger series (agrees with PROJ to
 *       well under a millimetre inside a zone);</li>
 *   <li>EPSG:3857, spherical Web Mercator on the WGS84 semi-major axis; latitudes are clamped to
 *       &plusmn;{@value #WEB_MERCATOR_MAX_LATITUDE} so the poles map to the square's edge instead of infinity.</li>
 * </ul>
 * All of them share the WGS84 datum, so every transform goes through longitude/latitude with no datum shift.
 * Like PROJ, longitudes are normalised to [-180, 180] after an inverse projection, and a longitude is taken
 * relative to the projection's central meridian modulo 360 before a forward one. A point a projection cannot
 * represent (latitude beyond &plusmn;90, or more than 90&deg; of longitude from a UTM zone's central meridian)
 * becomes NaN.
 */
public final class CrsTransforms {
    /** WGS84 geographic longitude/latitude. */
    public static final int WGS84 = 4326;
    /** Spherical Web Mercator. */
    public static final int WEB_MERCATOR = 3857;
    /** Latitude at which Web Mercator is square: atan(sinh(pi)) in degrees. */
    public static final double WEB_MERCATOR_MAX_LATITUDE = 85.0511287798066;

    private static final double EARTH_RADIUS = 6_378_137.0;

    private CrsTransforms() {}

    /** Whether {@code epsg} is one of the supported codes (4326, 3857, 32601..32660, 32701..32760). */
    public static boolean isSupported(int epsg) {
        return epsg == WGS84 || epsg == WEB_MERCATOR || epsg > 32600 && epsg <= 32660 || epsg > 32700 && epsg <= 32760;
    }

    /** Whether coordinates in {@code epsg} are degrees (only 4326 here) rather than metres. */
    public static boolean isGeographic(int epsg) {
        return epsg == WGS84;
    }

    /**
     * The transform from {@code fromEpsg} to {@code toEpsg} coordinates.
     *
     * @throws IllegalArgumentException naming the code when either is not supported
     */
    public static Transform between(int fromEpsg, int toEpsg) {
        return new Transform(crs(fromEpsg), crs(toEpsg));
    }

    private static Crs crs(int epsg) {
        if (epsg == WGS84) {
            return Geographic.INSTANCE;
        }
        if (epsg == WEB_MERCATOR) {
            return WebMercator.INSTANCE;
        }
        if (epsg > 32600 && epsg <= 32660 || epsg > 32700 && epsg <= 32760) {
            return new Utm(UtmZone.ofEpsg(epsg));
        }
        throw new IllegalArgumentException("unsupported CRS EPSG:" + epsg
                + "; supported: EPSG:4326, EPSG:3857, EPSG:32601..32660 (UTM north), EPSG:32701..32760 (UTM south)");
    }

    /** A transform from one supported CRS to another. Immutable and thread-safe. */
    public static final class Transform {
        private final Crs from;
        private final Crs to;

        private Transform(Crs from, Crs to) {
            this.from = from;
            this.to = to;
        }

        /** EPSG code of the input coordinates. */
        public int sourceEpsg() {
            return from.epsg();
        }

        /** EPSG code of the output coordinates. */
        public int targetEpsg() {
            return to.epsg();
        }

        /** Whether input and output CRS are the same (the transform copies). */
        public boolean isIdentity() {
            return from.epsg() == to.epsg();
        }

        /** The transform in the other direction. */
        public Transform inverse() {
            return new Transform(to, from);
        }

        /** Transforms one point; returns {@code {x, y}} in the target CRS (NaN where it cannot be represented). */
        public double[] apply(double x, double y) {
            double[] p = {x, y};
            if (!isIdentity()) {
                from.toLonLat(p);
                to.fromLonLat(p);
            }
            return p;
        }

        /**
         * Transforms many points <b>in place</b>: on return {@code xs[i], ys[i]} hold the target coordinates of
         * the point that was there.
         *
         * @throws IllegalArgumentException if the arrays differ in length
         */
        public void apply(double[] xs, double[] ys) {
            Objects.requireNonNull(xs, "xs");
            Objects.requireNonNull(ys, "ys");
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " vs " + ys.length);
            }
            if (isIdentity()) {
                return;
            }
            double[] p = new double[2];
            for (int i = 0; i < xs.length; i++) {
                p[0] = xs[i];
                p[1] = ys[i];
                from.toLonLat(p);
                to.fromLonLat(p);
                xs[i] = p[0];
                ys[i] = p[1];
            }
        }

        @Override
        public String toString() {
            return "EPSG:" + from.epsg() + " -> EPSG:" + to.epsg();
        }
    }

    /** Longitude wrapped into [-180, 180]. */
    static double wrapLongitude(double lon) {
        if (lon >= -180 && lon <= 180) {
            return lon;
        }
        double wrapped = lon - 360 * Math.floor((lon + 180) / 360);
        return wrapped == -180 && lon > 0 ? 180 : wrapped;
    }

    /** One CRS, as conversions to and from WGS84 longitude/latitude in degrees, in place on {@code {x, y}}. */
    private sealed interface Crs permits Geographic, WebMercator, Utm {
        int epsg();

        void toLonLat(double[] p);

        void fromLonLat(double[] p);
    }

    private record Geographic() implements Crs {
        static final Geographic INSTANCE = new Geographic();

        @Override
        public int epsg() {
            return WGS84;
        }

        @Override
        public void toLonLat(double[] p) {
            if (!(Math.abs(p[1]) <= 90)) {
                p[0] = Double.NaN;
                p[1] = Double.NaN;
            }
        }

        @Override
        public void fromLonLat(double[] p) {
            if (Double.isFinite(p[0])) {
                p[0] = wrapLongitude(p[0]);
            }
        }
    }

    private record WebMercator() implements Crs {
        static final WebMercator INSTANCE = new WebMercator();

        @Override
        public int epsg() {
            return WEB_MERCATOR;
        }

        @Override
        public void toLonLat(double[] p) {
            double lon = Math.toDegrees(p[0] / EARTH_RADIUS);
            double lat = Math.toDegrees(Math.atan(Math.sinh(p[1] / EARTH_RADIUS)));
            p[0] = wrapLongitude(lon);
            p[1] = lat;
        }

        @Override
        public void fromLonLat(double[] p) {
            if (!(Math.abs(p[1]) <= 90)) {
                p[0] = Double.NaN;
                p[1] = Double.NaN;
                return;
            }
            double lat = Math.max(-WEB_MERCATOR_MAX_LATITUDE, Math.min(WEB_MERCATOR_MAX_LATITUDE, p[1]));
            p[0] = EARTH_RADIUS * Math.toRadians(wrapLongitude(p[0]));
            p[1] = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + Math.toRadians(lat) / 2));
        }
    }

    private record Utm(UtmZone zone) implements Crs {
        @Override
        public int epsg() {
            return zone.epsg();
        }

        @Override
        public void toLonLat(double[] p) {
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                p[0] = Double.NaN;
                p[1] = Double.NaN;
                return;
            }
            double[] lonLat = zone.inverse(p[0], p[1]);
            p[0] = wrapLongitude(lonLat[0]);
            p[1] = lonLat[1];
        }

        @Override
        public void fromLonLat(double[] p) {
            double dLon = wrapLongitude(p[0] - zone.centralMeridian());
            if (!(Math.abs(p[1]) <= 90) || !(Math.abs(dLon) <= 90)) {
                p[0] = Double.NaN;
                p[1] = Double.NaN;
                return;
            }
            double[] en = zone.forward(zone.centralMeridian() + dLon, p[1]);
            p[0] = en[0];
            p[1] = en[1];
        }
    }
}
