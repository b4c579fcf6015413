package io.geocrop.domain;

/**
 * One 512 x 512 pixel, 10 m tile of the global processing grid of a UTM zone. Tiles are aligned to
 * multiples of {@link ProcessingGrid#TILE_SIZE_M} so the same ground always gets the same tile id, whichever
 * job asks for it.
 *
 * @param epsg the UTM zone's EPSG code
 * @param col  {@code floor(minX / 5120)}
 * @param row  {@code floor(minY / 5120)} (grows northwards, like northing)
 */
public record JobTile(int epsg, long col, long row) {
    public double minX() {
        return col * ProcessingGrid.TILE_SIZE_M;
    }

    public double minY() {
        return row * ProcessingGrid.TILE_SIZE_M;
    }

    public double maxX() {
        return minX() + ProcessingGrid.TILE_SIZE_M;
    }

    public double maxY() {
        return minY() + ProcessingGrid.TILE_SIZE_M;
    }

    /** Deterministic id used in object keys, e.g. {@code 32736-63-1567}. */
    public String id() {
        return epsg + "-" + col + "-" + row;
    }

    /** Parses {@link #id()}. */
    public static JobTile parse(String id) {
        String[] parts = id.split("-", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("tile id must look like EPSG-COL-ROW, got '" + id + "'");
        }
        try {
            return new JobTile(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tile id must look like EPSG-COL-ROW, got '" + id + "'", e);
        }
    }
}
