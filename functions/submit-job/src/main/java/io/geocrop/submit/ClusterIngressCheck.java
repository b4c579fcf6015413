package io.geocrop.submit;

import io.geocrop.platform.EventSettings;
import io.geocrop.platform.StorageSettings;
import io.geocrop.platform.security.HttpSurface;
import io.geocrop.platform.security.IngressSettings;
import io.geocrop.platform.security.UnsafeConfigurationException;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up: a cluster deployment (Redis events or S3 storage) that serves the public routes needs an API key,
 * unless the operator declares the demo public ({@code geocrop.ingress.public-demo}), in which case the per-client
 * limits are the only brake and that is logged. The embedded runtime (laptop) needs neither.
 */
@Context
final class ClusterIngressCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterIngressCheck.class);

    ClusterIngressCheck(IngressSettings ingress, EventSettings events, StorageSettings storage, HttpSurface surface) {
        boolean cluster = events.cluster() || !"local".equalsIgnoreCase(storage.backend());
        if (!cluster || surface == HttpSurface.INTERNAL || ingress.hasApiKey()) {
            return;
        }
        if (!ingress.publicDemo()) {
            throw new UnsafeConfigurationException("a cluster deployment serving the public API needs an API key: set "
                    + "GEOCROP_INGRESS_API_KEY (Secret), or GEOCROP_INGRESS_PUBLIC_DEMO=true to let anyone submit jobs");
        }
        LOG.warn("Public demo: anyone may submit jobs (no API key); only the per-client rate limit ({} per {}) applies",
                ingress.rateLimit(), ingress.rateWindow());
    }
}
