package io.geocrop.raster;

/**
 * The affine map from pixel (col, row) to world (x, y), in GDAL's order:
 * {@code x = originX + col * pixelWidth + row * rowRotation}, {@code y = originY + col * colRotation + row * pixelHeight}.
 * Pixel (0, 0) is the top-left corner of the top-left pixel (GDAL's PixelIsArea convention); {@code pixelHeight}
 * is negative for north-up images.
 */
public record GeoTransform(double originX, double pixelWidth, double rowRotation,
                           double originY, double colRotation, double pixelHeight) {

    /** A north-up transform with square or rectangular pixels of {@code resX} by {@code resY} (both positive). */
    public static GeoTransform northUp(double originX, double originY, double resX, double resY) {
        return new GeoTransform(originX, resX, 0, originY, 0, -resY);
    }

    public boolean isNorthUp() {
        return rowRotation == 0 && colRotation == 0 && pixelHeight < 0 && pixelWidth > 0;
    }

    /** World coordinates of a pixel-space point (use +0.5 for pixel centres). */
    public double[] toWorld(double col, double row) {
        return new double[] {originX + col * pixelWidth + row * rowRotation, originY + col * colRotation + row * pixelHeight};
    }

    /** Pixel-space coordinates of a world point (fractional; floor gives the pixel). */
    public double[] toPixel(double x, double y) {
        double det = pixelWidth * pixelHeight - rowRotation * colRotation;
        double dx = x - originX, dy = y - originY;
        return new double[] {(dx * pixelHeight - dy * rowRotation) / det, (dy * pixelWidth - dx * colRotation) / det};
    }

    /** The transform of an overview or window scaled by {@code factorX, factorY} (pixels get bigger). */
    public GeoTransform scaled(double factorX, double factorY) {
        return new GeoTransform(originX, pixelWidth * factorX, rowRotation * factorY, originY, colRotation * factorX, pixelHeight * factorY);
    }

    /** The transform of a window whose top-left pixel is (col, row) of this raster. */
    public GeoTransform window(int col, int row) {
        double[] o = toWorld(col, row);
        return new GeoTransform(o[0], pixelWidth, rowRotation, o[1], colRotation, pixelHeight);
    }
}
