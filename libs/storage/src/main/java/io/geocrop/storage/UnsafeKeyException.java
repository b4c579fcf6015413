package io.geocrop.storage;

/**
 * An object key was refused by {@link ObjectKeys#requireSafe(String)}: it could escape its bucket directory, be
 * read differently by another tool, or is not a valid S3 key at all. Nothing was read or written.
 */
public class UnsafeKeyException extends IllegalArgumentException {

    private final String key;
    private final String reason;

    /**
     * @param key    the refused key as given (may be {@code null})
     * @param reason why it was refused, in words a user can act on
     */
    public UnsafeKeyException(String key, String reason) {
        super("Unsafe object key " + ObjectKeys.quote(key) + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** The refused key exactly as it was given (may be {@code null}). */
    public String key() {
        return key;
    }

    /** Why the key was refused. */
    public String reason() {
        return reason;
    }
}
