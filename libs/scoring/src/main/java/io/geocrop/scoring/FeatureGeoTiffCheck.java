package io.geocrop.scoring;

import io.geocrop.extraction.FeatureGeoTiff;
import io.geocrop.features.FeatureOrder;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.ReadLimits;
import io.geocrop.raster.SampleType;
import io.geocrop.raster.cog.GeoTiffTags;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.InvalidRangeException;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether an object is a feature GeoTIFF a model can score, and says exactly why not otherwise: it must be a
 * TIFF, not larger than the configured limits, georeferenced in a CRS GeoCrop writes, with 51 float32 bands whose
 * descriptions are the {@code FEATURE_ORDER_V1} names in order, and a feature-order hash (the one recorded in the
 * file's {@code GEOCROP_FEATURE_ORDER_HASH} metadata if present, and the hash of its band names in any case) equal to
 * the model's. Files come from users ({@code uploads/}), so they are opened with tight read limits.
 */
public final class FeatureGeoTiffCheck {
    private static final int MAGIC_BYTES = 4;
    /**
     * {@link ReadLimits#strict()} with room for 51 pixel-interleaved float bands: one uncompressed 512 px tile of them
     * is 53 MB and a 1024 px one 214 MB, past the strict 16/64 MiB chunk limits, so chunks may be up to 256 MiB.
     */
    static final ReadLimits FEATURE_LIMITS = new ReadLimits(100_000, 100_000, 256, 16, 256, 1 << 20, 256L << 20,
            256L << 20, 1L << 28, 1L << 30);

    /**
     * How large a feature GeoTIFF may be.
     *
     * @param maxPixels width x height
     * @param maxBytes  object size
     */
    public record Limits(long maxPixels, long maxBytes) {
        public Limits {
            if (maxPixels <= 0 || maxBytes <= 0) {
                throw new IllegalArgumentException("feature tile limits must be positive, got " + maxPixels
                        + " pixels and " + maxBytes + " bytes");
            }
        }

        /** 16 Mpx (e.g. 4096 x 4096) and 4 GiB: an uncompressed 51-band float tile of that size is 3.3 GB. */
        public static Limits defaults() {
            return new Limits(16L << 20, 4L << 30);
        }
    }

    private final ObjectStore store;
    private final Limits limits;

    public FeatureGeoTiffCheck(ObjectStore store, Limits limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits in force. */
    public Limits limits() {
        return limits;
    }

    /**
     * Opens and checks {@code bucket/key} for a model trained on {@code modelFeatureOrderHash}.
     *
     * @return the open tile; the caller closes it
     * @throws ScoringException naming the object and what is wrong (also when it does not exist)
     * @throws IOException      when the store cannot be read (transient: worth a retry)
     */
    public CheckedFeatureGeoTiff open(Bucket bucket, String key, String modelFeatureOrderHash) throws IOException {
        String object = bucket.bucketName() + "/" + key;
        ObjectInfo info = store.head(bucket, key).orElseThrow(() -> new ScoringException(object, "the object does not exist (any more)"));
        if (info.size() > limits.maxBytes()) {
            throw new ScoringException(object, "it is " + info.size() + " bytes; feature GeoTIFFs may be at most "
                    + limits.maxBytes() + " bytes");
        }
        if (info.size() < 8) {
            throw new ScoringException(object, "it is not a TIFF file (only " + info.size() + " bytes)");
        }
        byte[] magic;
        try {
            magic = store.readRange(bucket, key, 0, MAGIC_BYTES);
        } catch (InvalidRangeException e) {
            throw new ScoringException(object, "it is not a TIFF file (it is empty)");
        }
        if (!isTiff(magic)) {
            throw new ScoringException(object, "it is not a TIFF file (it starts with " + hex(magic)
                    + "; a TIFF starts with II*. or MM.*)");
        }
        GeoTiff tiff;
        try {
            tiff = GeoTiffReader.open(new ObjectStoreByteSource(store, bucket, key), FEATURE_LIMITS);
        } catch (RasterFormatException e) {
            throw new ScoringException(object, "it is not a readable GeoTIFF: " + stripSource(e.getMessage(), object), e);
        }
        try {
            check(object, tiff.metadata(), modelFeatureOrderHash);
            return new CheckedFeatureGeoTiff(object, info.eTag(), info.size(), tiff);
        } catch (RuntimeException e) {
            tiff.close();
            throw e;
        }
    }

    private void check(String object, RasterMetadata m, String modelHash) {
        long pixels = (long) m.width() * m.height();
        if (pixels > limits.maxPixels()) {
            throw new ScoringException(object, "it is " + m.width() + " x " + m.height() + " = " + pixels
                    + " pixels; feature GeoTIFFs may have at most " + limits.maxPixels() + " pixels");
        }
        if (m.bands() != FeatureOrder.COUNT) {
            throw new ScoringException(object, "it has " + m.bands() + " band" + (m.bands() == 1 ? "" : "s")
                    + "; a feature GeoTIFF has " + FeatureOrder.COUNT + " (FEATURE_ORDER_V1, see docs/features.md)");
        }
        if (m.sampleType() != SampleType.FLOAT32) {
            throw new ScoringException(object, "its samples are " + m.sampleType()
                    + "; feature GeoTIFFs hold FLOAT32 features");
        }
        if (m.transform() == null || !m.transform().isNorthUp()) {
            throw new ScoringException(object, m.transform() == null ? "it has no georeferencing (no geotransform)"
                    : "its geotransform is rotated; feature GeoTIFFs are north-up");
        }
        if (m.epsg() == 0 || !GeoTiffTags.supportsEpsg(m.epsg())) {
            throw new ScoringException(object, (m.epsg() == 0 ? "its CRS has no EPSG code"
                    : "its CRS is EPSG:" + m.epsg()) + "; feature GeoTIFFs are in a WGS 84 / UTM zone (EPSG:326xx or 327xx)");
        }
        List<String> names = m.bandDescriptions();
        List<String> expected = FeatureOrder.FEATURE_ORDER_V1;
        for (int b = 0; b < expected.size(); b++) {
            String actual = m.bandDescription(b);
            if (!expected.get(b).equals(actual)) {
                throw new ScoringException(object, actual.isEmpty()
                        ? "band " + (b + 1) + " has no description; it must be named '" + expected.get(b)
                                + "' (band descriptions are the FEATURE_ORDER_V1 feature names, in order)"
                        : "band " + (b + 1) + " is '" + actual + "' but FEATURE_ORDER_V1 has '" + expected.get(b)
                                + "' there: the feature order does not match");
            }
        }
        String namesHash = FeatureOrder.hashOf(names.subList(0, expected.size()));
        String recorded = m.metadata().get(FeatureGeoTiff.FEATURE_ORDER_HASH);
        if (recorded != null && !recorded.equals(namesHash)) {
            throw new ScoringException(object, "its " + FeatureGeoTiff.FEATURE_ORDER_HASH + " metadata is " + recorded
                    + " but its band names hash to " + namesHash + ": the file contradicts itself");
        }
        if (modelHash != null && !modelHash.equals(namesHash)) {
            throw new ScoringException(object, "its feature order hash " + namesHash + " differs from the model's "
                    + modelHash + ": the model was trained on another feature order");
        }
    }

    static boolean isTiff(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        boolean little = b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0;
        boolean big = b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43);
        return little || big;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder("0x");
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    // The reader names its source (s3://bucket/key); the message already starts with the object.
    private static String stripSource(String message, String object) {
        if (message == null) {
            return "unknown error";
        }
        String prefix = "s3://" + object + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
