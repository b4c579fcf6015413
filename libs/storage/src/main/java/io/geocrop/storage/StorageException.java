package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageException;

/**
 * A storage backend failed. The message always names the bucket and, where there is one, the key, so a log line
 * is enough to find the object. It is a Micronaut {@link ObjectStorageException}, so callers of the
 * {@code ObjectStorageOperations} API can catch it the usual way.
 */
public class StorageException extends ObjectStorageException {

    private final String bucket;
    private final String key;
    private final int statusCode;

    /**
     * @param bucket     bucket name as in storage
     * @param key        the key involved, or {@code null} for bucket-level operations
     * @param statusCode the HTTP status the backend answered, or 0 when there was none
     * @param message    what went wrong (the bucket and key are prepended)
     * @param cause      the vendor exception, or {@code null}
     */
    public StorageException(String bucket, String key, int statusCode, String message, Throwable cause) {
        super(describe(bucket, key) + ": " + message, cause);
        this.bucket = bucket;
        this.key = key;
        this.statusCode = statusCode;
    }

    /** Same as the full constructor, without an HTTP status. */
    public StorageException(String bucket, String key, String message, Throwable cause) {
        this(bucket, key, 0, message, cause);
    }

    /** The bucket name the failure is about. */
    public String bucket() {
        return bucket;
    }

    /** The key the failure is about, or {@code null} for bucket-level operations. */
    public String key() {
        return key;
    }

    /** The HTTP status the backend answered (e.g. 403), or 0 when the failure had none. */
    public int statusCode() {
        return statusCode;
    }

    /** {@code s3://bucket/"key"} with the key quoted and escaped, or {@code s3://bucket} without a key. */
    static String describe(String bucket, String key) {
        return key == null ? "s3://" + bucket : "s3://" + bucket + "/" + ObjectKeys.quote(key);
    }
}
