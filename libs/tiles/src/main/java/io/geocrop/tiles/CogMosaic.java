package io.geocrop.tiles;

import io.geocrop.storage.Bucket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the COGs stored under one prefix, drawn as one layer: a tile takes, pixel by pixel, the first
 * source in key order that has data there (nodata and off-raster pixels let later sources show through).
 * Immutable; built by {@link MosaicIndex}.
 */
public final class CogMosaic {
    private final Bucket bucket;
    private final String prefix;
    private final List<MosaicSource> sources;
    private final LayerFootprint footprint;
    private final String version;

    /**
     * @param sources the COGs, in the order they are drawn (key order)
     */
    public CogMosaic(Bucket bucket, String prefix, List<MosaicSource> sources) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.sources = List.copyOf(sources);
        LayerFootprint union = null;
        for (MosaicSource s : this.sources) {
            union = union == null ? s.footprint() : union.union(s.footprint());
        }
        this.footprint = union;
        this.version = versionOf(this.sources);
    }

    public Bucket bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    /** Every source, in drawing order. */
    public List<MosaicSource> sources() {
        return sources;
    }

    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /** The union of the sources' footprints; empty when there are no sources. */
    public Optional<LayerFootprint> footprint() {
        return Optional.ofNullable(footprint);
    }

    /** Changes whenever a source is added, removed or replaced. */
    public String version() {
        return version;
    }

    /** The sources whose footprint overlaps the tile, in drawing order. */
    public List<MosaicSource> covering(TileCoord tile) {
        Bounds b = TileMath.mercatorBounds(tile);
        List<MosaicSource> out = new ArrayList<>();
        for (MosaicSource s : sources) {
            if (s.footprint().mercatorBounds().overlaps(b)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A short hash of the sources' keys and ETags in order: what tiles drawn from exactly these sources have in
     * common, and nothing else has.
     */
    public static String versionOf(List<MosaicSource> sources) {
        StringBuilder material = new StringBuilder("mosaic");
        for (MosaicSource s : sources) {
            material.append('\n').append(s.key()).append('|').append(s.eTag());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return bucket.bucketName() + "/" + prefix + " (" + sources.size() + " COGs, " + version + ")";
    }
}
