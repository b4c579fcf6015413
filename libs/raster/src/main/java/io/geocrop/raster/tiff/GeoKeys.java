package io.geocrop.raster.tiff;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GeoKeys of a GeoTIFF (GeoKeyDirectory with its GeoDoubleParams and GeoAsciiParams), each value an
 * {@link Integer}, a {@link String} (ASCII, without the trailing '|') or a {@code double[]}. A malformed
 * directory is ignored with a warning, as libgeotiff and GDAL do: the image stays readable, without a CRS.
 */
public final class GeoKeys {
    private static final Logger LOG = LoggerFactory.getLogger(GeoKeys.class);
    /** The GeoKey value for "user-defined". */
    public static final int USER_DEFINED = 32767;

    private final Map<Integer, Object> keys;

    private GeoKeys(Map<Integer, Object> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** Parses the GeoKeys of {@code d} (empty if it has none). */
    public static GeoKeys of(TiffDirectory d) throws IOException {
        long[] dir = d.integers(TiffTags.GEO_KEY_DIRECTORY);
        if (dir == null) {
            return new GeoKeys(Map.of());
        }
        if (dir.length < 4) {
            LOG.warn("{}: GeoKeyDirectory has only {} values; ignoring the GeoKeys", d.where(), dir.length);
            return new GeoKeys(Map.of());
        }
        double[] doubles = d.has(TiffTags.GEO_DOUBLE_PARAMS) ? d.doubles(TiffTags.GEO_DOUBLE_PARAMS) : new double[0];
        String ascii = d.has(TiffTags.GEO_ASCII_PARAMS) ? d.ascii(TiffTags.GEO_ASCII_PARAMS) : "";
        long declared = dir[3];
        long available = (dir.length - 4) / 4;
        if (declared > available) {
            LOG.warn("{}: GeoKeyDirectory declares {} keys but holds {}; reading those present", d.where(), declared, available);
        }
        int n = (int) Math.min(Math.max(declared, 0), available);
        Map<Integer, Object> keys = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int p = 4 + 4 * i;
            int id = (int) (dir[p] & 0xFFFF);
            int location = (int) (dir[p + 1] & 0xFFFF);
            int count = (int) (dir[p + 2] & 0xFFFF);
            int value = (int) (dir[p + 3] & 0xFFFF);
            Object v = switch (location) {
                case 0 -> value;
                case TiffTags.GEO_KEY_DIRECTORY -> value < dir.length ? (Object) (int) (dir[value] & 0xFFFF) : null;
                case TiffTags.GEO_DOUBLE_PARAMS -> value + (long) count <= doubles.length && count > 0
                        ? java.util.Arrays.copyOfRange(doubles, value, value + count) : null;
                case TiffTags.GEO_ASCII_PARAMS -> value + (long) count <= ascii.length()
                        ? stripAscii(ascii.substring(value, value + count)) : null;
                default -> null;
            };
            if (v == null) {
                LOG.warn("{}: GeoKey {} points outside its parameter tag; ignored", d.where(), id);
                continue;
            }
            keys.putIfAbsent(id, v);
        }
        return new GeoKeys(keys);
    }

    private static String stripAscii(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '|' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** All keys by id. */
    public Map<Integer, Object> asMap() {
        return keys;
    }

    /** A short-valued key, or {@code defaultValue} if absent or not a short. */
    public int shortValue(int key, int defaultValue) {
        return keys.get(key) instanceof Integer i ? i : defaultValue;
    }

    /** An ASCII key, or null. */
    public String text(int key) {
        return keys.get(key) instanceof String s ? s : null;
    }

    /** Whether the raster type is PixelIsPoint. */
    public boolean pixelIsPoint() {
        return shortValue(TiffTags.GT_RASTER_TYPE, TiffTags.RASTER_PIXEL_IS_AREA) == TiffTags.RASTER_PIXEL_IS_POINT;
    }

    /**
     * The EPSG code of the CRS: ProjectedCSTypeGeoKey for projected models, GeographicTypeGeoKey for geographic
     * ones (the model type decides when both are present), or 0 when the CRS is user-defined or missing.
     */
    public int epsg() {
        int model = shortValue(TiffTags.GT_MODEL_TYPE, 0);
        int projected = shortValue(TiffTags.PROJECTED_CS_TYPE, 0);
        int geographic = shortValue(TiffTags.GEOGRAPHIC_TYPE, 0);
        if (model == TiffTags.MODEL_TYPE_PROJECTED || (model == 0 && projected != 0)) {
            return valid(projected);
        }
        if (model == TiffTags.MODEL_TYPE_GEOGRAPHIC || model == 0) {
            return valid(geographic);
        }
        return 0;
    }

    private static int valid(int code) {
        return code > 0 && code != USER_DEFINED ? code : 0;
    }

    /** The most specific citation present (GTCitation, PCSCitation, GeogCitation), or null. */
    public String citation() {
        for (int key : new int[] {TiffTags.GT_CITATION, TiffTags.PROJ_CITATION, TiffTags.GEOG_CITATION}) {
            String s = text(key);
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }
}
