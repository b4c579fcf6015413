package io.geocrop.platform.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.ingress.*}: protection of the public routes.
 *
 * @param apiKey           when set, public writes need {@code Authorization: Bearer <key>} or {@code X-API-Key}
 * @param rateLimit        public writes per client per {@code rateWindow}
 * @param rateWindow       the rate-limit window
 * @param trustedProxyHops proxies in front of the server that append to {@code X-Forwarded-For}: the client is the
 *                         entry that many hops from the right (0: the socket peer; Knative: 2, see docs/security.md)
 * @param publicDemo       the operator's explicit "anyone may submit" for a cluster without an API key
 * @param ssePollInterval  how often the shared poll of a followed job looks at the job store
 * @param sseMaxDuration   how long one progress stream may stay open
 * @param ssePerClient     progress streams one client may hold open at once (429 beyond)
 * @param ssePerInstance   progress streams this instance holds open at once (503 beyond)
 */
@ConfigurationProperties("geocrop.ingress")
public record IngressSettings(
        @Nullable String apiKey,
        @Bindable(defaultValue = "30") int rateLimit,
        @Bindable(defaultValue = "1m") Duration rateWindow,
        @Bindable(defaultValue = "0") int trustedProxyHops,
        @Bindable(defaultValue = "false") boolean publicDemo,
        @Bindable(defaultValue = "500ms") Duration ssePollInterval,
        @Bindable(defaultValue = "10m") Duration sseMaxDuration,
        @Bindable(defaultValue = "4") int ssePerClient,
        @Bindable(defaultValue = "1000") int ssePerInstance) {

    /** Whether an API key is configured. */
    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }
}
