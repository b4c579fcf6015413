package io.geocrop.domain;

/**
 * A WGS84 UTM zone with its EPSG code (326zz north, 327zz south) and an exact-to-millimetre transverse
 * Mercator projection (Krüger series to fourth order in n, after Karney 2011), so the processing grid needs
 * no geodesy library.
 */
public record UtmZone(int zone, boolean south) {
    private static final double A_WGS84 = 6_378_137.0;
    private static final double F_WGS84 = 1 / 298.257223563;
    private static final double K0 = 0.9996;
    private static final double FALSE_EASTING = 500_000.0;
    private static final double FALSE_NORTHING_SOUTH = 10_000_000.0;

    private static final double N = F_WGS84 / (2 - F_WGS84);
    private static final double RECTIFYING_RADIUS;
    private static final double[] ALPHA;
    private static final double[] BETA;
    private static final double[] DELTA;
    private static final double E2N = 2 * Math.sqrt(N) / (1 + N);

    static {
        double n = N, n2 = n * n, n3 = n2 * n, n4 = n3 * n;
        RECTIFYING_RADIUS = A_WGS84 / (1 + n) * (1 + n2 / 4 + n4 / 64);
        ALPHA = new double[] {
            n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180,
            13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440,
            61 * n3 / 240 - 103 * n4 / 140,
            49561 * n4 / 161280};
        BETA = new double[] {
            n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360,
            n2 / 48 + n3 / 15 - 437 * n4 / 1440,
            17 * n3 / 480 - 37 * n4 / 840,
            4397 * n4 / 161280};
        DELTA = new double[] {
            2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45,
            7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45,
            56 * n3 / 15 - 136 * n4 / 35,
            4279 * n4 / 630};
    }

    public UtmZone {
        if (zone < 1 || zone > 60) {
            throw new IllegalArgumentException("UTM zone must be 1..60, got " + zone);
        }
    }

    /** The zone holding a point: standard 6-degree zones, south for negative latitudes. */
    public static UtmZone of(double lon, double lat) {
        int zone = (int) Math.floor((lon + 180) / 6) + 1;
        return new UtmZone(Math.min(Math.max(zone, 1), 60), lat < 0);
    }

    /** Parses an EPSG code of the form 326zz or 327zz. */
    public static UtmZone ofEpsg(int epsg) {
        if (epsg > 32600 && epsg <= 32660) {
            return new UtmZone(epsg - 32600, false);
        }
        if (epsg > 32700 && epsg <= 32760) {
            return new UtmZone(epsg - 32700, true);
        }
        throw new IllegalArgumentException("not a WGS84 UTM EPSG code: " + epsg);
    }

    public int epsg() {
        return (south ? 32700 : 32600) + zone;
    }

    /** Longitude of the central meridian, degrees. */
    public double centralMeridian() {
        return zone * 6.0 - 183.0;
    }

    /** Projects WGS84 lon/lat degrees to {@code [easting, northing]} metres. */
    public double[] forward(double lon, double lat) {
        double phi = Math.toRadians(lat);
        double lambda = Math.toRadians(lon - centralMeridian());
        double sinPhi = Math.sin(phi);
        double t = Math.sinh(atanh(sinPhi) - E2N * atanh(E2N * sinPhi));
        double xiP = Math.atan2(t, Math.cos(lambda));
        double etaP = atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
        double xi = xiP;
        double eta = etaP;
        for (int j = 1; j <= 4; j++) {
            xi += ALPHA[j - 1] * Math.sin(2 * j * xiP) * Math.cosh(2 * j * etaP);
            eta += ALPHA[j - 1] * Math.cos(2 * j * xiP) * Math.sinh(2 * j * etaP);
        }
        double easting = FALSE_EASTING + K0 * RECTIFYING_RADIUS * eta;
        double northing = (south ? FALSE_NORTHING_SOUTH : 0) + K0 * RECTIFYING_RADIUS * xi;
        return new double[] {easting, northing};
    }

    /** Unprojects {@code easting, northing} metres to WGS84 {@code [lon, lat]} degrees. */
    public double[] inverse(double easting, double northing) {
        double xi = (northing - (south ? FALSE_NORTHING_SOUTH : 0)) / (K0 * RECTIFYING_RADIUS);
        double eta = (easting - FALSE_EASTING) / (K0 * RECTIFYING_RADIUS);
        double xiP = xi;
        double etaP = eta;
        for (int j = 1; j <= 4; j++) {
            xiP -= BETA[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
            etaP -= BETA[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
        }
        double chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
        double phi = chi;
        for (int j = 1; j <= 4; j++) {
            phi += DELTA[j - 1] * Math.sin(2 * j * chi);
        }
        double lambda = Math.atan2(Math.sinh(etaP), Math.cos(xiP));
        return new double[] {centralMeridian() + Math.toDegrees(lambda), Math.toDegrees(phi)};
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }
}
