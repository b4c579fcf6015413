package io.geocrop.imagery.stac;

/**
 * A WGS84 bounding box in degrees, longitude first, as STAC writes it: {@code [minLon, minLat, maxLon, maxLat]}.
 * Boxes crossing the antimeridian ({@code minLon > maxLon}) are not supported: GeoCrop's areas never do.
 */
public record LonLatBox(double minLon, double minLat, double maxLon, double maxLat) {

    /** Validates the ranges and the order of the corners. */
    public LonLatBox {
        requireRange(minLon, -180, 180, "minLon");
        requireRange(maxLon, -180, 180, "maxLon");
        requireRange(minLat, -90, 90, "minLat");
        requireRange(maxLat, -90, 90, "maxLat");
        if (minLon > maxLon) {
            throw new IllegalArgumentException("bbox minLon " + minLon + " is greater than maxLon " + maxLon
                    + " (boxes across the antimeridian are not supported)");
        }
        if (minLat > maxLat) {
            throw new IllegalArgumentException("bbox minLat " + minLat + " is greater than maxLat " + maxLat);
        }
    }

    /** From {@code [minLon, minLat, maxLon, maxLat]}, e.g. {@code Aoi.bbox()}. */
    public static LonLatBox of(double[] minLonMinLatMaxLonMaxLat) {
        if (minLonMinLatMaxLonMaxLat == null || minLonMinLatMaxLonMaxLat.length != 4) {
            throw new IllegalArgumentException("bbox needs 4 numbers [minLon, minLat, maxLon, maxLat]");
        }
        double[] b = minLonMinLatMaxLonMaxLat;
        return new LonLatBox(b[0], b[1], b[2], b[3]);
    }

    /** True when the two boxes share at least one point (touching edges count). */
    public boolean intersects(LonLatBox other) {
        return minLon <= other.maxLon && other.minLon <= maxLon && minLat <= other.maxLat && other.minLat <= maxLat;
    }

    /** True when {@code other} lies wholly inside this box. */
    public boolean contains(LonLatBox other) {
        return minLon <= other.minLon && other.maxLon <= maxLon && minLat <= other.minLat && other.maxLat <= maxLat;
    }

    /** {@code minLon,minLat,maxLon,maxLat}, the form of the STAC API {@code bbox} query parameter. */
    public String toQueryValue() {
        return StacJson.number(minLon) + "," + StacJson.number(minLat) + "," + StacJson.number(maxLon) + ","
                + StacJson.number(maxLat);
    }

    private static void requireRange(double v, double min, double max, String name) {
        if (!(v >= min && v <= max)) { // also rejects NaN
            throw new IllegalArgumentException("bbox " + name + " must be within [" + min + ", " + max + "], got " + v);
        }
    }
}
