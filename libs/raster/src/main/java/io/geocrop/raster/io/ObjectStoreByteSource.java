package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.InvalidRangeException;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectNotFoundException;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.StorageException;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One object of GeoCrop's {@link ObjectStore}, read with {@link ObjectStore#readRange}: a ranged GET on S3/MinIO
 * in the cluster, a positional file read in the embedded store. Length comes from {@link ObjectStore#head};
 * {@link #read(List)} merges nearby ranges like {@link HttpByteSource} does. Retries are the store's business
 * (the S3 SDK retries transient failures itself). Storage failures become {@link IOException}s naming
 * {@code s3://bucket/key}: a missing object is a {@link FileNotFoundException}, a read past the end an
 * {@link EOFException}. The store is not closed by {@link #close()}. Thread-safe.
 */
public final class ObjectStoreByteSource implements InstrumentedByteSource {
    /** Merged requests in flight at once for one {@link #read(List)}, by default. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 4;

    private final ObjectStore store;
    private final Bucket bucket;
    private final String key;
    private final MergePolicy mergePolicy;
    private final int maxConcurrentRequests;
    private final String description;
    private final RequestStats stats = new RequestStats();
    private volatile long length = -1;

    /**
     * A source with the {@link MergePolicy#DEFAULT default merging} and {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}
     * parallel requests.
     *
     * @throws io.geocrop.storage.UnsafeKeyException if the key could escape its bucket
     */
    public ObjectStoreByteSource(ObjectStore store, Bucket bucket, String key) {
        this(store, bucket, key, MergePolicy.DEFAULT, DEFAULT_MAX_CONCURRENT_REQUESTS);
    }

    /**
     * @param mergePolicy           how nearby ranges are merged into one ranged GET
     * @param maxConcurrentRequests merged requests of one {@link #read(List)} in flight at once
     * @throws io.geocrop.storage.UnsafeKeyException if the key could escape its bucket
     */
    public ObjectStoreByteSource(ObjectStore store, Bucket bucket, String key, MergePolicy mergePolicy,
                                 int maxConcurrentRequests) {
        this.store = Objects.requireNonNull(store, "store");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.key = ObjectKeys.requireSafe(key);
        this.mergePolicy = Objects.requireNonNull(mergePolicy, "mergePolicy");
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, got " + maxConcurrentRequests);
        }
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.description = "s3://" + bucket.bucketName() + "/" + key;
    }

    @Override
    public long length() throws IOException {
        long n = length;
        if (n >= 0) {
            return n;
        }
        stats.recordRequest();
        ObjectInfo info;
        try {
            info = store.head(bucket, key).orElseThrow(() -> new FileNotFoundException(description + ": no such object"));
        } catch (StorageException e) {
            throw new IOException(description + ": cannot read the object's size: " + e.getMessage(), e);
        }
        length = info.size();
        return info.size();
    }

    @Override
    public byte[] read(long offset, int len) throws IOException {
        if (offset < 0 || len < 0) {
            throw new IllegalArgumentException(description + ": negative read " + offset + "+" + len);
        }
        if (len == 0) {
            long n = length();
            if (offset > n) {
                throw new EOFException(description + ": read at byte " + offset + " is past the end (" + n + " bytes)");
            }
            return new byte[0];
        }
        stats.recordRequest();
        try {
            byte[] data = store.readRange(bucket, key, offset, len);
            stats.recordBytes(data.length);
            return data;
        } catch (ObjectNotFoundException e) {
            FileNotFoundException missing = new FileNotFoundException(description + ": no such object");
            missing.initCause(e);
            throw missing;
        } catch (InvalidRangeException e) {
            EOFException eof = new EOFException(description + ": read at byte " + offset + " is past the end"
                    + (e.objectSize() >= 0 ? " (" + e.objectSize() + " bytes)" : ""));
            eof.initCause(e);
            throw eof;
        } catch (StorageException e) {
            throw new IOException(description + ": ranged read of bytes " + offset + "+" + len + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> read(List<ByteRange> ranges) throws IOException {
        return RangeMerger.read(ranges, mergePolicy, maxConcurrentRequests, this::read, description);
    }

    /** {@code s3://bucket/key}. */
    @Override
    public String describe() {
        return description;
    }

    @Override
    public RequestStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return "ObjectStoreByteSource[" + description + "]";
    }
}
