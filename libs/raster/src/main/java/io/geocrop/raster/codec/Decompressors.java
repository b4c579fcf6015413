package io.geocrop.raster.codec;

import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.tiff.TiffTags;

/** The decompressor for each TIFF Compression code this library reads. */
public final class Decompressors {
    private Decompressors() {}

    private static final Decompressor NONE = (input, output) -> {
        if (input.length < output.length) {
            throw new RasterFormatException("uncompressed data has " + input.length + " bytes, expected " + output.length);
        }
        System.arraycopy(input, 0, output, 0, output.length);
    };

    /** Whether {@code compression} (TIFF tag 259) can be decoded. */
    public static boolean isSupported(int compression) {
        return switch (compression) {
            case TiffTags.COMPRESSION_NONE, TiffTags.COMPRESSION_LZW, TiffTags.COMPRESSION_DEFLATE,
                 TiffTags.COMPRESSION_ADOBE_DEFLATE, TiffTags.COMPRESSION_ZSTD -> true;
            default -> false;
        };
    }

    /**
     * The decompressor for a TIFF Compression code.
     *
     * @throws RasterFormatException if the code is not one this library reads
     */
    public static Decompressor forCompression(int compression) throws RasterFormatException {
        return switch (compression) {
            case TiffTags.COMPRESSION_NONE -> NONE;
            case TiffTags.COMPRESSION_LZW -> LzwDecompressor.INSTANCE;
            case TiffTags.COMPRESSION_DEFLATE, TiffTags.COMPRESSION_ADOBE_DEFLATE -> DeflateDecompressor.INSTANCE;
            case TiffTags.COMPRESSION_ZSTD -> ZstdTileDecompressor.INSTANCE;
            default -> throw new RasterFormatException("compression " + name(compression) + " is not supported "
                    + "(supported: NONE, LZW, DEFLATE, ZSTD)");
        };
    }

    /** A readable name for a TIFF Compression code, e.g. {@code "DEFLATE (8)"}. */
    public static String name(int compression) {
        String name = switch (compression) {
            case 1 -> "NONE";
            case 2 -> "CCITT RLE";
            case 3 -> "CCITT G3";
            case 4 -> "CCITT G4";
            case 5 -> "LZW";
            case 6 -> "OJPEG";
            case 7 -> "JPEG";
            case 8, 32946 -> "DEFLATE";
            case 32773 -> "PACKBITS";
            case 34676 -> "SGILOG";
            case 34712 -> "JPEG2000";
            case 34887 -> "LERC";
            case 34925 -> "LZMA";
            case 50000 -> "ZSTD";
            case 50001 -> "WEBP";
            case 50002 -> "JXL";
            default -> "unknown";
        };
        return name + " (" + compression + ")";
    }
}
