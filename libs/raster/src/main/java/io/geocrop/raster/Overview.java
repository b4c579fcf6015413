package io.geocrop.raster;

/**
 * One resolution level of a GeoTIFF: level 0 is the full-resolution image, levels 1.. its internal overviews
 * from finest to coarsest.
 *
 * @param tileWidth  tile width, or the image width for a striped image
 * @param tileHeight tile height, or RowsPerStrip for a striped image
 * @param transform  the level's pixel-to-world transform (the full-resolution one scaled by the size ratio,
 *                   as GDAL does), or null if the file has no geotransform
 */
public record Overview(int level, int width, int height, int tileWidth, int tileHeight, GeoTransform transform) {}
