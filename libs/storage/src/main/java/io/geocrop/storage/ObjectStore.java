package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageOperations;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * GeoCrop's object storage: one instance per process covers all {@link Bucket buckets}. Two implementations pass
 * the same contract tests: {@link LocalObjectStore} (embedded, local filesystem) and {@link S3ObjectStore}
 * (cluster, MinIO or any S3).
 *
 * <p>Every method checks its key with {@link ObjectKeys#requireSafe(String)} (prefixes with
 * {@link ObjectKeys#requireSafePrefix(String)}) before touching anything, and throws {@link UnsafeKeyException}
 * otherwise. Backend failures are thrown as {@link StorageException}, whose message names bucket and key.
 * Operating on a bucket that does not exist yet fails, except {@link #head} and {@link #delete}, which answer
 * as for a missing object (S3 answers those with a bare 404): call {@link #ensureBuckets()} once at start-up.
 */
public interface ObjectStore extends AutoCloseable {

    /** Content type used when a caller gives none. */
    String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    /**
     * The Micronaut Object Storage API for one bucket, for code written against {@link ObjectStorageOperations}.
     * Its methods apply the same key guard; uploads through it on the local store notify the listener too.
     */
    ObjectStorageOperations<?, ?, ?> operations(Bucket bucket);

    /** Creates whichever of the {@link Bucket buckets} do not exist yet. Safe to call more than once. */
    void ensureBuckets();

    /**
     * Stores {@code data} under {@code key}, replacing any object there.
     *
     * @param contentType the content type; {@code null} means {@value #DEFAULT_CONTENT_TYPE}
     */
    void put(Bucket bucket, String key, byte[] data, String contentType);

    /**
     * Stores the content of {@code file} under {@code key}, replacing any object there. The file is streamed, so
     * it may be larger than the heap.
     *
     * @param contentType the content type; {@code null} means {@value #DEFAULT_CONTENT_TYPE}
     */
    void put(Bucket bucket, String key, Path file, String contentType);

    /**
     * Opens the object for reading. The caller must close the stream.
     *
     * @return the content, or empty when there is no object under {@code key}
     */
    Optional<InputStream> get(Bucket bucket, String key);

    /**
     * Reads {@code length} bytes starting at {@code offset}, with HTTP range semantics: a range running past the
     * end returns the shorter tail.
     *
     * @throws ObjectNotFoundException when there is no object under {@code key}
     * @throws InvalidRangeException   when {@code offset} is at or beyond the end of the object
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative
     */
    byte[] readRange(Bucket bucket, String key, long offset, int length);

    /** Size, ETag, content type and time of the object, or empty when there is none. */
    Optional<ObjectInfo> head(Bucket bucket, String key);

    /**
     * The objects whose keys start with {@code prefix} ({@code ""} lists the whole bucket), sorted by key in
     * UTF-8 byte order. {@link ObjectInfo#contentType()} is {@code null} in the results.
     */
    List<ObjectInfo> list(Bucket bucket, String prefix);

    /**
     * Deletes the object under {@code key}.
     *
     * @return {@code true} if there was an object, {@code false} if there was none
     */
    boolean delete(Bucket bucket, String key);

    /** Releases the backend's resources (connections); it does not delete anything. */
    @Override
    void close();
}
