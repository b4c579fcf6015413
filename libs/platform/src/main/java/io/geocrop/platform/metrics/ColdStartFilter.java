package io.geocrop.platform.metrics;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Records {@link GeoCropMetrics#COLD_START} when the first real request of the process has been answered: every
 * event reaches a function over HTTP on a cluster, and the embedded runtime's first work is a request too. Probes
 * and scrapes ({@code /health/**}, {@code /prometheus}) do not count: Knative's readiness probe arrives before any
 * work.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ColdStartFilter {
    private final GeoCropMetrics metrics;
    private volatile boolean done;

    ColdStartFilter(GeoCropMetrics metrics) {
        this.metrics = metrics;
    }

    @ResponseFilter
    void afterResponse(HttpRequest<?> request) {
        if (done || isProbeOrScrape(request.getPath())) {
            return;
        }
        metrics.firstWorkHandled();
        done = true;
    }

    static boolean isProbeOrScrape(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/prometheus")
                || path.startsWith("/metrics");
    }
}
