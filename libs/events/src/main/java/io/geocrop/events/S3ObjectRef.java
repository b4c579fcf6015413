package io.geocrop.events;

/**
 * The object an S3/MinIO notification event is about, read from its data.
 *
 * @param bucket bucket name
 * @param key    object key, URL-decoded (as stored, e.g. {@code features/<job>/r0-c1.tif})
 * @param size   bytes, or -1 if the notification does not say (e.g. for deletions)
 * @param eTag   the ETag without quotes, or null if the notification does not say
 */
public record S3ObjectRef(String bucket, String key, long size, String eTag) {}
