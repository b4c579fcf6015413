package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageException;
import io.micronaut.objectstorage.ObjectStorageOperations;
import io.micronaut.objectstorage.request.FileUploadRequest;
import io.micronaut.objectstorage.request.UploadRequest;
import io.micronaut.objectstorage.response.UploadResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Micronaut Object Storage's {@link ObjectStorageOperations} for one bucket of a {@link LocalObjectStore}: the
 * project's own local-filesystem implementation (there is no {@code micronaut-object-storage-local} that resolves
 * here). Uploads and copies are atomic and notify the store's {@link ObjectCreatedListener}, like
 * {@link LocalObjectStore#put}. Keys are checked by the same guard; failures are {@link StorageException}s, which
 * are {@link ObjectStorageException}s.
 *
 * <p>Type parameters: the upload request consumer receives {@link UploadOptions}; the upload's native response
 * is the stored {@link ObjectInfo}; delete answers whether there was an object.
 */
public final class LocalObjectStorageOperations
        implements ObjectStorageOperations<LocalObjectStorageOperations.UploadOptions, ObjectInfo, Boolean> {

    private final LocalObjectStore store;
    private final Bucket bucket;

    LocalObjectStorageOperations(LocalObjectStore store, Bucket bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    /** The bucket these operations work on. */
    public Bucket bucket() {
        return bucket;
    }

    /** Stores the request's content under its key; the ETag in the response is the hex MD5, unquoted. */
    @Override
    public UploadResponse<ObjectInfo> upload(UploadRequest request) {
        return upload(request, options -> { });
    }

    /**
     * Stores the request's content under its key, after letting {@code requestConsumer} adjust the content type
     * and metadata.
     */
    @Override
    public UploadResponse<ObjectInfo> upload(UploadRequest request, Consumer<UploadOptions> requestConsumer) {
        Objects.requireNonNull(request, "request");
        String key = LocalObjectStore.checkedKey(request.getKey());
        UploadOptions options = new UploadOptions(request.getContentType().orElse(null), request.getMetadata());
        requestConsumer.accept(options);
        if (request instanceof FileUploadRequest fileRequest) {
            UploadFiles.requireReadable(bucket, key, fileRequest.getPath());
        }
        ObjectInfo info = store.write(bucket, key, request::getInputStream, options.contentType(), options.metadata());
        return UploadResponse.of(key, info.eTag(), info);
    }

    /** Opens the object; the caller must close the entry's input stream. */
    @Override
    @SuppressWarnings("unchecked")
    public Optional<LocalObjectStorageEntry> retrieve(String key) {
        LocalObjectStore.checkedKey(key);
        Path file = store.existingObjectFile(bucket, key, true);
        if (file == null) {
            return Optional.empty();
        }
        Optional<LocalObjectStore.StoredObject> object = store.stat(bucket, key, true);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        try {
            InputStream content = Files.newInputStream(object.get().file(), LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new LocalObjectStorageEntry(object.get().info(), content, object.get().metadata()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(bucket.bucketName(), key, "cannot open " + file, e);
        }
    }

    /** Deletes the object; {@code true} if there was one. */
    @Override
    public Boolean delete(String key) {
        return store.delete(bucket, key);
    }

    /** Whether there is an object under {@code key}. */
    @Override
    public boolean exists(String key) {
        LocalObjectStore.checkedKey(key);
        // Like S3's HEAD, a missing bucket answers "no such object" rather than failing.
        return store.existingObjectFile(bucket, key, false) != null;
    }

    /** Every key of the bucket, in UTF-8 byte order. */
    @Override
    public Set<String> listObjects() {
        Set<String> keys = new LinkedHashSet<>();
        for (ObjectInfo info : store.list(bucket, "")) {
            keys.add(info.key());
        }
        return keys;
    }

    /**
     * Copies an object within the bucket, keeping its content type and metadata; the copy notifies the listener.
     *
     * @throws ObjectNotFoundException when there is no object under {@code sourceKey}
     */
    @Override
    public void copy(String sourceKey, String destinationKey) {
        LocalObjectStore.checkedKey(sourceKey);
        LocalObjectStore.checkedKey(destinationKey);
        LocalObjectStore.StoredObject source = store.stat(bucket, sourceKey, true)
                .orElseThrow(() -> new ObjectNotFoundException(bucket.bucketName(), sourceKey, null));
        try {
            store.write(bucket, destinationKey, () -> Files.newInputStream(source.file(), LinkOption.NOFOLLOW_LINKS),
                    source.info().contentType(), source.metadata(), ObjectCreatedKind.COPY);
        } catch (StorageException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                // deleted between stat and read
                throw new ObjectNotFoundException(bucket.bucketName(), sourceKey, e);
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "LocalObjectStorageOperations[" + bucket.bucketName() + " in " + store.root() + "]";
    }

    /** What an upload's request consumer may change before the object is written. */
    public static final class UploadOptions {
        private String contentType;
        private final Map<String, String> metadata;

        UploadOptions(String contentType, Map<String, String> metadata) {
            this.contentType = contentType;
            this.metadata = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        }

        /** The content type to store; {@code null} means {@value ObjectStore#DEFAULT_CONTENT_TYPE}. */
        public String contentType() {
            return contentType;
        }

        /** Sets the content type to store. */
        public UploadOptions contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /** The user metadata to store, mutable. */
        public Map<String, String> metadata() {
            return metadata;
        }
    }
}
