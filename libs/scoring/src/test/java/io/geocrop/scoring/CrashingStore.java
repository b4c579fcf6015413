package io.geocrop.scoring;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.StorageException;
import io.micronaut.objectstorage.ObjectStorageOperations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that "crashes" the first {@code failures} uploads of keys ending in {@code suffix}: the file that would
 * have been stored is kept at {@code captured} and the upload fails as a lost connection would. Everything else goes
 * to the real store. Fault injection for the crash-mid-assembly test.
 */
final class CrashingStore implements ObjectStore {
    private final ObjectStore delegate;
    private final String suffix;
    private final Path captured;
    private final AtomicInteger failures;

    CrashingStore(ObjectStore delegate, String suffix, Path captured, int failures) {
        this.delegate = delegate;
        this.suffix = suffix;
        this.captured = captured;
        this.failures = new AtomicInteger(failures);
    }

    @Override
    public ObjectStorageOperations<?, ?, ?> operations(Bucket bucket) {
        return delegate.operations(bucket);
    }

    @Override
    public void ensureBuckets() {
        delegate.ensureBuckets();
    }

    @Override
    public void put(Bucket bucket, String key, byte[] data, String contentType) {
        delegate.put(bucket, key, data, contentType);
    }

    @Override
    public void put(Bucket bucket, String key, Path file, String contentType) {
        if (key.endsWith(suffix) && failures.getAndDecrement() > 0) {
            try {
                Files.copy(file, captured, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new StorageException(bucket.bucketName(), key, "connection reset (injected crash)", null);
        }
        delegate.put(bucket, key, file, contentType);
    }

    @Override
    public Optional<InputStream> get(Bucket bucket, String key) {
        return delegate.get(bucket, key);
    }

    @Override
    public byte[] readRange(Bucket bucket, String key, long offset, int length) {
        return delegate.readRange(bucket, key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> head(Bucket bucket, String key) {
        return delegate.head(bucket, key);
    }

    @Override
    public List<ObjectInfo> list(Bucket bucket, String prefix) {
        return delegate.list(bucket, prefix);
    }

    @Override
    public boolean delete(Bucket bucket, String key) {
        return delegate.delete(bucket, key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
