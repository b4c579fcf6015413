package io.geocrop.raster;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded (decompressed, predictor undone) blocks of open GeoTIFFs, least recently used dropped first, bounded in
 * bytes; shared by every file that {@link GeoTiff#useDecodedCache uses} it. A map tile of a COG reads a window that
 * falls in one to four 512 px blocks, and its neighbours read the same blocks: decoding each once instead of once
 * per tile is what GDAL's block cache does, and what lets many concurrent tiles share the work. The blocks are
 * never written after they are cached (readers copy out of them). Thread-safe.
 */
public final class DecodedBlockCache {
    private final long maxBytes;
    private final LinkedHashMap<Key, Object> blocks = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** A block of one image (compared by identity: a reopened file is a new image) of one file. */
    private record Key(Object image, int block) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.image == image && k.block == block;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(image) * 31 + block;
        }
    }

    /** @param maxBytes most bytes of decoded samples kept; 0 keeps none */
    public DecodedBlockCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The decoded samples of {@code block} of {@code image}, or null. */
    public synchronized Object get(Object image, int block) {
        Object samples = blocks.get(new Key(image, block));
        if (samples == null) {
            misses++;
        } else {
            hits++;
        }
        return samples;
    }

    /** Keeps {@code samples} (a primitive array, not to be written afterwards) as {@code block} of {@code image}. */
    public synchronized void put(Object image, int block, Object samples) {
        long size = sizeOf(samples);
        if (size > maxBytes) {
            return;
        }
        Object previous = blocks.put(new Key(image, block), samples);
        bytes += size - (previous == null ? 0 : sizeOf(previous));
        Iterator<Map.Entry<Key, Object>> eldest = blocks.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= sizeOf(eldest.next().getValue());
            eldest.remove();
        }
    }

    /** Bytes held now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Lookups that found their block, and lookups that did not, since creation. */
    public synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }

    private static long sizeOf(Object samples) {
        return switch (samples) {
            case byte[] b -> b.length;
            case short[] s -> 2L * s.length;
            case int[] i -> 4L * i.length;
            case long[] l -> 8L * l.length;
            case float[] f -> 4L * f.length;
            case double[] d -> 8L * d.length;
            default -> throw new IllegalArgumentException("not a sample array: " + samples.getClass());
        };
    }
}
