package io.geocrop.imagery.stac;

import io.geocrop.raster.io.HttpByteSource;
import io.geocrop.raster.io.HttpSettings;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link StacClient} talks to a STAC API and which asset hosts may be read. Start from {@link #defaults()}
 * (Digital Earth Africa) and change what you need with {@link #toBuilder()}.
 *
 * @param endpoint               the STAC API root; search is {@code <endpoint>/search}
 * @param collection             the collection searched when a query names none
 * @param searchMethod           POST (JSON body, the default) or GET (query parameters, for servers without POST)
 * @param sendCloudCoverQuery    whether to send the {@code query} extension filter on {@code eo:cloud_cover}
 *                               (the cloud filter is applied on the client as well either way); turn off for a
 *                               server that rejects unknown parameters
 * @param connectTimeout         TCP/TLS connection timeout
 * @param requestTimeout         limit for one whole exchange, headers and body
 * @param maxAttempts            attempts per request, including the first (1 = no retry)
 * @param initialBackoff         wait before the first retry; doubled for every further one up to {@code maxBackoff},
 *                               with random jitter (half to all of the value)
 * @param maxBackoff             longest wait of the exponential backoff
 * @param maxRetryAfter          cap on a server's {@code Retry-After}, so a server cannot park a job
 * @param pageSize               items per page ({@code limit}) when a query does not say
 * @param maxPages               pages fetched per search at most; the search stops there, flagged incomplete
 * @param maxItems               items per search at most when a query does not say
 * @param maxResponseBytes       largest response body accepted; a larger one fails without being downloaded
 * @param allowedApiHosts        hosts the client may send requests to (including next links and redirects)
 * @param allowedAssetHosts      hosts assets may be read from, see {@link #isAssetHostAllowed(URI)}
 * @param defaultS3Region        region for {@code s3://} hrefs of items without {@code storage:region}
 * @param s3BucketRegions        known bucket regions, which win over an item's {@code storage:region}
 *                               (see {@link HrefResolver#s3ToHttps})
 */
public record StacSettings(URI endpoint, String collection, SearchMethod searchMethod, boolean sendCloudCoverQuery,
                           Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
                           Duration maxBackoff, Duration maxRetryAfter, int pageSize, int maxPages, int maxItems,
                           long maxResponseBytes, Set<String> allowedApiHosts, Set<String> allowedAssetHosts,
                           String defaultS3Region, Map<String, String> s3BucketRegions) {

    /** How search requests are sent. */
    public enum SearchMethod { POST, GET }

    /** Digital Earth Africa's STAC API. */
    public static final URI DEA_ENDPOINT = URI.create("https://explorer.digitalearth.africa/stac/");
    /** Loopback, for the embedded mode's local STAC API and for tests. */
    public static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    /** Validates every value, normalises the endpoint to end with a slash and copies the collections. */
    public StacSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null
                || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("STAC endpoint must be an http(s) URL with a host and no query,"
                    + " got " + endpoint);
        }
        if (!endpoint.getRawPath().endsWith("/")) {
            // URI.resolve("search") must stay below the API root: https://host/v1 would resolve to /search
            endpoint = URI.create(endpoint + "/");
        }
        if (collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("collection must not be blank");
        }
        Objects.requireNonNull(searchMethod, "searchMethod");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        requireAtLeast(maxAttempts, 1, "maxAttempts");
        requireAtLeast(pageSize, 1, "pageSize");
        requireAtLeast(maxPages, 1, "maxPages");
        requireAtLeast(maxItems, 1, "maxItems");
        if (maxResponseBytes < 1024 || maxResponseBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxResponseBytes must be 1024.." + (Integer.MAX_VALUE - 8)
                    + ", got " + maxResponseBytes);
        }
        allowedApiHosts = normalised(allowedApiHosts, "allowedApiHosts");
        allowedAssetHosts = normalised(allowedAssetHosts, "allowedAssetHosts");
        Objects.requireNonNull(defaultS3Region, "defaultS3Region");
        s3BucketRegions = Map.copyOf(s3BucketRegions);
        HrefResolver.s3ToHttps(defaultS3Region, s3BucketRegions); // validates the region ids
        if (!new HostPatterns(allowedApiHosts, "allowedApiHosts").allows(endpoint)) {
            throw new IllegalArgumentException("the STAC endpoint host '" + endpoint.getHost()
                    + "' is not in allowedApiHosts " + allowedApiHosts);
        }
    }

    /**
     * Digital Earth Africa, collection {@code s2_l2a}, POST search; 10 s to connect, 60 s per request; 4 attempts
     * with backoff from 500 ms to 8 s, Retry-After honoured up to 30 s; 100 items per page, at most 50 pages and
     * 5000 items; responses up to 32 MiB. API hosts: DEA and loopback. Asset hosts: DEA's Sentinel-2 bucket and
     * DEA's other {@code deafrica-*} buckets in af-south-1, Earth Search's {@code sentinel-cogs} bucket, and
     * loopback. {@code s3://} hrefs default to af-south-1, and DEA's {@code deafrica-sentinel-2} bucket is known
     * to be there.
     */
    public static StacSettings defaults() {
        Set<String> assetHosts = new LinkedHashSet<>();
        assetHosts.add("deafrica-sentinel-2.s3.af-south-1.amazonaws.com");
        assetHosts.add("deafrica-*.s3.af-south-1.amazonaws.com");
        assetHosts.add("sentinel-cogs.s3.us-west-2.amazonaws.com");
        assetHosts.addAll(LOOPBACK);
        Set<String> apiHosts = new LinkedHashSet<>();
        apiHosts.add(DEA_ENDPOINT.getHost());
        apiHosts.addAll(LOOPBACK);
        return new StacSettings(DEA_ENDPOINT, "s2_l2a", SearchMethod.POST, true, Duration.ofSeconds(10),
                Duration.ofSeconds(60), 4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30),
                100, 50, 5000, 32L * 1024 * 1024, apiHosts, assetHosts, "af-south-1",
                Map.of("deafrica-sentinel-2", "af-south-1"));
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code <endpoint>/search}. */
    public URI searchUri() {
        return endpoint.resolve("search");
    }

    /** Whether requests may go to this URL: http(s) and a host on {@link #allowedApiHosts()}. */
    public boolean isApiHostAllowed(URI uri) {
        return new HostPatterns(allowedApiHosts, "allowedApiHosts").allows(uri);
    }

    /**
     * Whether an asset may be read from this URL: http(s) and a host on {@link #allowedAssetHosts()}. Check it
     * before opening an asset: the hrefs come from the catalogue, and a hostile or broken one must not make
     * GeoCrop fetch from arbitrary hosts.
     */
    public boolean isAssetHostAllowed(URI uri) {
        return new HostPatterns(allowedAssetHosts, "allowedAssetHosts").allows(uri);
    }

    /** Like {@link #isAssetHostAllowed} but throws a {@link StacException} naming the URL and the allowlist. */
    public URI requireAssetHostAllowed(URI uri) {
        if (!isAssetHostAllowed(uri)) {
            throw new StacException("refusing to read asset " + HttpByteSource.redact(uri) + ": host '"
                    + (uri == null ? null : uri.getHost()) + "' is not in allowedAssetHosts " + allowedAssetHosts,
                    uri, 0, null);
        }
        return uri;
    }

    /**
     * {@link HttpSettings} for reading assets with {@code HttpByteSource}, restricted to the asset hosts that are
     * plain names or {@code *.domain} patterns (its allowlist knows no other patterns; label wildcards are
     * widened to nothing, so check {@link #isAssetHostAllowed} first for those hosts).
     */
    public HttpSettings assetHttpSettings() {
        Set<String> simple = new LinkedHashSet<>();
        for (String host : allowedAssetHosts) {
            if (host.indexOf('*') < 0 || host.startsWith("*.") && host.indexOf('*', 1) < 0) {
                simple.add(host);
            }
        }
        return HttpSettings.defaults().withAllowedHosts(simple);
    }

    /** The href mapping these settings describe: {@link HrefResolver#s3ToHttps} with the regions above. */
    public HrefResolver hrefResolver() {
        return HrefResolver.s3ToHttps(defaultS3Region, s3BucketRegions);
    }

    private static Set<String> normalised(Set<String> hosts, String what) {
        Objects.requireNonNull(hosts, what);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty: list the hosts that may be contacted");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts) {
            out.add(HostPatterns.normalise(h, what));
        }
        return Collections.unmodifiableSet(out);
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

    private static void requireAtLeast(long v, long min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        }
    }

    /** Changes some settings; {@link #build()} validates them all. */
    public static final class Builder {
        private URI endpoint;
        private String collection;
        private SearchMethod searchMethod;
        private boolean sendCloudCoverQuery;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private int maxAttempts;
        private Duration initialBackoff;
        private Duration maxBackoff;
        private Duration maxRetryAfter;
        private int pageSize;
        private int maxPages;
        private int maxItems;
        private long maxResponseBytes;
        private Set<String> allowedApiHosts;
        private Set<String> allowedAssetHosts;
        private String defaultS3Region;
        private Map<String, String> s3BucketRegions;

        private Builder(StacSettings s) {
            endpoint = s.endpoint;
            collection = s.collection;
            searchMethod = s.searchMethod;
            sendCloudCoverQuery = s.sendCloudCoverQuery;
            connectTimeout = s.connectTimeout;
            requestTimeout = s.requestTimeout;
            maxAttempts = s.maxAttempts;
            initialBackoff = s.initialBackoff;
            maxBackoff = s.maxBackoff;
            maxRetryAfter = s.maxRetryAfter;
            pageSize = s.pageSize;
            maxPages = s.maxPages;
            maxItems = s.maxItems;
            maxResponseBytes = s.maxResponseBytes;
            allowedApiHosts = s.allowedApiHosts;
            allowedAssetHosts = s.allowedAssetHosts;
            defaultS3Region = s.defaultS3Region;
            s3BucketRegions = s.s3BucketRegions;
        }

        /** The STAC API root, e.g. {@code https://earth-search.aws.element84.com/v1}. */
        public Builder endpoint(URI value) {
            endpoint = value;
            return this;
        }

        /** The collection searched when a query names none. */
        public Builder collection(String value) {
            collection = value;
            return this;
        }

        /** POST or GET search. */
        public Builder searchMethod(SearchMethod value) {
            searchMethod = value;
            return this;
        }

        /** Whether the {@code query} extension cloud filter is sent. */
        public Builder sendCloudCoverQuery(boolean value) {
            sendCloudCoverQuery = value;
            return this;
        }

        /** Connection and whole-exchange timeouts. */
        public Builder timeouts(Duration connect, Duration request) {
            connectTimeout = connect;
            requestTimeout = request;
            return this;
        }

        /** Attempts per request and the backoff range. */
        public Builder retries(int attempts, Duration initial, Duration max) {
            maxAttempts = attempts;
            initialBackoff = initial;
            maxBackoff = max;
            return this;
        }

        /** The cap on a server's Retry-After. */
        public Builder maxRetryAfter(Duration value) {
            maxRetryAfter = value;
            return this;
        }

        /** Default page size, page limit and item limit of a search. */
        public Builder paging(int pageSizeValue, int maxPagesValue, int maxItemsValue) {
            pageSize = pageSizeValue;
            maxPages = maxPagesValue;
            maxItems = maxItemsValue;
            return this;
        }

        /** The largest response body accepted. */
        public Builder maxResponseBytes(long value) {
            maxResponseBytes = value;
            return this;
        }

        /** Hosts the client may send requests to. */
        public Builder allowedApiHosts(Set<String> value) {
            allowedApiHosts = value;
            return this;
        }

        /** Hosts assets may be read from. */
        public Builder allowedAssetHosts(Set<String> value) {
            allowedAssetHosts = value;
            return this;
        }

        /** Region of s3:// hrefs without storage:region, and regions known per bucket. */
        public Builder s3Regions(String defaultRegion, Map<String, String> bucketRegions) {
            defaultS3Region = defaultRegion;
            s3BucketRegions = bucketRegions;
            return this;
        }

        /** Validated settings. */
        public StacSettings build() {
            return new StacSettings(endpoint, collection, searchMethod, sendCloudCoverQuery, connectTimeout,
                    requestTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, pageSize, maxPages,
                    maxItems, maxResponseBytes, allowedApiHosts, allowedAssetHosts, defaultS3Region,
                    s3BucketRegions);
        }
    }
}
