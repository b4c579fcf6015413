package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageEntry;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * An object read through {@link LocalObjectStorageOperations#retrieve(String)}. The caller must close
 * {@link #getInputStream()}.
 */
public final class LocalObjectStorageEntry implements ObjectStorageEntry<ObjectInfo> {

    private final ObjectInfo info;
    private final InputStream content;
    private final Map<String, String> metadata;

    LocalObjectStorageEntry(ObjectInfo info, InputStream content, Map<String, String> metadata) {
        this.info = info;
        this.content = content;
        this.metadata = Map.copyOf(metadata);
    }

    /** The object key. */
    @Override
    public String getKey() {
        return info.key();
    }

    /** The object's content, opened when the entry was retrieved. */
    @Override
    public InputStream getInputStream() {
        return content;
    }

    /** Size, ETag, content type and time of the object. */
    @Override
    public ObjectInfo getNativeEntry() {
        return info;
    }

    /** The user metadata stored with the object through an {@code UploadRequest}. */
    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** The content type the object was stored with. */
    @Override
    public Optional<String> getContentType() {
        return Optional.ofNullable(info.contentType());
    }
}
