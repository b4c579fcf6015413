package io.geocrop.raster.tiff;

/**
 * One IFD entry. {@code valueOffset} is where the value's bytes are in the file: for a value that fits in the
 * entry it points into the entry itself, so inline and out-of-line values are read the same way.
 *
 * @param count number of values (BigTIFF counts are 64-bit; a count of 2^63 or more is rejected on parse)
 */
public record TiffEntry(int tag, int type, long count, long valueOffset) {

    /** Bytes per value of a TIFF field type, or 0 for a type this library does not know (the entry is ignored). */
    public static int typeSize(int type) {
        return switch (type) {
            case TiffTags.TYPE_BYTE, TiffTags.TYPE_ASCII, TiffTags.TYPE_SBYTE, TiffTags.TYPE_UNDEFINED -> 1;
            case TiffTags.TYPE_SHORT, TiffTags.TYPE_SSHORT -> 2;
            case TiffTags.TYPE_LONG, TiffTags.TYPE_SLONG, TiffTags.TYPE_FLOAT, TiffTags.TYPE_IFD -> 4;
            case TiffTags.TYPE_RATIONAL, TiffTags.TYPE_SRATIONAL, TiffTags.TYPE_DOUBLE, TiffTags.TYPE_LONG8,
                 TiffTags.TYPE_SLONG8, TiffTags.TYPE_IFD8 -> 8;
            default -> 0;
        };
    }

    /** Whether the type holds integers (unsigned or signed, any width). */
    public static boolean isIntegerType(int type) {
        return switch (type) {
            case TiffTags.TYPE_BYTE, TiffTags.TYPE_SHORT, TiffTags.TYPE_LONG, TiffTags.TYPE_SBYTE,
                 TiffTags.TYPE_SSHORT, TiffTags.TYPE_SLONG, TiffTags.TYPE_IFD, TiffTags.TYPE_LONG8,
                 TiffTags.TYPE_SLONG8, TiffTags.TYPE_IFD8, TiffTags.TYPE_UNDEFINED -> true;
            default -> false;
        };
    }

    /** The value's size in bytes, saturating at {@link Long#MAX_VALUE} for absurd counts. */
    public long byteLength() {
        int size = typeSize(type);
        return count > Long.MAX_VALUE / Math.max(size, 1) ? Long.MAX_VALUE : count * size;
    }

    /** A readable name for a field type. */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "BYTE";
            case 2 -> "ASCII";
            case 3 -> "SHORT";
            case 4 -> "LONG";
            case 5 -> "RATIONAL";
            case 6 -> "SBYTE";
            case 7 -> "UNDEFINED";
            case 8 -> "SSHORT";
            case 9 -> "SLONG";
            case 10 -> "SRATIONAL";
            case 11 -> "FLOAT";
            case 12 -> "DOUBLE";
            case 13 -> "IFD";
            case 16 -> "LONG8";
            case 17 -> "SLONG8";
            case 18 -> "IFD8";
            default -> "type " + type;
        };
    }

    /** A readable name for the tags this library uses, e.g. {@code "TileOffsets (324)"}. */
    public static String tagName(int tag) {
        String name = switch (tag) {
            case TiffTags.NEW_SUBFILE_TYPE -> "NewSubfileType";
            case TiffTags.IMAGE_WIDTH -> "ImageWidth";
            case TiffTags.IMAGE_LENGTH -> "ImageLength";
            case TiffTags.BITS_PER_SAMPLE -> "BitsPerSample";
            case TiffTags.COMPRESSION -> "Compression";
            case TiffTags.PHOTOMETRIC -> "PhotometricInterpretation";
            case TiffTags.STRIP_OFFSETS -> "StripOffsets";
            case TiffTags.SAMPLES_PER_PIXEL -> "SamplesPerPixel";
            case TiffTags.ROWS_PER_STRIP -> "RowsPerStrip";
            case TiffTags.STRIP_BYTE_COUNTS -> "StripByteCounts";
            case TiffTags.PLANAR_CONFIGURATION -> "PlanarConfiguration";
            case TiffTags.PREDICTOR -> "Predictor";
            case TiffTags.COLOR_MAP -> "ColorMap";
            case TiffTags.TILE_WIDTH -> "TileWidth";
            case TiffTags.TILE_LENGTH -> "TileLength";
            case TiffTags.TILE_OFFSETS -> "TileOffsets";
            case TiffTags.TILE_BYTE_COUNTS -> "TileByteCounts";
            case TiffTags.EXTRA_SAMPLES -> "ExtraSamples";
            case TiffTags.SAMPLE_FORMAT -> "SampleFormat";
            case TiffTags.MODEL_PIXEL_SCALE -> "ModelPixelScale";
            case TiffTags.MODEL_TIEPOINT -> "ModelTiepoint";
            case TiffTags.MODEL_TRANSFORMATION -> "ModelTransformation";
            case TiffTags.GEO_KEY_DIRECTORY -> "GeoKeyDirectory";
            case TiffTags.GEO_DOUBLE_PARAMS -> "GeoDoubleParams";
            case TiffTags.GEO_ASCII_PARAMS -> "GeoAsciiParams";
            case TiffTags.GDAL_METADATA -> "GDAL_METADATA";
            case TiffTags.GDAL_NODATA -> "GDAL_NODATA";
            default -> "tag";
        };
        return name + " (" + tag + ")";
    }
}
