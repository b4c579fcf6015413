package io.geocrop.tiles;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CogMosaic} of every {@code .tif} under a prefix, kept between requests: the prefix is listed again
 * after {@code ttl}, or at once after {@link #invalidate} (a new object was written). Only objects that are new or
 * whose ETag changed are opened (through the {@link CogCache}, one header read each) to learn their footprint;
 * the others keep the footprint already known. An object that is not a renderable GeoTIFF is left out with a
 * warning (once per ETag), so one bad upload does not take the layer down. Thread-safe; one listing at a time per
 * prefix, concurrent callers wait for it and share its result.
 */
public final class MosaicIndex {
    private static final Logger LOG = LoggerFactory.getLogger(MosaicIndex.class);

    private final ObjectStore store;
    private final CogCache cogs;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Listed> listed = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Footprints by {@code bucket/key}, with the ETag they were computed for. */
    private final Map<String, MosaicSource> known = new ConcurrentHashMap<>();
    /** ETags of objects found unusable, by {@code bucket/key}: not retried until the object changes. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();

    /** Bumped by {@link #invalidate}, by {@code bucket/prefix}: a listing made under an older value is stale. */
    private final Map<String, Long> generations = new ConcurrentHashMap<>();

    private record Listed(CogMosaic mosaic, long listedAt, long generation) {}

    /**
     * @param ttl       how long a listing is trusted; zero lists on every call
     * @param nanoClock time source in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public MosaicIndex(ObjectStore store, CogCache cogs, Duration ttl, LongSupplier nanoClock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
        }
        this.store = store;
        this.cogs = cogs;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * The mosaic of the COGs under {@code prefix}, listing the store again if the last listing is older than the
     * TTL or was invalidated.
     *
     * @throws UncheckedIOException if listing the store fails
     */
    public CogMosaic mosaic(Bucket bucket, String prefix) {
        ObjectKeys.requireSafePrefix(prefix);
        String id = bucket.bucketName() + "/" + prefix;
        Listed current = listed.get(id);
        if (fresh(id, current)) {
            return current.mosaic();
        }
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            current = listed.get(id);
            if (fresh(id, current)) {
                return current.mosaic(); // another caller listed while this one waited
            }
            long generation = generations.getOrDefault(id, 0L);
            long now = nanoClock.getAsLong();
            CogMosaic mosaic = new CogMosaic(bucket, prefix, sources(bucket, prefix));
            listed.put(id, new Listed(mosaic, now, generation));
            return mosaic;
        }
    }

    /** Forgets the listing of {@code prefix}: the next {@link #mosaic} call lists again. */
    public void invalidate(Bucket bucket, String prefix) {
        generations.merge(bucket.bucketName() + "/" + prefix, 1L, Long::sum);
    }

    private boolean fresh(String id, Listed l) {
        return l != null && l.generation() == generations.getOrDefault(id, 0L)
                && nanoClock.getAsLong() - l.listedAt() < ttlNanos;
    }

    private List<MosaicSource> sources(Bucket bucket, String prefix) {
        List<ObjectInfo> objects = new ArrayList<>(store.list(bucket, prefix));
        objects.sort(ObjectInfo.BY_KEY);
        List<MosaicSource> out = new ArrayList<>();
        for (ObjectInfo o : objects) {
            if (!o.key().toLowerCase(Locale.ROOT).endsWith(".tif") && !o.key().toLowerCase(Locale.ROOT).endsWith(".tiff")) {
                continue;
            }
            String id = bucket.bucketName() + "/" + o.key();
            MosaicSource k = known.get(id);
            if (k != null && k.eTag().equals(o.eTag())) {
                out.add(k);
                continue;
            }
            if (o.eTag().equals(rejected.get(id))) {
                continue;
            }
            open(bucket, o, id).ifPresent(out::add);
        }
        return out;
    }

    private Optional<MosaicSource> open(Bucket bucket, ObjectInfo o, String id) {
        try {
            Optional<OpenCog> cog = cogs.open(bucket, o.key());
            if (cog.isEmpty()) {
                return Optional.empty(); // deleted since it was listed
            }
            MosaicSource s = new MosaicSource(o.key(), cog.get().eTag(), cog.get().footprint());
            known.put(id, s);
            rejected.remove(id);
            return Optional.of(s);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Leaving {} out of the mosaic: {}", id, e.getMessage());
            rejected.put(id, o.eTag());
            return Optional.empty();
        }
    }
}
