package io.geocrop.training;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.UtmZone;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labels placed on the processing grid: each label becomes the 10 m pixels it names (a point: the pixel holding it;
 * a polygon: every pixel whose centre lies inside, holes excluded), in the UTM zone the production grid would use
 * for that place, grouped by 512 px job tile so each tile's features are computed once.
 *
 * <p>Spatial groups: a label's pixels all get the group of the {@value #BLOCK_PX} x {@value #BLOCK_PX} px block
 * holding the label's anchor (the point, or the centre of the polygon's box), so a field is never split between
 * training and held-out rows, and labels close together share a group.
 */
public final class LabelledPixels {
    /** Side of a spatial group block, pixels (640 m). */
    public static final int BLOCK_PX = 64;
    /** Most pixels one polygon may label (10 km2 at 10 m): a bigger one is almost certainly a mistake. */
    public static final int MAX_POLYGON_PIXELS = 100_000;

    private static final int TILE = ProcessingGrid.TILE_SIZE_PX;
    private static final double PX = ProcessingGrid.PIXEL_SIZE_M;

    /**
     * One labelled pixel.
     *
     * @param line      the labels file line it comes from
     * @param tile      the job tile holding it
     * @param x         column in the tile, 0 at the west edge
     * @param y         row in the tile, 0 at the north edge (the order of the tile's feature arrays)
     * @param classCode the {@code CropClass} code
     * @param group     spatial group id (0, 1, ... in order of first appearance)
     */
    public record Pixel(int line, JobTile tile, int x, int y, int classCode, int group) {
        /** Index into a tile's feature arrays. */
        public int index() {
            return y * TILE + x;
        }
    }

    private final Map<JobTile, List<Pixel>> byTile;
    private final int groups;

    private LabelledPixels(Map<JobTile, List<Pixel>> byTile, int groups) {
        this.byTile = byTile;
        this.groups = groups;
    }

    /** The labelled pixels of each tile, tiles by id, pixels in label order. */
    public Map<JobTile, List<Pixel>> byTile() {
        return byTile;
    }

    /** Number of labelled pixels. */
    public int size() {
        return byTile.values().stream().mapToInt(List::size).sum();
    }

    /** Number of spatial groups. */
    public int groupCount() {
        return groups;
    }

    /**
     * Places labels on the grid.
     *
     * @param source the labels file name, for messages
     * @throws LabelsException for polygons without a pixel centre inside or too large, and for a pixel labelled
     *                         with two different classes (naming both lines)
     */
    public static LabelledPixels of(List<LabelledPoints.Label> labels, String source) {
        Map<Long, Pixel> seen = new HashMap<>();
        Map<String, Integer> groupIds = new LinkedHashMap<>();
        Map<JobTile, List<Pixel>> byTile = new TreeMap<>(Comparator.comparing(JobTile::epsg)
                .thenComparingLong(JobTile::row).thenComparingLong(JobTile::col));
        List<LabelsException.LineError> errors = new ArrayList<>();
        int bad = 0;
        for (LabelledPoints.Label label : labels) {
            UtmZone zone = UtmZone.of(label.lon(), label.lat());
            double[] anchor = zone.forward(label.lon(), label.lat());
            String blockKey = zone.epsg() + "/" + Math.floorDiv(column(anchor[0]), BLOCK_PX) + "/"
                    + Math.floorDiv(row(anchor[1]), BLOCK_PX);
            int group = groupIds.computeIfAbsent(blockKey, k -> groupIds.size());
            List<long[]> cells;
            try {
                cells = label.isPolygon() ? rasterise(label, zone) : List.of(new long[] {column(anchor[0]), row(anchor[1])});
            } catch (IllegalArgumentException e) {
                if (bad++ < LabelsException.MAX_REPORTED) {
                    errors.add(new LabelsException.LineError(label.line(), e.getMessage()));
                }
                continue;
            }
            for (long[] cell : cells) {
                long key = ((long) zone.epsg() << 48) ^ (cell[0] << 24) ^ (cell[1] & 0xFFFFFF);
                Pixel pixel = pixel(label, zone, cell[0], cell[1], group);
                Pixel before = seen.putIfAbsent(key, pixel);
                if (before == null) {
                    byTile.computeIfAbsent(pixel.tile(), t -> new ArrayList<>()).add(pixel);
                } else if (before.classCode() != pixel.classCode()) {
                    if (bad++ < LabelsException.MAX_REPORTED) {
                        errors.add(new LabelsException.LineError(label.line(), "a pixel of this "
                                + (label.isPolygon() ? "polygon" : "point") + " is already labelled "
                                + className(before.classCode()) + " by line " + before.line()));
                    }
                    break;
                }
            }
        }
        if (bad > 0) {
            errors.sort(Comparator.comparingInt(LabelsException.LineError::line));
            throw new LabelsException(source, errors, bad);
        }
        Map<JobTile, List<Pixel>> frozen = new LinkedHashMap<>();
        byTile.forEach((tile, pixels) -> frozen.put(tile, List.copyOf(pixels)));
        return new LabelledPixels(java.util.Collections.unmodifiableMap(frozen), groupIds.size());
    }

