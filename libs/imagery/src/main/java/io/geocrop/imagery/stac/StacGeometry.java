package io.geocrop.imagery.stac;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An item's GeoJSON footprint. Polygons keep the GeoJSON nesting as arrays: {@code polygon[ring][point] =
 * {lon, lat}}, ring 0 the outer boundary and further rings holes. A {@code Polygon} gives one polygon, a
 * {@code MultiPolygon} several; other geometry types keep their type and no polygons.
 *
 * @param type     the GeoJSON type ({@code Polygon}, {@code MultiPolygon}, ...)
 * @param polygons the polygons; deep-copied in and out, so the record stays immutable
 */
public record StacGeometry(String type, List<double[][][]> polygons) {

    /** Validates the coordinates and copies them. */
    public StacGeometry {
        Objects.requireNonNull(type, "type");
        List<double[][][]> copy = new ArrayList<>();
        for (double[][][] polygon : polygons) {
            for (double[][] ring : polygon) {
                if (ring.length < 4) {
                    throw new IllegalArgumentException("a polygon ring needs at least 4 positions, got " + ring.length);
                }
                for (double[] p : ring) {
                    if (p.length < 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                        throw new IllegalArgumentException("invalid position " + Arrays.toString(p));
                    }
                }
            }
            copy.add(deepCopy(polygon));
        }
        polygons = List.copyOf(copy);
    }

    /** A deep copy of the polygons. */
    @Override
    public List<double[][][]> polygons() {
        return polygons.stream().map(StacGeometry::deepCopy).toList();
    }

    /**
     * Whether the point lies inside the footprint (even-odd rule over all rings, so holes are excluded). Planar in
     * degrees, which is what GeoJSON specifies for these small footprints.
     */
    public boolean contains(double lon, double lat) {
        for (double[][][] polygon : polygons) {
            boolean inside = false;
            for (double[][] ring : polygon) {
                for (int i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                    double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
                    if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) {
                        inside = !inside;
                    }
                }
            }
            if (inside) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StacGeometry other) || !type.equals(other.type)
                || polygons.size() != other.polygons.size()) {
            return false;
        }
        for (int i = 0; i < polygons.size(); i++) {
            if (!Arrays.deepEquals(polygons.get(i), other.polygons.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = type.hashCode();
        for (double[][][] p : polygons) {
            h = 31 * h + Arrays.deepHashCode(p);
        }
        return h;
    }

    @Override
    public String toString() {
        return "StacGeometry[" + type + ", " + polygons.size() + " polygon(s)]";
    }

    private static double[][][] deepCopy(double[][][] polygon) {
        double[][][] out = new double[polygon.length][][];
        for (int r = 0; r < polygon.length; r++) {
            out[r] = new double[polygon[r].length][];
            for (int p = 0; p < polygon[r].length; p++) {
                out[r][p] = polygon[r][p].clone();
            }
        }
        return out;
    }
}
