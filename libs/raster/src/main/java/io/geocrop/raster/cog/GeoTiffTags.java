package io.geocrop.raster.cog;

import io.geocrop.raster.ColorTable;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.tiff.TiffTags;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The GeoTIFF and GDAL tags of a written file, formatted the way GDAL 3.6 writes them: GeoKeys for the CRSs
 * GeoCrop uses (UTM north/south on WGS 84, WGS 84 geographic, Web Mercator), the pixel-to-world transform,
 * GDAL_NODATA as {@code %.18g}, GDAL_METADATA XML with dataset items and per-band description, scale and offset,
 * and the TIFF ColorMap of a palette.
 */
public final class GeoTiffTags {
    private GeoTiffTags() {}

    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.:\\-]+");

    /** True for the EPSG codes this writer can describe with GeoKeys (0 means no CRS). */
    public static boolean supportsEpsg(int epsg) {
        return epsg == 0 || isUtm(epsg) || epsg == 3857 || epsg == 4326;
    }

    private static boolean isUtm(int epsg) {
        return (epsg >= 32601 && epsg <= 32660) || (epsg >= 32701 && epsg <= 32760);
    }

    /** The CRS name GDAL writes as GTCitation, e.g. "WGS 84 / UTM zone 36S". */
    static String crsName(int epsg) {
        if (isUtm(epsg)) {
            return "WGS 84 / UTM zone " + (epsg % 100) + (epsg < 32700 ? "N" : "S");
        }
        return switch (epsg) {
            case 3857 -> "WGS 84 / Pseudo-Mercator";
            case 4326 -> "WGS 84";
            default -> throw new IllegalArgumentException("unsupported EPSG code " + epsg);
        };
    }

    /**
     * Adds ModelPixelScale + ModelTiepoint (north-up transforms) or ModelTransformation (rotated or south-up),
     * and the GeoKeyDirectory with its ASCII params for {@code epsg}. Nothing for a null transform / EPSG 0.
     */
    public static void addGeoreferencing(TiffIfd ifd, GeoTransform t, int epsg) {
        if (t != null) {
            if (t.isNorthUp()) {
                ifd.doubles(TiffTags.MODEL_PIXEL_SCALE, t.pixelWidth(), -t.pixelHeight(), 0);
                ifd.doubles(TiffTags.MODEL_TIEPOINT, 0, 0, 0, t.originX(), t.originY(), 0);
            } else {
                ifd.doubles(TiffTags.MODEL_TRANSFORMATION,
                        t.pixelWidth(), t.rowRotation(), 0, t.originX(),
                        t.colRotation(), t.pixelHeight(), 0, t.originY(),
                        0, 0, 0, 0,
                        0, 0, 0, 1);
            }
        }
        if (epsg == 0) {
            return;
        }
        if (!supportsEpsg(epsg)) {
            throw new IllegalArgumentException("cannot write GeoKeys for EPSG:" + epsg
                    + "; supported: 326xx/327xx (UTM on WGS 84), 4326 and 3857");
        }
        // Keys in ascending order: {key, location, count, value-or-offset}.
        List<int[]> keys = new ArrayList<>();
        String ascii;
        if (epsg == 4326) {
            ascii = "WGS 84|";
            keys.add(new int[] {TiffTags.GT_MODEL_TYPE, 0, 1, TiffTags.MODEL_TYPE_GEOGRAPHIC});
            keys.add(new int[] {TiffTags.GT_RASTER_TYPE, 0, 1, TiffTags.RASTER_PIXEL_IS_AREA});
            keys.add(new int[] {TiffTags.GEOGRAPHIC_TYPE, 0, 1, 4326});
            keys.add(new int[] {TiffTags.GEOG_CITATION, TiffTags.GEO_ASCII_PARAMS, 7, 0});
            keys.add(new int[] {TiffTags.GEOG_ANGULAR_UNITS, 0, 1, TiffTags.ANGULAR_UNIT_DEGREE});
        } else {
            String name = crsName(epsg) + "|";
            ascii = name + "WGS 84|";
            keys.add(new int[] {TiffTags.GT_MODEL_TYPE, 0, 1, TiffTags.MODEL_TYPE_PROJECTED});
            keys.add(new int[] {TiffTags.GT_RASTER_TYPE, 0, 1, TiffTags.RASTER_PIXEL_IS_AREA});
            keys.add(new int[] {TiffTags.GT_CITATION, TiffTags.GEO_ASCII_PARAMS, name.length(), 0});
            keys.add(new int[] {TiffTags.GEOG_CITATION, TiffTags.GEO_ASCII_PARAMS, 7, name.length()});
            keys.add(new int[] {TiffTags.GEOG_ANGULAR_UNITS, 0, 1, TiffTags.ANGULAR_UNIT_DEGREE});
            keys.add(new int[] {TiffTags.PROJECTED_CS_TYPE, 0, 1, epsg});
            keys.add(new int[] {TiffTags.PROJ_LINEAR_UNITS, 0, 1, TiffTags.LINEAR_UNIT_METRE});
        }
        int[] dir = new int[4 + 4 * keys.size()];
        dir[0] = 1;
        dir[1] = 1;
        dir[2] = 0;
        dir[3] = keys.size();
        for (int i = 0; i < keys.size(); i++) {
            System.arraycopy(keys.get(i), 0, dir, 4 + 4 * i, 4);
        }
        ifd.shorts(TiffTags.GEO_KEY_DIRECTORY, dir);
        ifd.ascii(TiffTags.GEO_ASCII_PARAMS, ascii);
    }

    /**
     * A number as GDAL writes GDAL_NODATA and metadata numbers: C's {@code %.18g} ("nan", "inf", "-inf" for the
     * special values), e.g. "-9999", "0.100000000000000006", "1e+20".
     */
    public static String formatG18(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(18, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 18) {
            String digits = d.unscaledValue().abs().toString().replaceFirst("0+$", "");
            StringBuilder s = new StringBuilder();
            if (d.signum() < 0) {
                s.append('-');
            }
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            s.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) {
                s.append('0');
            }
            return s.append(e).toString();
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** The GDAL_NODATA text of a nodata value. */
    public static String gdalNoData(double nodata) {
        return formatG18(nodata);
    }

    /**
     * The GDAL_METADATA XML of {@code meta} (dataset items sorted by name, then per band DESCRIPTION and, when
     * either differs from 1/0, SCALE and OFFSET), or null when there is nothing to write. Item text is escaped
     * twice, as GDAL writes and expects it (its reader unescapes the parsed XML text once more).
     */
    public static String gdalMetadataXml(RasterMetadata meta) {
        StringBuilder x = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(meta.metadata()).entrySet()) {
            checkKey(e.getKey());
            checkText("metadata item " + e.getKey(), e.getValue());
            item(x, e.getKey(), -1, null, e.getValue());
        }
        for (int b = 0; b < meta.bands(); b++) {
            String description = meta.bandDescription(b);
            checkText("description of band " + (b + 1), description);
            if (!description.isEmpty()) {
                item(x, "DESCRIPTION", b, "description", description);
            }
            double scale = b < meta.scales().size() ? meta.scales().get(b) : 1.0;
            double offset = b < meta.offsets().size() ? meta.offsets().get(b) : 0.0;
            if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
                throw new IllegalArgumentException("scale and offset of band " + (b + 1) + " must be finite, got "
                        + scale + " and " + offset);
            }
            if (scale != 1.0 || offset != 0.0) {
                item(x, "OFFSET", b, "offset", formatG18(offset));
                item(x, "SCALE", b, "scale", formatG18(scale));
            }
        }
        if (x.isEmpty()) {
            return null;
        }
        return "<GDALMetadata>\n" + x + "</GDALMetadata>\n";
    }

    private static void item(StringBuilder x, String name, int sample, String role, String value) {
        x.append("  <Item name=\"").append(escape(name)).append('"');
        if (sample >= 0) {
            x.append(" sample=\"").append(sample).append("\" role=\"").append(role).append('"');
        }
        x.append('>').append(escape(escape(value))).append("</Item>\n");
    }

    private static void checkKey(String key) {
        if (key == null || !METADATA_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("metadata key '" + key
                    + "' must be non-empty letters, digits, '_', '.', ':' or '-'");
        }
    }

    private static void checkText(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
                throw new IllegalArgumentException(what + " contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i + ", which XML cannot carry");
            }
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The TIFF ColorMap of a palette: {@code 3 * 2^bits} 16-bit values, all reds, then greens, then blues, each
     * 8-bit channel scaled by 257 as GDAL does; entries past the table are black. Alpha is not stored by TIFF.
     */
    public static int[] colorMap(ColorTable table, SampleType type) {
        int entries = 1 << type.bits();
        if (table.size() > entries) {
            throw new IllegalArgumentException("colour table has " + table.size() + " entries, more than the "
                    + entries + " values of " + type);
        }
        int[] map = new int[3 * entries];
        for (int i = 0; i < table.size(); i++) {
            int argb = table.argb(i);
            map[i] = ((argb >> 16) & 0xFF) * 257;
            map[entries + i] = ((argb >> 8) & 0xFF) * 257;
            map[2 * entries + i] = (argb & 0xFF) * 257;
        }
        return map;
    }
}
