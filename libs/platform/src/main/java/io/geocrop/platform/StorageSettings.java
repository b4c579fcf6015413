package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;

/**
 * {@code geocrop.storage.*}: {@code backend} is {@code local} (files under {@code local-root}, the embedded
 * default) or {@code s3} (MinIO or any S3 API at {@code s3-endpoint}).
 */
@ConfigurationProperties("geocrop.storage")
public record StorageSettings(
        @Bindable(defaultValue = "local") String backend,
        @Nullable Path localRoot,
        @Nullable String s3Endpoint,
        @Bindable(defaultValue = "us-east-1") String s3Region,
        @Nullable String s3AccessKey,
        @Nullable String s3SecretKey,
        @Bindable(defaultValue = "true") boolean s3PathStyle) {}
