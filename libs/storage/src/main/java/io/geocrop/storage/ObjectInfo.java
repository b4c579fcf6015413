package io.geocrop.storage;

import java.time.Instant;
import java.util.Comparator;

/**
 * What a store knows about one object without reading it.
 *
 * @param key          the object key
 * @param size         size in bytes
 * @param eTag         the ETag without quotes; for single-part uploads the hex MD5 of the content
 * @param contentType  the content type it was stored with; {@code null} in {@link ObjectStore#list} results,
 *                     because S3 listings do not carry it (use {@link ObjectStore#head} when it matters)
 * @param lastModified when the object was last written (S3 keeps whole seconds)
 */
public record ObjectInfo(String key, long size, String eTag, String contentType, Instant lastModified) {

    /** Orders by key the way S3 lists objects (UTF-8 byte order). */
    public static final Comparator<ObjectInfo> BY_KEY = Comparator.comparing(ObjectInfo::key, ObjectKeys.UTF8_ORDER);
}
