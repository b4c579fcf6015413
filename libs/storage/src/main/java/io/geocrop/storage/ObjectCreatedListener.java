package io.geocrop.storage;

/**
 * Told about every object a storage implementation creates, after the object is fully visible to readers.
 * The local store calls it the way MinIO would call its webhook target.
 */
@FunctionalInterface
public interface ObjectCreatedListener {

    /** A listener that ignores every event, for stores nobody needs to hear from. */
    ObjectCreatedListener NONE = event -> { };

    /**
     * Called once per created object (put, upload or copy), on the writing thread, after the object is in place.
     *
     * @param event what was written
     */
    void objectCreated(StoredObjectEvent event);
}
