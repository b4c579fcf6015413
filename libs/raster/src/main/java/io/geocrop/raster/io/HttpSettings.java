package io.geocrop.raster.io;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How an {@link HttpByteSource} talks to a server. Start from {@link #defaults()} and change what you need with
 * the {@code with...} methods.
 *
 * @param allowedHosts          hosts a source may contact (also after a redirect), lower case; an entry
 *                              {@code *.example.org} allows every sub-domain of example.org; empty = any host
 * @param connectTimeout        TCP/TLS connection timeout
 * @param requestTimeout        limit for one whole exchange, headers and body
 * @param maxAttempts           attempts per request, including the first (1 = no retry)
 * @param initialBackoff        wait before the first retry; doubled for every further one, up to
 *                              {@code maxBackoff}, with random jitter (half to all of the value)
 * @param maxBackoff            longest wait computed by the exponential backoff
 * @param retryBudget           total time one read may spend across its attempts and waits
 * @param maxRetryAfter         cap on a server's {@code Retry-After} (429/503), so a server cannot park a reader
 * @param mergeGapBytes         ranges closer than this are read as one request (see {@link MergePolicy})
 * @param maxMergedRequestBytes largest merged request
 * @param maxConcurrentRequests merged requests of one {@code read(List)} in flight at once
 * @param headerPrefetchBytes   bytes fetched from the start of the file by the first {@code length()} call
 *                              (and kept), so that one request gives both the length and a COG's header;
 *                              0 = ask the length with a HEAD request
 * @param maxWholeBodyBytes     largest file accepted whole from a server that ignores {@code Range}
 *                              (it is kept in memory); a larger one is an error, never downloaded
 * @param headers               extra request headers (e.g. {@code Authorization}); never printed, and not sent
 *                              after a redirect to another host
 */
public record HttpSettings(Set<String> allowedHosts, Duration connectTimeout, Duration requestTimeout,
                           int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration retryBudget,
                           Duration maxRetryAfter, int mergeGapBytes, int maxMergedRequestBytes,
                           int maxConcurrentRequests, int headerPrefetchBytes, long maxWholeBodyBytes,
                           Map<String, String> headers) {

    /** Validates every value and copies the collections. */
    public HttpSettings {
        allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        for (String host : allowedHosts) {
            if (host.isEmpty() || host.indexOf('*', host.startsWith("*.") ? 1 : 0) >= 0) {
                throw new IllegalArgumentException("allowed host must be a host name or *.domain, got '" + host + "'");
            }
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(retryBudget, "retryBudget");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, got " + maxConcurrentRequests);
        }
        if (headerPrefetchBytes < 0) {
            throw new IllegalArgumentException("headerPrefetchBytes must be >= 0, got " + headerPrefetchBytes);
        }
        if (maxWholeBodyBytes < 0 || maxWholeBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxWholeBodyBytes must be 0.." + (Integer.MAX_VALUE - 8)
                    + ", got " + maxWholeBodyBytes);
        }
        new MergePolicy(mergeGapBytes, maxMergedRequestBytes); // validates both
        headers = Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (name.equalsIgnoreCase("Range") || name.equalsIgnoreCase("Host")) {
                throw new IllegalArgumentException("header " + name + " is set by the byte source itself");
            }
        }
    }

    /**
     * Any host; 10 s to connect, 30 s per request; 5 attempts with backoff from 200 ms to 5 s within 60 s;
     * Retry-After honoured up to 10 s; 16 KiB merge gap, 16 MiB merged requests, 4 in parallel; 16 KiB header
     * prefetch; whole bodies up to 4 MiB.
     */
    public static HttpSettings defaults() {
        return new HttpSettings(Set.of(), Duration.ofSeconds(10), Duration.ofSeconds(30), 5,
                Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(10),
                16 * 1024, 16 * 1024 * 1024, 4, 16 * 1024, 4L * 1024 * 1024, Map.of());
    }

    /** Only these hosts (and, for {@code *.domain} entries, their sub-domains) may be contacted. */
    public HttpSettings withAllowedHosts(Set<String> hosts) {
        return new HttpSettings(hosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, headers);
    }

    /** Connection and per-request timeouts. */
    public HttpSettings withTimeouts(Duration connect, Duration request) {
        return new HttpSettings(allowedHosts, connect, request, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, headers);
    }

    /** Retry behaviour: attempts per request, backoff range and the total time budget of one read. */
    public HttpSettings withRetries(int attempts, Duration initial, Duration max, Duration budget) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, attempts, initial, max,
                budget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, headers);
    }

    /** The cap on a server's Retry-After. */
    public HttpSettings withMaxRetryAfter(Duration cap) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, cap, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, headers);
    }

    /** Range merging: largest gap read through, largest merged request, merged requests in flight at once. */
    public HttpSettings withMerging(int gapBytes, int maxRequestBytes, int concurrentRequests) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, gapBytes, maxRequestBytes, concurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, headers);
    }

    /** Bytes the first {@code length()} call fetches from the start of the file; 0 = use HEAD. */
    public HttpSettings withHeaderPrefetchBytes(int bytes) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                bytes, maxWholeBodyBytes, headers);
    }

    /** Largest file accepted whole from a server that ignores Range. */
    public HttpSettings withMaxWholeBodyBytes(long bytes) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, bytes, headers);
    }

    /** Extra request headers, e.g. {@code Authorization}. */
    public HttpSettings withHeaders(Map<String, String> extraHeaders) {
        return new HttpSettings(allowedHosts, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff,
                retryBudget, maxRetryAfter, mergeGapBytes, maxMergedRequestBytes, maxConcurrentRequests,
                headerPrefetchBytes, maxWholeBodyBytes, extraHeaders);
    }

    /** The merge policy these settings describe. */
    public MergePolicy mergePolicy() {
        return new MergePolicy(mergeGapBytes, maxMergedRequestBytes);
    }

    /** Whether {@code host} may be contacted (case-insensitive; an empty allowlist allows any host). */
    public boolean isHostAllowed(String host) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1); // IPv6 literal as it appears in a URI
        }
        for (String allowed : allowedHosts) {
            if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** Like the record's, but header values are not printed: they may be credentials. */
    @Override
    public String toString() {
        return "HttpSettings[allowedHosts=" + allowedHosts + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", retryBudget=" + retryBudget
                + ", maxRetryAfter=" + maxRetryAfter + ", mergeGapBytes=" + mergeGapBytes
                + ", maxMergedRequestBytes=" + maxMergedRequestBytes + ", maxConcurrentRequests="
                + maxConcurrentRequests + ", headerPrefetchBytes=" + headerPrefetchBytes
                + ", maxWholeBodyBytes=" + maxWholeBodyBytes + ", headers=" + new TreeMap<>(headers).keySet() + "]";
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
