package io.geocrop.raster.tiff;

/** Numbers of the TIFF, GeoTIFF and GDAL tags and GeoKeys this library reads and writes. */
public final class TiffTags {
    private TiffTags() {}

    // Field types (TIFF 6.0 + BigTIFF).
    public static final int TYPE_BYTE = 1, TYPE_ASCII = 2, TYPE_SHORT = 3, TYPE_LONG = 4, TYPE_RATIONAL = 5,
            TYPE_SBYTE = 6, TYPE_UNDEFINED = 7, TYPE_SSHORT = 8, TYPE_SLONG = 9, TYPE_SRATIONAL = 10,
            TYPE_FLOAT = 11, TYPE_DOUBLE = 12, TYPE_IFD = 13, TYPE_LONG8 = 16, TYPE_SLONG8 = 17, TYPE_IFD8 = 18;

    // Baseline and extension tags.
    public static final int NEW_SUBFILE_TYPE = 254;
    public static final int IMAGE_WIDTH = 256;
    public static final int IMAGE_LENGTH = 257;
    public static final int BITS_PER_SAMPLE = 258;
    public static final int COMPRESSION = 259;
    public static final int PHOTOMETRIC = 262;
    public static final int STRIP_OFFSETS = 273;
    public static final int SAMPLES_PER_PIXEL = 277;
    public static final int ROWS_PER_STRIP = 278;
    public static final int STRIP_BYTE_COUNTS = 279;
    public static final int PLANAR_CONFIGURATION = 284;
    public static final int PREDICTOR = 317;
    public static final int COLOR_MAP = 320;
    public static final int TILE_WIDTH = 322;
    public static final int TILE_LENGTH = 323;
    public static final int TILE_OFFSETS = 324;
    public static final int TILE_BYTE_COUNTS = 325;
    public static final int EXTRA_SAMPLES = 338;
    public static final int SAMPLE_FORMAT = 339;

    // GeoTIFF.
    public static final int MODEL_PIXEL_SCALE = 33550;
    public static final int MODEL_TIEPOINT = 33922;
    public static final int MODEL_TRANSFORMATION = 34264;
    public static final int GEO_KEY_DIRECTORY = 34735;
    public static final int GEO_DOUBLE_PARAMS = 34736;
    public static final int GEO_ASCII_PARAMS = 34737;

    // GDAL private tags.
    public static final int GDAL_METADATA = 42112;
    public static final int GDAL_NODATA = 42113;

    // Compression codes.
    public static final int COMPRESSION_NONE = 1, COMPRESSION_LZW = 5, COMPRESSION_DEFLATE = 8,
            COMPRESSION_ADOBE_DEFLATE = 32946, COMPRESSION_ZSTD = 50000;

    // Predictors.
    public static final int PREDICTOR_NONE = 1, PREDICTOR_HORIZONTAL = 2, PREDICTOR_FLOATING_POINT = 3;

    // Photometric interpretations.
    public static final int PHOTOMETRIC_MIN_IS_BLACK = 1, PHOTOMETRIC_RGB = 2, PHOTOMETRIC_PALETTE = 3;

    // GeoKeys.
    public static final int GT_MODEL_TYPE = 1024;
    public static final int GT_RASTER_TYPE = 1025;
    public static final int GT_CITATION = 1026;
    public static final int GEOGRAPHIC_TYPE = 2048;
    public static final int GEOG_CITATION = 2049;
    public static final int GEOG_ANGULAR_UNITS = 2054;
    public static final int PROJECTED_CS_TYPE = 3072;
    public static final int PROJ_CITATION = 3073;
    public static final int PROJ_LINEAR_UNITS = 3076;

    public static final int MODEL_TYPE_PROJECTED = 1, MODEL_TYPE_GEOGRAPHIC = 2;
    public static final int RASTER_PIXEL_IS_AREA = 1, RASTER_PIXEL_IS_POINT = 2;
    public static final int LINEAR_UNIT_METRE = 9001, ANGULAR_UNIT_DEGREE = 9102;
}
