package io.geocrop.storage;

import java.time.Instant;

/**
 * An object was written: what a MinIO bucket notification says about an {@code s3:ObjectCreated:Put}.
 *
 * @param bucket      bucket name as in storage, e.g. {@code geocrop-features}
 * @param key         the object key (not URL-encoded)
 * @param size        bytes
 * @param eTag        the object's ETag without quotes
 * @param contentType the content type it was stored with
 * @param time        when the write completed
 */
public record StoredObjectEvent(String bucket, String key, long size, String eTag, String contentType, Instant time) {}
