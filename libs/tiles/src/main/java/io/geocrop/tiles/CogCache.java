package io.geocrop.tiles;

import io.geocrop.raster.ByteSource;
import io.geocrop.raster.DecodedBlockCache;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.io.CachingByteSource;
import io.geocrop.raster.io.ObjectStoreByteSource;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Keeps recently used COGs open, so a tile costs only the reads of its own pixels, not the header and IFDs
 * again. Each file is read through {@link ObjectStoreByteSource} (ranged GETs) behind a {@link CachingByteSource}.
 * Entries are keyed by bucket and key and remember the object's ETag: after {@code revalidateAfter} the next
 * use asks the store for the object's ETag again ({@code HEAD}) and reopens the file if it changed, or forgets
 * it if it is gone. At most {@code maxOpen} files are held, least recently used dropped first. Thread-safe.
 *
 * <p>Dropped files are not closed: a render on another thread may still be reading one, and they hold no
 * resources beyond heap (the object store outlives them), so the garbage collector reclaims them.
 */
public final class CogCache {
    private final ObjectStore store;
    private final int maxOpen;
    private final long blockCacheBytes;
    private final int blockSize;
    private final long revalidateNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Entry> open;
    private final DecodedBlockCache decoded;

    private record Entry(OpenCog cog, long checkedAt) {}

    /**
     * @param store           where the COGs live
     * @param maxOpen         most files kept open
     * @param blockCacheBytes bytes of each file's block cache (header, IFDs and hot tiles)
     * @param revalidateAfter how long an ETag is trusted before asking the store again; zero asks every time
     * @param nanoClock       time source in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public CogCache(ObjectStore store, int maxOpen, long blockCacheBytes, Duration revalidateAfter, LongSupplier nanoClock) {
        this(store, maxOpen, blockCacheBytes, 0, revalidateAfter, nanoClock);
    }

    /**
     * As above, with {@code decodedCacheBytes} of decoded blocks shared by every open file ({@link DecodedBlockCache}:
     * neighbouring tiles decode each COG block once, not once per tile); 0 turns it off.
     */
    public CogCache(ObjectStore store, int maxOpen, long blockCacheBytes, long decodedCacheBytes, Duration revalidateAfter,
                    LongSupplier nanoClock) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("must keep at least one COG open, got " + maxOpen);
        }
        if (revalidateAfter.isNegative()) {
            throw new IllegalArgumentException("revalidateAfter must not be negative, got " + revalidateAfter);
        }
        this.store = store;
        this.maxOpen = maxOpen;
        this.blockSize = 64 * 1024;
        this.blockCacheBytes = Math.max(blockCacheBytes, blockSize);
        this.revalidateNanos = revalidateAfter.toNanos();
        this.nanoClock = nanoClock;
        this.decoded = decodedCacheBytes > 0 ? new DecodedBlockCache(decodedCacheBytes) : null;
        this.open = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The open COG under {@code key}, opening it if needed; empty if there is no such object.
     *
     * @throws IOException              if the file cannot be read or is not a valid GeoTIFF
     * @throws IllegalArgumentException if it is a GeoTIFF tiles cannot be made from (see {@link LayerFootprint})
     */
    public Optional<OpenCog> open(Bucket bucket, String key) throws IOException {
        String id = bucket.bucketName() + "/" + key;
        long now = nanoClock.getAsLong();
        Entry entry;
        synchronized (open) {
            entry = open.get(id);
        }
        if (entry != null && now - entry.checkedAt() < revalidateNanos) {
            return Optional.of(entry.cog());
        }
        Optional<ObjectInfo> head = store.head(bucket, key);
        if (head.isEmpty()) {
            synchronized (open) {
                open.remove(id);
            }
            return Optional.empty();
        }
        String eTag = head.get().eTag();
        OpenCog cog;
        if (entry != null && entry.cog().eTag().equals(eTag)) {
            cog = entry.cog();
        } else {
            // Opened outside the lock: two threads may both open a new version; the last one stays, both are valid.
            ByteSource source = new CachingByteSource(new ObjectStoreByteSource(store, bucket, key), blockCacheBytes, blockSize);
            GeoTiff tiff = GeoTiffReader.open(source);
            if (decoded != null) {
                tiff.useDecodedCache(decoded);
            }
            cog = new OpenCog(bucket, key, eTag, tiff, LayerFootprint.of(tiff));
        }
        synchronized (open) {
            open.put(id, new Entry(cog, now));
            while (open.size() > maxOpen) {
                Map.Entry<String, Entry> eldest = open.entrySet().iterator().next();
                open.remove(eldest.getKey());
            }
        }
        return Optional.of(cog);
    }

    /** Files held open now. */
    public int size() {
        synchronized (open) {
            return open.size();
        }
    }
}
