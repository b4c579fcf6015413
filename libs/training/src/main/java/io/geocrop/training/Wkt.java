package io.geocrop.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the one WKT geometry a labels file may hold: {@code POLYGON ((lon lat, lon lat, ...), (hole ...))} in
 * WGS84 degrees, longitude first. Each ring must be closed and have at least four positions.
 */
final class Wkt {
    private Wkt() {}

    /**
     * The polygon's rings (the first is the shell, the others holes), each an array of {@code [lon, lat]}.
     *
     * @throws IllegalArgumentException saying what is wrong, in words a person can act on
     */
    static List<double[][]> polygon(String text) {
        String s = text.strip();
        String upper = s.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("POLYGON")) {
            String kind = upper.split("[\\s(]", 2)[0];
            throw new IllegalArgumentException("only WKT POLYGON is supported, got " + (kind.isEmpty() ? "'" + s + "'" : kind));
        }
        String body = s.substring("POLYGON".length()).strip();
        if (body.toUpperCase(Locale.ROOT).startsWith("EMPTY")) {
            throw new IllegalArgumentException("the polygon is empty");
        }
        if (!body.startsWith("(") || !body.endsWith(")")) {
            throw new IllegalArgumentException("a POLYGON must look like POLYGON ((lon lat, lon lat, ...))");
        }
        body = body.substring(1, body.length() - 1).strip();
        List<double[][]> rings = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) != '(') {
                throw new IllegalArgumentException("a POLYGON must look like POLYGON ((lon lat, lon lat, ...))");
            }
            int close = body.indexOf(')', i);
            if (close < 0) {
                throw new IllegalArgumentException("a ring of the polygon is not closed with ')'");
            }
            rings.add(ring(body.substring(i + 1, close), rings.size()));
            i = close + 1;
            while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ',')) {
                i++;
            }
        }
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("the polygon has no ring");
        }
        return rings;
    }

    private static double[][] ring(String text, int index) {
        String what = index == 0 ? "the polygon's outer ring" : "hole " + index + " of the polygon";
        String[] positions = text.split(",");
        double[][] ring = new double[positions.length][];
        for (int k = 0; k < positions.length; k++) {
            String[] xy = positions[k].strip().split("\\s+");
            if (xy.length != 2) {
                throw new IllegalArgumentException(what + " has a position '" + positions[k].strip()
                        + "' that is not 'lon lat'");
            }
            ring[k] = new double[] {number(xy[0], what), number(xy[1], what)};
        }
        if (ring.length < 4) {
            throw new IllegalArgumentException(what + " has " + ring.length + " positions; a ring needs at least 4 "
                    + "(the first repeated at the end)");
        }
        double[] first = ring[0], last = ring[ring.length - 1];
        if (first[0] != last[0] || first[1] != last[1]) {
            throw new IllegalArgumentException(what + " is not closed: its last position must repeat the first");
        }
        return ring;
    }

    private static double number(String text, String what) {
        if (!LabelledPoints.isDecimal(text)) {
            throw new IllegalArgumentException(what + " has '" + text + "', which is not a number");
        }
        return Double.parseDouble(text);
    }
}
