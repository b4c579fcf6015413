package io.geocrop.storage;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach the cluster's S3 (MinIO, or AWS itself).
 *
 * @param endpoint  the S3 endpoint, e.g. {@code http://minio.geocrop.svc:9000}; {@code null} means AWS's own
 * @param region    the signing region, e.g. {@code us-east-1} (MinIO accepts any)
 * @param accessKey the access key id
 * @param secretKey the secret key (never printed by {@link #toString()})
 * @param pathStyle {@code true} for {@code http://host/bucket/key} addressing, which MinIO needs
 */
public record S3StoreSettings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {

    /** Checks that region and credentials are present and the endpoint, if any, is an absolute URI. */
    public S3StoreSettings {
        if (endpoint != null && (!endpoint.isAbsolute() || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("S3 endpoint must be an absolute URI with a host, got " + endpoint);
        }
        requireText("region", region);
        requireText("accessKey", accessKey);
        requireText("secretKey", secretKey);
    }

    /** Settings for a MinIO at {@code endpoint}: region {@code us-east-1}, path-style addressing. */
    public static S3StoreSettings minio(URI endpoint, String accessKey, String secretKey) {
        return new S3StoreSettings(Objects.requireNonNull(endpoint, "endpoint"), "us-east-1", accessKey, secretKey,
                true);
    }

    /** The same settings with another secret key. */
    public S3StoreSettings withSecretKey(String newSecretKey) {
        return new S3StoreSettings(endpoint, region, accessKey, newSecretKey, pathStyle);
    }

    /** Shows everything except the secret key. */
    @Override
    public String toString() {
        return "S3StoreSettings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=****, pathStyle=" + pathStyle + "]";
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("S3 setting '" + field + "' must not be empty");
        }
    }
}
