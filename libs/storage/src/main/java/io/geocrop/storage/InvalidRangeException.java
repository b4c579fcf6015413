package io.geocrop.storage;

/**
 * A byte range starts at or beyond the end of the object (HTTP 416). A range that merely runs past the end is
 * not an error: it returns the short tail.
 */
public class InvalidRangeException extends StorageException {

    private final long offset;
    private final long objectSize;

    /**
     * @param bucket     bucket name as in storage
     * @param key        the object key
     * @param offset     the requested first byte
     * @param objectSize the object's size, or -1 when unknown
     * @param cause      the vendor exception, or {@code null}
     */
    public InvalidRangeException(String bucket, String key, long offset, long objectSize, Throwable cause) {
        super(bucket, key, 416, "range starts at byte " + offset + ", beyond the end of the object"
                + (objectSize >= 0 ? " (" + objectSize + " bytes)" : ""), cause);
        this.offset = offset;
        this.objectSize = objectSize;
    }

    /** The requested first byte. */
    public long offset() {
        return offset;
    }

    /** The object's size, or -1 when the backend did not say. */
    public long objectSize() {
        return objectSize;
    }
}
