package io.geocrop.submit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code geocrop.webhook.*}: the bearer token MinIO must present (env {@code GEOCROP_WEBHOOK_TOKEN}); the
 * webhook answers 503 while it is unset.
 */
@ConfigurationProperties("geocrop.webhook")
public record WebhookSettings(@Nullable String token) {}
