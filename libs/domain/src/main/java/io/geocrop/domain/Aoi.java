package io.geocrop.domain;

/**
 * An area of interest: a circle of {@code radiusM} metres around a WGS84 centre, longitude first.
 * Instances are only made by {@link JobRequestRules}, so a held {@code Aoi} is always valid.
 */
public record Aoi(double lon, double lat, double radiusM) {
    private static final double A_WGS84 = 6_378_137.0;
    private static final double E2_WGS84 = 6.69437999014e-3;

    /**
     * The point {@code distanceM} from the centre along {@code bearingDeg} (clockwise from north), as
     * {@code [lon, lat]}. Uses the ellipsoid's local radii of curvature at the centre, which is exact to
     * centimetres over the 10 km an AOI may span.
     */
    public double[] offset(double bearingDeg, double distanceM) {
        double phi = Math.toRadians(lat);
        double w = 1 - E2_WGS84 * Math.sin(phi) * Math.sin(phi);
        double meridional = A_WGS84 * (1 - E2_WGS84) / Math.pow(w, 1.5);
        double primeVertical = A_WGS84 / Math.sqrt(w);
        double theta = Math.toRadians(bearingDeg);
        double dLat = distanceM * Math.cos(theta) / meridional;
        double dLon = distanceM * Math.sin(theta) / (primeVertical * Math.cos(phi));
        return new double[] {lon + Math.toDegrees(dLon), lat + Math.toDegrees(dLat)};
    }

    /** The WGS84 bounding box of the circle as {@code [minLon, minLat, maxLon, maxLat]}. */
    public double[] bbox() {
        double[] north = offset(0, radiusM);
        double[] east = offset(90, radiusM);
        double dLat = north[1] - lat;
        double dLon = east[0] - lon;
        return new double[] {lon - dLon, lat - dLat, lon + dLon, lat + dLat};
    }
}
