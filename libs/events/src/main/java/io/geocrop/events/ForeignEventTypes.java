package io.geocrop.events;

/**
 * CloudEvent types that GeoCrop receives but does not define: they are fixed by the Knative sources and by
 * the CloudEvents AWS S3 adapter mapping, so Trigger filters and handlers refer to them by these names.
 */
public final class ForeignEventTypes {

    /** What Knative's RedisStreamSource sends for every stream entry (data = the entry's fields as a JSON array). */
    public static final String REDIS_STREAM = "dev.knative.sources.redisstream";

    /** What a Knative PingSource sends on its schedule (used for the periodic reconciler). */
    public static final String PING = "dev.knative.sources.ping";

    /** Prefix of every S3/MinIO bucket notification type: {@code com.amazonaws.s3.<eventName>}. */
    public static final String S3_PREFIX = "com.amazonaws.s3.";

    /** An object was written with a single PUT (the event feature tiles and results produce). */
    public static final String S3_OBJECT_CREATED_PUT = S3_PREFIX + "ObjectCreated:Put";

    private ForeignEventTypes() {}

    /** True if {@code type} is an S3/MinIO bucket notification type. */
    public static boolean isS3(String type) {
        return type != null && type.startsWith(S3_PREFIX);
    }
}
