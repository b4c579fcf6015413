package io.geocrop.tiles;

/**
 * One legend line: a raster value, its name and its colour.
 *
 * @param value  the value in the layer's COG band
 * @param name   the name shown to people
 * @param colour {@code #rrggbb}
 */
public record LegendEntry(int value, String name, String colour) {}
