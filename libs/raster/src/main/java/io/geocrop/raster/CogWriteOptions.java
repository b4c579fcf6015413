package io.geocrop.raster;

import java.util.Arrays;
import java.util.List;

/**
 * How {@link CogWriter} lays out and encodes a Cloud-Optimized GeoTIFF. Build with {@link #builder()}; every
 * setting has a default that suits GeoCrop (512 px tiles, DEFLATE level 6 with the natural predictor, GDAL-style
 * overviews down to one tile).
 *
 * @param tileSize           tile width and height in pixels: 256 or 512
 * @param compression        tile compression
 * @param compressionLevel   DEFLATE level 1..9, or null for the default (6); must be null for NONE and ZSTD
 *                           (aircompressor's pure-Java ZSTD encoder has one fixed level)
 * @param predictor          TIFF predictor, or null for the default: {@link Predictor#HORIZONTAL} for integer
 *                           types and {@link Predictor#FLOATING_POINT} for float types when compressing,
 *                           {@link Predictor#NONE} otherwise
 * @param overviewResampling one method per band, a single method for all bands, or empty for the default:
 *                           {@link Resampling#MODE} for band 1 when a colour table is set, {@link Resampling#AVERAGE}
 *                           otherwise. Only NEAREST, AVERAGE and MODE are allowed.
 * @param overviewCount      number of internal overviews, or null for the default: halve (rounding up, as
 *                           gdaladdo sizes levels) until the image fits in one tile, like GDAL's COG driver
 * @param bigTiff            when to write BigTIFF
 * @param missingTiles       what {@link CogWriter#finish()} does with tiles that were never written
 * @param modeTies           how MODE breaks ties between equally frequent values
 */
