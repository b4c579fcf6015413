package io.geocrop.raster.tiff;

import io.geocrop.raster.ColorTable;
import io.geocrop.raster.GeoTransform;

import java.io.IOException;
import java.util.Locale;

/** The geotransform and palette of a GeoTIFF, derived from its tags exactly as GDAL's GTiff driver does. */
public final class GeoReferencing {
    private GeoReferencing() {}

    /**
     * Whether PixelIsPoint files keep their tie point as the corner (GDAL's {@code GTIFF_POINT_GEO_IGNORE}),
     * read from the system property or environment variable of that name; GDAL's default is false.
     */
    public static boolean pointGeoIgnore() {
        String v = System.getProperty("GTIFF_POINT_GEO_IGNORE", System.getenv("GTIFF_POINT_GEO_IGNORE"));
        if (v == null) {
            return false;
        }
        return switch (v.trim().toUpperCase(Locale.ROOT)) {
            case "YES", "TRUE", "ON", "1" -> true;
            default -> false;
        };
    }

    /**
     * The transform from ModelPixelScale + ModelTiepoint (first tie point; a negative Y scale is taken as
     * north-up, like GDAL by default), else from a 16-value ModelTransformation; shifted by half a pixel for
     * PixelIsPoint unless {@code pointGeoIgnore}. Null if the file has neither (or only GCP tie points).
     */
    public static GeoTransform transform(TiffDirectory d, GeoKeys keys, boolean pointGeoIgnore) throws IOException {
        double[] scale = d.has(TiffTags.MODEL_PIXEL_SCALE) ? d.doubles(TiffTags.MODEL_PIXEL_SCALE) : null;
        double[] tie = d.has(TiffTags.MODEL_TIEPOINT) ? d.doubles(TiffTags.MODEL_TIEPOINT) : null;
        double[] gt = null;
        if (scale != null && scale.length >= 2 && scale[0] != 0 && scale[1] != 0) {
            if (tie != null && tie.length >= 6) {
                double resX = scale[0];
                double resY = -Math.abs(scale[1]);
                gt = new double[] {tie[3] - tie[0] * resX, resX, 0, tie[4] - tie[1] * resY, 0, resY};
            }
        } else if (d.has(TiffTags.MODEL_TRANSFORMATION)) {
            double[] m = d.doubles(TiffTags.MODEL_TRANSFORMATION);
            if (m.length == 16) {
                gt = new double[] {m[3], m[0], m[1], m[7], m[4], m[5]};
            }
        }
        if (gt == null) {
            return null;
        }
        if (keys.pixelIsPoint() && !pointGeoIgnore) {
            gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
            gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
        }
        for (double v : gt) {
            if (!Double.isFinite(v)) {
                return null; // GDAL would report a non-finite transform; nothing downstream can use one
            }
        }
        return new GeoTransform(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
    }

    /**
     * The palette of a PhotometricInterpretation=3 image with {@code bits}-bit samples: ColorMap's 16-bit
     * R, G and B planes divided by 257 (as GDAL does), opaque. Null if there is no usable ColorMap.
     */
    public static ColorTable colorTable(TiffDirectory d, int bits, int photometric) throws IOException {
        if (!d.has(TiffTags.COLOR_MAP) || (bits != 8 && bits != 16) || photometric != TiffTags.PHOTOMETRIC_PALETTE) {
            return null;
        }
        long[] map = d.integers(TiffTags.COLOR_MAP);
        int n = 1 << bits;
        if (map.length < 3L * n) {
            return null; // libtiff ignores a ColorMap with the wrong count
        }
        int[] argb = new int[n];
        for (int i = 0; i < n; i++) {
            int r = (int) ((map[i] & 0xFFFF) / 257);
            int g = (int) ((map[n + i] & 0xFFFF) / 257);
            int b = (int) ((map[2 * n + i] & 0xFFFF) / 257);
            argb[i] = 0xFF000000 | r << 16 | g << 8 | b;
        }
        return new ColorTable(argb);
    }
}
