package io.geocrop.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * An object was written: what a MinIO bucket notification says about an {@code s3:ObjectCreated:*} event.
 *
 * @param bucket      bucket name as in storage, e.g. {@code geocrop-features}
 * @param key         the object key (not URL-encoded)
 * @param size        bytes
 * @param eTag        the object's ETag without quotes
 * @param contentType the content type it was stored with
 * @param time        when the write completed
 * @param kind        the request that created it (PUT for GeoCrop's own writes)
 */
public record StoredObjectEvent(String bucket, String key, long size, String eTag, String contentType, Instant time,
                                ObjectCreatedKind kind) {
    public StoredObjectEvent {
        Objects.requireNonNull(kind, "kind");
    }

    /** An object created by a single PUT. */
    public StoredObjectEvent(String bucket, String key, long size, String eTag, String contentType, Instant time) {
        this(bucket, key, size, eTag, contentType, time, ObjectCreatedKind.PUT);
    }
}