public record CogWriteOptions(
        int tileSize,
        Compression compression,
        Integer compressionLevel,
        Predictor predictor,
        List<Resampling> overviewResampling,
        Integer overviewCount,
        BigTiff bigTiff,
        MissingTiles missingTiles,
        ModeTies modeTies) {

    /** The DEFLATE level used when none is given (GDAL's default too). */
    public static final int DEFAULT_DEFLATE_LEVEL = 6;

    /** Tile compression. */
    public enum Compression {
        /** Uncompressed tiles. */
        NONE,
        /** zlib/DEFLATE (TIFF Compression 8), readable everywhere. */
        DEFLATE,
        /** Zstandard (TIFF Compression 50000), GDAL 2.3+; written with aircompressor's pure-Java encoder. */
        ZSTD
    }

    /** TIFF Predictor applied before compression. */
    public enum Predictor {
        /** No predictor (TIFF Predictor 1). */
        NONE,
        /** Horizontal differencing of integer samples (TIFF Predictor 2). */
        HORIZONTAL,
        /** Byte-shuffled differencing of IEEE floats (TIFF Predictor 3, Adobe technical note 3). */
        FLOATING_POINT
    }

    /** When to write BigTIFF (64-bit offsets) instead of classic TIFF. */
    public enum BigTiff {
        /** Classic TIFF unless the finished file would need offsets past 4 GiB (decided at finish, exactly). */
        AUTO,
        /** Always BigTIFF. */
        YES,
        /** Always classic TIFF; finishing fails with a clear error if the file would exceed 4 GiB. */
        NO
    }

    /** What happens to tiles never passed to {@link CogWriter#writeTile} when the file is finished. */
    public enum MissingTiles {
        /** Write them as nodata tiles (0 when there is no nodata value), like GDAL does for unwritten blocks. */
        FILL_NODATA,
        /** Refuse to finish: {@link CogWriter#finish()} throws and leaves no output file. */
        FAIL
    }

    /** How MODE overview resampling chooses among values that are equally frequent in a window. */
    public enum ModeTies {
        /** The smallest of the tied values: independent of pixel order (the {@link Resampling#MODE} contract). */
        SMALLEST,
        /**
         * The value GDAL 3.6 picks (the first to reach the top count when scanning the window row by row), so
         * overviews equal {@code gdaladdo -r mode} pixel for pixel.
         */
        GDAL
    }

    public CogWriteOptions {
        if (tileSize != 256 && tileSize != 512) {
            throw new IllegalArgumentException("COG tile size must be 256 or 512, got " + tileSize);
        }
        if (compression == null || bigTiff == null || missingTiles == null || modeTies == null) {
            throw new IllegalArgumentException("compression, bigTiff, missingTiles and modeTies must not be null");
        }
        if (compressionLevel != null) {
            if (compression != Compression.DEFLATE) {
                throw new IllegalArgumentException("a compression level applies to DEFLATE only; " + compression
                        + (compression == Compression.ZSTD ? " is written at aircompressor's fixed level" : " has none"));
            }
            if (compressionLevel < 1 || compressionLevel > 9) {
                throw new IllegalArgumentException("DEFLATE level must be 1..9, got " + compressionLevel);
            }
        }
        overviewResampling = overviewResampling == null ? List.of() : List.copyOf(overviewResampling);
        for (Resampling r : overviewResampling) {
            if (r == Resampling.BILINEAR) {
                throw new IllegalArgumentException("overviews support NEAREST, AVERAGE and MODE, not BILINEAR");
            }
        }
        if (overviewCount != null && (overviewCount < 0 || overviewCount > 30)) {
            throw new IllegalArgumentException("overview count must be 0..30, got " + overviewCount);
        }
    }

    /** The defaults: 512 px tiles, DEFLATE 6 with the natural predictor, automatic overviews and BigTIFF. */
    public static CogWriteOptions defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tileSize = tileSize;
        b.compression = compression;
        b.compressionLevel = compressionLevel;
        b.predictor = predictor;
        b.overviewResampling = overviewResampling;
        b.overviewCount = overviewCount;
        b.bigTiff = bigTiff;
        b.missingTiles = missingTiles;
        b.modeTies = modeTies;
        return b;
    }

    /** The DEFLATE level in effect. */
    public int effectiveCompressionLevel() {
        return compressionLevel == null ? DEFAULT_DEFLATE_LEVEL : compressionLevel;
    }

    /**
     * The predictor in effect for a sample type, checking that it suits the type (horizontal differencing for
     * integers, floating point for floats; none when not compressing).
     */
    public Predictor effectivePredictor(SampleType type) {
        if (predictor == null) {
            if (compression == Compression.NONE) {
                return Predictor.NONE;
            }
            return type.isFloat() ? Predictor.FLOATING_POINT : Predictor.HORIZONTAL;
        }
        if (predictor != Predictor.NONE && compression == Compression.NONE) {
            throw new IllegalArgumentException("predictor " + predictor + " needs a compression; it is pointless with NONE");
        }
        if (predictor == Predictor.HORIZONTAL && type.isFloat()) {
            throw new IllegalArgumentException("the HORIZONTAL predictor is for integer samples; use FLOATING_POINT for " + type);
        }
        if (predictor == Predictor.FLOATING_POINT && !type.isFloat()) {
            throw new IllegalArgumentException("the FLOATING_POINT predictor is for float samples; use HORIZONTAL for " + type);
        }
        return predictor;
    }

    /** The overview resampling of each band of a raster described by {@code meta}. */
    public Resampling[] effectiveResampling(RasterMetadata meta) {
        Resampling[] out = new Resampling[meta.bands()];
        if (overviewResampling.isEmpty()) {
            Arrays.fill(out, Resampling.AVERAGE);
            if (meta.colorTable() != null) {
                out[0] = Resampling.MODE;
            }
        } else if (overviewResampling.size() == 1) {
            Arrays.fill(out, overviewResampling.get(0));
        } else if (overviewResampling.size() == meta.bands()) {
            overviewResampling.toArray(out);
        } else {
            throw new IllegalArgumentException("overview resampling lists " + overviewResampling.size()
                    + " methods for " + meta.bands() + " bands; give one per band or a single one");
        }
        return out;
    }

    /**
     * The sizes of the overview levels of a {@code width x height} image, largest first: each level is half the
     * previous one rounded up (as gdaladdo and rio-cogeo size them).
     */
    public int[][] overviewSizes(int width, int height) {
        int count;
        if (overviewCount != null) {
            count = overviewCount;
        } else {
            count = 0;
            for (int w = width, h = height; w > tileSize || h > tileSize; w = half(w), h = half(h)) {
                count++;
            }
        }
        int[][] sizes = new int[count][];
        int w = width, h = height;
        for (int i = 0; i < count; i++) {
            if (w == 1 && h == 1) {
                throw new IllegalArgumentException("overview count " + count + " is too large for a " + width + "x"
                        + height + " image: level " + (i + 1) + " would be no smaller than 1x1");
            }
            w = half(w);
            h = half(h);
            sizes[i] = new int[] {w, h};
        }
        return sizes;
    }

    private static int half(int n) {
        return (n + 1) / 2;
    }

    /** Mutable builder of {@link CogWriteOptions}. */
    public static final class Builder {
        private int tileSize = 512;
        private Compression compression = Compression.DEFLATE;
        private Integer compressionLevel;
        private Predictor predictor;
        private List<Resampling> overviewResampling = List.of();
        private Integer overviewCount;
        private BigTiff bigTiff = BigTiff.AUTO;
        private MissingTiles missingTiles = MissingTiles.FILL_NODATA;
        private ModeTies modeTies = ModeTies.SMALLEST;

        private Builder() {}

        /** Tile size, 256 or 512 (default 512). */
        public Builder tileSize(int tileSize) {
            this.tileSize = tileSize;
            return this;
        }

        /** Compression (default DEFLATE). */
        public Builder compression(Compression compression) {
            this.compression = compression;
            return this;
        }

        /** DEFLATE level 1..9, or null for the default 6. */
        public Builder compressionLevel(Integer level) {
            this.compressionLevel = level;
            return this;
        }

        /** Predictor, or null for the natural one of the sample type. */
        public Builder predictor(Predictor predictor) {
            this.predictor = predictor;
            return this;
        }

        /** One overview method for all bands. */
        public Builder overviewResampling(Resampling method) {
            this.overviewResampling = List.of(method);
            return this;
        }

        /** One overview method per band (or a single one for all). */
        public Builder overviewResampling(List<Resampling> methods) {
            this.overviewResampling = methods;
            return this;
        }

        /** Number of overviews, or null to halve until the image fits in one tile. */
        public Builder overviewCount(Integer count) {
            this.overviewCount = count;
            return this;
        }

        /** BigTIFF mode (default AUTO). */
        public Builder bigTiff(BigTiff bigTiff) {
            this.bigTiff = bigTiff;
            return this;
        }

        /** What to do with unwritten tiles at finish (default FILL_NODATA). */
        public Builder missingTiles(MissingTiles missingTiles) {
            this.missingTiles = missingTiles;
            return this;
        }

        /** MODE tie-breaking (default SMALLEST). */
        public Builder modeTies(ModeTies modeTies) {
            this.modeTies = modeTies;
            return this;
        }

        /** The options; throws IllegalArgumentException naming the bad setting. */
        public CogWriteOptions build() {
            return new CogWriteOptions(tileSize, compression, compressionLevel, predictor, overviewResampling,
                    overviewCount, bigTiff, missingTiles, modeTies);
        }
    }
}
