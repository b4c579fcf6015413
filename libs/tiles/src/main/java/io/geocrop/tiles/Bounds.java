package io.geocrop.tiles;

/** An axis-aligned rectangle in some CRS ({@code minX <= maxX}, {@code minY <= maxY}). */
public record Bounds(double minX, double minY, double maxX, double maxY) {
    public Bounds {
        if (!(minX <= maxX) || !(minY <= maxY)) {
            throw new IllegalArgumentException("bounds need min <= max, got [" + minX + ", " + minY + ", " + maxX + ", " + maxY + "]");
        }
    }

    public double width() {
        return maxX - minX;
    }

    public double height() {
        return maxY - minY;
    }

    /** Whether the two rectangles share interior area (touching edges do not count). */
    public boolean overlaps(Bounds o) {
        return minX < o.maxX && o.minX < maxX && minY < o.maxY && o.minY < maxY;
    }
}
