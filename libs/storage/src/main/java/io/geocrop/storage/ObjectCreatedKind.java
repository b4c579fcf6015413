package io.geocrop.storage;

/**
 * How an object came to be, in the words of an S3 bucket notification ({@code s3:ObjectCreated:<kind>}): MinIO and
 * S3 name the request that created it, and so does the embedded store.
 */
public enum ObjectCreatedKind {
    /** A single PUT (also every write of GeoCrop's own code). */
    PUT("s3:ObjectCreated:Put"),
    /** A browser-form POST upload. */
    POST("s3:ObjectCreated:Post"),
    /** A server-side copy. */
    COPY("s3:ObjectCreated:Copy"),
    /** The completion of a multipart upload. */
    COMPLETE_MULTIPART_UPLOAD("s3:ObjectCreated:CompleteMultipartUpload");

    private final String eventName;

    ObjectCreatedKind(String eventName) {
        this.eventName = eventName;
    }

    /** The notification's {@code eventName}, e.g. {@code s3:ObjectCreated:Put}. */
    public String eventName() {
        return eventName;
    }
}
