package io.geocrop.storage;

/** The object an operation needs does not exist. The message names the bucket and key. */
public class ObjectNotFoundException extends StorageException {

    /**
     * @param bucket bucket name as in storage
     * @param key    the missing key
     * @param cause  the vendor exception, or {@code null}
     */
    public ObjectNotFoundException(String bucket, String key, Throwable cause) {
        super(bucket, key, 404, "no such object", cause);
    }
}
