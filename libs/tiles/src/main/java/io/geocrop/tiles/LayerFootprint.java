package io.geocrop.tiles;

import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Overview;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.proj.CrsTransforms;
import java.util.List;

/**
 * Where a COG lies on the web map and at which zooms it is worth showing, derived once per opened file.
 *
 * @param mercatorBounds EPSG:3857 rectangle enclosing the raster (edges densified, so a UTM raster's curved
 *                       outline is enclosed)
 * @param lonLatBounds   the same in WGS84 degrees (west, south, east, north)
 * @param minZoom        the zoom at which the coarsest overview is seen at full resolution
 * @param maxZoom        the first zoom at which one 256 px tile pixel is no larger than one full-resolution pixel
 * @param centreLon      longitude of the centre of {@code lonLatBounds}
 * @param centreLat      latitude of the centre of {@code lonLatBounds}
 */
public record LayerFootprint(Bounds mercatorBounds, Bounds lonLatBounds, int minZoom, int maxZoom, double centreLon,
                             double centreLat) {
    private static final int EDGE_SAMPLES = 32;

    /**
     * The footprint of an open GeoTIFF.
     *
     * @throws IllegalArgumentException naming the file if it has no georeferencing, a CRS other than EPSG:4326,
     *                                  3857 or WGS84 UTM, or samples that are not uint8
     */
    public static LayerFootprint of(GeoTiff tiff) {
        RasterMetadata meta = tiff.metadata();
        requireRenderable(tiff);
        GeoTransform gt = meta.transform();
        CrsTransforms.Transform toLonLat = CrsTransforms.between(meta.epsg(), CrsTransforms.WGS84);
        double west = Double.POSITIVE_INFINITY, south = Double.POSITIVE_INFINITY;
        double east = Double.NEGATIVE_INFINITY, north = Double.NEGATIVE_INFINITY;
        int w = meta.width();
        int h = meta.height();
        for (int i = 0; i <= EDGE_SAMPLES; i++) {
            double f = (double) i / EDGE_SAMPLES;
            double[][] edgePoints = {{f * w, 0}, {f * w, h}, {0, f * h}, {w, f * h}};
            for (double[] p : edgePoints) {
                double[] world = gt.toWorld(p[0], p[1]);
                double[] ll = toLonLat.apply(world[0], world[1]);
                if (Double.isFinite(ll[0]) && Double.isFinite(ll[1])) {
                    west = Math.min(west, ll[0]);
                    east = Math.max(east, ll[0]);
                    south = Math.min(south, ll[1]);
                    north = Math.max(north, ll[1]);
                }
            }
        }
        if (!(west <= east && south <= north)) {
            throw new IllegalArgumentException(tiff.describe() + ": no part of the raster maps to longitude/latitude");
        }
        south = Math.max(south, -TileMath.MAX_LATITUDE);
        north = Math.min(north, TileMath.MAX_LATITUDE);
        Bounds lonLat = new Bounds(west, south, east, north);
        Bounds mercator = new Bounds(TileMath.mercatorX(west), TileMath.mercatorY(south), TileMath.mercatorX(east),
                TileMath.mercatorY(north));

        // One full-resolution pixel at the centre, measured in Web Mercator metres (what tile zooms are made of).
        CrsTransforms.Transform toMercator = CrsTransforms.between(meta.epsg(), CrsTransforms.WEB_MERCATOR);
        double[] c0 = gt.toWorld(w / 2.0, h / 2.0);
        double[] c1 = gt.toWorld(w / 2.0 + 1, h / 2.0);
        double[] m0 = toMercator.apply(c0[0], c0[1]);
        double[] m1 = toMercator.apply(c1[0], c1[1]);
        double resolution = Math.hypot(m1[0] - m0[0], m1[1] - m0[1]);
        List<Overview> levels = tiff.overviews();
        Overview coarsest = levels.getLast();
        int maxZoom = TileMath.zoomForResolution(resolution, 256);
        int minZoom = Math.min(maxZoom, TileMath.zoomForResolution(resolution * w / coarsest.width(), 256));
        return new LayerFootprint(mercator, lonLat, minZoom, maxZoom, (west + east) / 2, (south + north) / 2);
    }

    /**
     * The footprint of a WGS84 box (latitudes clamped to the Web Mercator square) with the given zooms.
     *
     * @param lonLat west, south, east, north in degrees
     */
    public static LayerFootprint ofLonLat(Bounds lonLat, int minZoom, int maxZoom) {
        double south = Math.max(lonLat.minY(), -TileMath.MAX_LATITUDE);
        double north = Math.min(lonLat.maxY(), TileMath.MAX_LATITUDE);
        Bounds ll = new Bounds(lonLat.minX(), south, lonLat.maxX(), north);
        Bounds mercator = new Bounds(TileMath.mercatorX(ll.minX()), TileMath.mercatorY(south), TileMath.mercatorX(ll.maxX()),
                TileMath.mercatorY(north));
        return new LayerFootprint(mercator, ll, minZoom, maxZoom, (ll.minX() + ll.maxX()) / 2, (south + north) / 2);
    }

    /** The smallest footprint holding both: bounds enclosing both, the lower min zoom and the higher max zoom. */
    public LayerFootprint union(LayerFootprint o) {
        Bounds m = new Bounds(Math.min(mercatorBounds.minX(), o.mercatorBounds.minX()),
                Math.min(mercatorBounds.minY(), o.mercatorBounds.minY()),
                Math.max(mercatorBounds.maxX(), o.mercatorBounds.maxX()),
                Math.max(mercatorBounds.maxY(), o.mercatorBounds.maxY()));
        Bounds ll = new Bounds(Math.min(lonLatBounds.minX(), o.lonLatBounds.minX()),
                Math.min(lonLatBounds.minY(), o.lonLatBounds.minY()),
                Math.max(lonLatBounds.maxX(), o.lonLatBounds.maxX()),
                Math.max(lonLatBounds.maxY(), o.lonLatBounds.maxY()));
        return new LayerFootprint(m, ll, Math.min(minZoom, o.minZoom), Math.max(maxZoom, o.maxZoom),
                (ll.minX() + ll.maxX()) / 2, (ll.minY() + ll.maxY()) / 2);
    }

    /**
     * Checks what {@link TileRenderer} needs: georeferencing, a supported CRS and uint8 samples.
     *
     * @throws IllegalArgumentException naming the file and what is missing
     */
    public static void requireRenderable(GeoTiff tiff) {
        RasterMetadata meta = tiff.metadata();
        if (meta.transform() == null) {
            throw new IllegalArgumentException(tiff.describe() + ": has no geotransform, so it cannot be placed on a map");
        }
        if (!CrsTransforms.isSupported(meta.epsg())) {
            throw new IllegalArgumentException(tiff.describe() + ": CRS EPSG:" + meta.epsg()
                    + " is not supported for tiles (EPSG:4326, 3857 and WGS84 UTM are)");
        }
        if (meta.sampleType() != SampleType.UINT8) {
            throw new IllegalArgumentException(tiff.describe() + ": tiles need uint8 samples, got " + meta.sampleType());
        }
    }
}
