package io.geocrop.scoring;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.UtmZone;

/**
 * The AOI circle on a job's UTM grid: which pixels of a row have their centre inside it. The circle is traced by
 * projecting {@value #VERTICES} points at the radius around the centre (as {@code ProcessingGrid} does), so it is the
 * geodesic circle as the UTM grid sees it, not a circle of projected metres. The polygon is convex, so each row's
 * inside is one run of pixels.
 */
public final class AoiMask {
    /** Vertices of the traced circle: under a centimetre from the true circle for a 10 km radius. */
    static final int VERTICES = 720;

    private final double[] xs;
    private final double[] ys;

    /** The circle of {@code aoi} in {@code zone}. */
    public AoiMask(Aoi aoi, UtmZone zone) {
        xs = new double[VERTICES];
        ys = new double[VERTICES];
        for (int i = 0; i < VERTICES; i++) {
            double[] p = aoi.offset(360.0 * i / VERTICES, aoi.radiusM());
            double[] xy = zone.forward(p[0], p[1]);
            xs[i] = xy[0];
            ys[i] = xy[1];
        }
    }

    /**
     * The columns {@code [first, last)} of a grid row whose pixel centres lie inside the circle; {@code first >= last}
     * when none do.
     *
     * @param originX    easting of the grid's left edge
     * @param pixelSize  pixel width in metres
     * @param width      pixels in the row
     * @param centreY    northing of the row's pixel centres
     */
    public int[] run(double originX, double pixelSize, int width, double centreY) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (int i = 0, j = VERTICES - 1; i < VERTICES; j = i++) {
            double y1 = ys[j], y2 = ys[i];
            if ((y1 <= centreY && centreY < y2) || (y2 <= centreY && centreY < y1)) {
                double x = xs[j] + (centreY - y1) * (xs[i] - xs[j]) / (y2 - y1);
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
        }
        if (minX > maxX) {
            return new int[] {0, 0};
        }
        // Pixel c's centre is originX + (c + 0.5) * pixelSize; inside when minX <= centre <= maxX.
        int first = (int) Math.max(0, Math.ceil((minX - originX) / pixelSize - 0.5));
        int last = (int) Math.min(width, Math.floor((maxX - originX) / pixelSize - 0.5) + 1);
        return new int[] {first, Math.max(first, last)};
    }
}