    private static Pixel pixel(LabelledPoints.Label label, UtmZone zone, long column, long row, int group) {
        long tileCol = Math.floorDiv(column, TILE), tileRow = Math.floorDiv(row, TILE);
        int x = (int) (column - tileCol * TILE);
        int y = TILE - 1 - (int) (row - tileRow * TILE); // rows grow northwards; tile arrays start in the north
        return new Pixel(label.line(), new JobTile(zone.epsg(), tileCol, tileRow), x, y, label.cropClass().code(), group);
    }

    /** The pixels whose centres are inside the polygon (even-odd rule over all rings), as {column, row}. */
    private static List<long[]> rasterise(LabelledPoints.Label label, UtmZone zone) {
        List<double[][]> rings = new ArrayList<>();
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[][] ring : label.rings()) {
            double[][] xy = new double[ring.length][];
            for (int k = 0; k < ring.length; k++) {
                xy[k] = zone.forward(ring[k][0], ring[k][1]);
                minX = Math.min(minX, xy[k][0]);
                maxX = Math.max(maxX, xy[k][0]);
                minY = Math.min(minY, xy[k][1]);
                maxY = Math.max(maxY, xy[k][1]);
            }
            rings.add(xy);
        }
        long c0 = column(minX), c1 = column(maxX), r0 = row(minY), r1 = row(maxY);
        double boxPixels = (double) (c1 - c0 + 1) * (r1 - r0 + 1);
        if (boxPixels > 4.0 * MAX_POLYGON_PIXELS) {
            throw new IllegalArgumentException("the polygon spans about " + Math.round((maxX - minX) / 1000) + " x "
                    + Math.round((maxY - minY) / 1000) + " km; a labelled polygon may cover at most "
                    + MAX_POLYGON_PIXELS + " pixels (10 km2): split it or label fields");
        }
        List<long[]> cells = new ArrayList<>();
        for (long r = r0; r <= r1; r++) {
            double y = r * PX + PX / 2;
            for (long c = c0; c <= c1; c++) {
                if (inside(rings, c * PX + PX / 2, y)) {
                    cells.add(new long[] {c, r});
                    if (cells.size() > MAX_POLYGON_PIXELS) {
                        throw new IllegalArgumentException("the polygon covers more than " + MAX_POLYGON_PIXELS
                                + " pixels (10 km2): split it or label fields");
                    }
                }
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("the polygon contains no 10 m pixel centre: it is too small or "
                    + "too thin; label it with its lon,lat instead");
        }
        return cells;
    }

    private static boolean inside(List<double[][]> rings, double x, double y) {
        boolean in = false;
        for (double[][] ring : rings) {
            for (int i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
                if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                    in = !in;
                }
            }
        }
        return in;
    }

    private static long column(double easting) {
        return (long) Math.floor(easting / PX);
    }

    private static long row(double northing) {
        return (long) Math.floor(northing / PX);
    }

    private static String className(int code) {
        return io.geocrop.domain.CropClass.ofCode(code).map(io.geocrop.domain.CropClass::id).orElse("class " + code);
    }
}
