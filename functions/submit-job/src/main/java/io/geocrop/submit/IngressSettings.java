package io.geocrop.submit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.ingress.*}: protection for a public demo.
 *
 * @param apiKey             when set, writes need {@code Authorization: Bearer <key>} or {@code X-API-Key}
 * @param rateLimit          writes per client per {@code rateWindow}
 * @param rateWindow         the rate-limit window
 * @param trustForwardedFor  use the first {@code X-Forwarded-For} address as the client (behind an ingress)
 * @param ssePollInterval    how often a progress stream looks at the job
 * @param sseMaxDuration     how long one progress stream may stay open
 */
@ConfigurationProperties("geocrop.ingress")
public record IngressSettings(
        @Nullable String apiKey,
        @Bindable(defaultValue = "30") int rateLimit,
        @Bindable(defaultValue = "1m") Duration rateWindow,
        @Bindable(defaultValue = "false") boolean trustForwardedFor,
        @Bindable(defaultValue = "500ms") Duration ssePollInterval,
        @Bindable(defaultValue = "10m") Duration sseMaxDuration) {}
