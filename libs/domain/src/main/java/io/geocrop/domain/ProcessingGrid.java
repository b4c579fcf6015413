package io.geocrop.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans a job on the processing grid: the UTM zone of the AOI centre, 10 m pixels aligned to a 10 m grid,
 * and the 512 x 512 pixel tiles that the AOI circle touches.
 */
public final class ProcessingGrid {
    public static final double PIXEL_SIZE_M = 10.0;
    public static final int TILE_SIZE_PX = 512;
    public static final double TILE_SIZE_M = PIXEL_SIZE_M * TILE_SIZE_PX;
    /** Points used to trace the circle when projecting it; plenty for a 10 km circle at 10 m pixels. */
    private static final int CIRCLE_VERTICES = 180;

    private ProcessingGrid() {}

    /**
     * The job's plan: zone, AOI envelope snapped outwards to whole pixels, and the tiles the circle
     * intersects, ordered by row then column.
     */
    public static JobPlan plan(Aoi aoi) {
        UtmZone zone = UtmZone.of(aoi.lon(), aoi.lat());
        double[] centre = zone.forward(aoi.lon(), aoi.lat());
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        double maxRadius = 0;
        for (int i = 0; i < CIRCLE_VERTICES; i++) {
            double[] p = aoi.offset(360.0 * i / CIRCLE_VERTICES, aoi.radiusM());
            double[] xy = zone.forward(p[0], p[1]);
            minX = Math.min(minX, xy[0]);
            minY = Math.min(minY, xy[1]);
            maxX = Math.max(maxX, xy[0]);
            maxY = Math.max(maxY, xy[1]);
            maxRadius = Math.max(maxRadius, Math.hypot(xy[0] - centre[0], xy[1] - centre[1]));
        }
        minX = Math.floor(minX / PIXEL_SIZE_M) * PIXEL_SIZE_M;
        minY = Math.floor(minY / PIXEL_SIZE_M) * PIXEL_SIZE_M;
        maxX = Math.ceil(maxX / PIXEL_SIZE_M) * PIXEL_SIZE_M;
        maxY = Math.ceil(maxY / PIXEL_SIZE_M) * PIXEL_SIZE_M;

        List<JobTile> tiles = new ArrayList<>();
        long col0 = (long) Math.floor(minX / TILE_SIZE_M), col1 = (long) Math.floor((maxX - 1e-6) / TILE_SIZE_M);
        long row0 = (long) Math.floor(minY / TILE_SIZE_M), row1 = (long) Math.floor((maxY - 1e-6) / TILE_SIZE_M);
        for (long row = row0; row <= row1; row++) {
            for (long col = col0; col <= col1; col++) {
                JobTile tile = new JobTile(zone.epsg(), col, row);
                // Keep only tiles the (slightly enlarged) circle actually reaches.
                double dx = Math.max(Math.max(tile.minX() - centre[0], 0), centre[0] - tile.maxX());
                double dy = Math.max(Math.max(tile.minY() - centre[1], 0), centre[1] - tile.maxY());
                if (Math.hypot(dx, dy) <= maxRadius) {
                    tiles.add(tile);
                }
            }
        }
        return new JobPlan(zone, minX, minY, maxX, maxY, List.copyOf(tiles));
    }

    /**
     * A job's footprint on the grid.
     *
     * @param zone  the UTM zone of the AOI centre
     * @param minX  envelope of the AOI circle in zone metres, snapped outwards to 10 m
     * @param tiles the job tiles the circle touches
     */
    public record JobPlan(UtmZone zone, double minX, double minY, double maxX, double maxY, List<JobTile> tiles) {
        public int widthPx() {
            return (int) Math.round((maxX - minX) / PIXEL_SIZE_M);
        }

        public int heightPx() {
            return (int) Math.round((maxY - minY) / PIXEL_SIZE_M);
        }
    }
}
