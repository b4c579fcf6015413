package io.geocrop.imagery.stac;

import io.geocrop.domain.cost.WorkMeter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.io.Backoff;
import io.geocrop.raster.io.BoundedBodySubscriber;
import io.geocrop.raster.io.HttpByteSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A STAC API client: item search with paging, and single items.
 *
 * <ul>
 *   <li>Search is {@code POST <endpoint>/search} with a JSON body, or {@code GET} with query parameters
 *       ({@link StacSettings#searchMethod()}). A cloud limit is sent as the {@code query} extension
 *       ({@code {"eo:cloud_cover":{"lte":N}}}) and applied again to the answers, since not every server honours
 *       it.</li>
 *   <li>Paging follows {@code links[rel=next]}: a plain GET href, or a POST with {@code body} (merged into the
 *       previous body when {@code merge} is true), as the STAC API spec describes. It stops at the last page, at
 *       the item limit, at {@link StacSettings#maxPages()}, or when a next link repeats an earlier request (a
 *       loop); {@link StacSearchResult#stopReason()} says which.</li>
 *   <li>Results are de-duplicated by id (the first one seen wins) and sorted by datetime, then id.</li>
 *   <li>Connection failures, timeouts (also of a body that stalls), 429 and 5xx (but 501, 505) are retried with
 *       exponential backoff and jitter; a {@code Retry-After} is honoured up to
 *       {@link StacSettings#maxRetryAfter()}. Any other status fails at once. Failures are
 *       {@link StacException}s naming the method, URL, status and the server's error text (shortened).</li>
 *   <li>Every URL (endpoint, next links, redirects) must be on {@link StacSettings#allowedApiHosts()}; a refused
 *       host fails before any request. Response bodies above {@link StacSettings#maxResponseBytes()} are
 *       refused unread.</li>
 * </ul>
 * Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class StacClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StacClient.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_TEXT_CHARS = 300;
    private static final String ACCEPT = "application/geo+json, application/json;q=0.9";

    private final StacSettings settings;
    private final StacItemParser parser;
    private final HostPatterns apiHosts;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Waits between attempts; replaced in tests to observe the delays without waiting them out. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** A client whose items map hrefs with {@link StacSettings#hrefResolver()}. */
    public StacClient(StacSettings settings) {
        this(settings, new StacItemParser(settings.hrefResolver()));
    }

    /** A client with its own item parser (e.g. another {@link HrefResolver}). */
    public StacClient(StacSettings settings, StacItemParser parser) {
        this(settings, parser, Thread::sleep);
    }

    StacClient(StacSettings settings, StacItemParser parser, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.apiHosts = new HostPatterns(settings.allowedApiHosts(), "allowedApiHosts");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // followed here, so every hop passes the allowlist
                .build();
    }

    /** The settings of this client. */
    public StacSettings settings() {
        return settings;
    }

    /**
     * Runs a search and follows its pages.
     *
     * @throws StacException if a request fails, an answer is not a valid ItemCollection, an item is invalid or
     *                       a URL is not on the API allowlist
     */
    public StacSearchResult search(StacQuery query) {
        Objects.requireNonNull(query, "query");
        int maxItems = query.maxItems() != null ? query.maxItems() : settings.maxItems();
        Request request = firstRequest(query);
        Set<Request> seen = new HashSet<>();
        seen.add(request);
        Map<String, StacItem> byId = new LinkedHashMap<>();
        int pages = 0;
        int dropped = 0;
        int duplicates = 0;
        StacSearchResult.StopReason stop;
        while (true) {
            JsonNode page = fetchJson(request);
            pages++;
            List<StacItem> pageItems = parser.parseFeatureCollection(page, request.describe());
            boolean pageLeftOver = false;
            for (int i = 0; i < pageItems.size(); i++) {
                StacItem item = pageItems.get(i);
                if (byId.size() >= maxItems) {
                    pageLeftOver = true;
                    break;
                }
                if (!query.acceptsCloudCover(item.cloudCover())) {
                    dropped++;
                } else if (byId.putIfAbsent(item.id(), item) != null) {
                    duplicates++;
                }
            }
            Request next = nextRequest(page, request);
            if (pageLeftOver || byId.size() >= maxItems && next != null) {
                stop = StacSearchResult.StopReason.MAX_ITEMS;
                break;
            }
            if (next == null) {
                stop = StacSearchResult.StopReason.COMPLETE;
                break;
            }
            if (!seen.add(next)) {
                LOG.warn("STAC paging loop: the next link of page {} repeats an earlier request ({}); stopping with"
                        + " {} items", pages, next.describe(), byId.size());
                stop = StacSearchResult.StopReason.REPEATED_NEXT_LINK;
                break;
            }
            if (pages >= settings.maxPages()) {
                LOG.warn("STAC search stopped after {} pages (maxPages) with {} items; more are offered at {}",
                        pages, byId.size(), next.describe());
                stop = StacSearchResult.StopReason.MAX_PAGES;
                break;
            }
            request = next;
        }
        List<StacItem> items = new ArrayList<>(byId.values());
        items.sort(Comparator.comparing(StacItem::datetime).thenComparing(StacItem::id));
        LOG.debug("STAC search: {} items from {} pages ({} over the cloud limit, {} duplicates), {}", items.size(),
                pages, dropped, duplicates, stop);
        return new StacSearchResult(items, pages, dropped, duplicates, stop);
    }

    /**
     * One item, from {@code <endpoint>/collections/<collection>/items/<id>}.
     *
     * @throws StacException if the request fails (404 included) or the item is invalid
     */
    public StacItem item(String collection, String itemId) {
        requireSegment(collection, "collection");
        requireSegment(itemId, "item id");
        URI uri = settings.endpoint().resolve("collections/" + encodeSegment(collection) + "/items/"
                + encodeSegment(itemId));
        Request request = new Request("GET", uri, null);
        StacItem item = parser.parse(fetchJson(request));
        if (!item.id().equals(itemId)) {
            throw new StacException(request.describe() + " answered item " + item.id() + " instead of " + itemId,
                    uri, 200, null);
        }
        return item;
    }

    /** Shuts the HTTP client down. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    // --- requests --------------------------------------------------------------------------------------------

    /** One page request; equal requests mean a paging loop. JSON bodies compare by content. */
    private record Request(String method, URI uri, ObjectNode body) {
        String describe() {
            return method + " " + HttpByteSource.redact(uri);
        }
    }

    private Request firstRequest(StacQuery query) {
        List<String> collections = query.collections().isEmpty() ? List.of(settings.collection())
                : query.collections();
        int limit = query.limit() != null ? query.limit() : settings.pageSize();
        URI search = settings.searchUri();
        if (settings.searchMethod() == StacSettings.SearchMethod.POST) {
            ObjectNode body = StacJson.MAPPER.createObjectNode();
            ArrayNode c = body.putArray("collections");
            collections.forEach(c::add);
            if (query.bbox() != null) {
                body.putArray("bbox").add(query.bbox().minLon()).add(query.bbox().minLat())
                        .add(query.bbox().maxLon()).add(query.bbox().maxLat());
            }
            if (query.datetimeInterval() != null) {
                body.put("datetime", query.datetimeInterval());
            }
            body.put("limit", limit);
            if (query.maxCloudCover() != null && settings.sendCloudCoverQuery()) {
                body.set("query", cloudQuery(query.maxCloudCover()));
            }
            return new Request("POST", search, body);
        }
        StringJoiner params = new StringJoiner("&");
        params.add("collections=" + encode(String.join(",", collections)));
        if (query.bbox() != null) {
            params.add("bbox=" + encode(query.bbox().toQueryValue()));
        }
        if (query.datetimeInterval() != null) {
            params.add("datetime=" + encode(query.datetimeInterval()));
        }
        params.add("limit=" + limit);
        if (query.maxCloudCover() != null && settings.sendCloudCoverQuery()) {
            params.add("query=" + encode(cloudQuery(query.maxCloudCover()).toString()));
        }
        return new Request("GET", URI.create(search + "?" + params), null);
    }

    private static ObjectNode cloudQuery(double maxCloudCover) {
        ObjectNode q = StacJson.MAPPER.createObjectNode();
        q.putObject("eo:cloud_cover").put("lte", maxCloudCover);
        return q;
    }

    /** The request of the page's {@code next} link, or null on the last page. */
    private Request nextRequest(JsonNode page, Request current) {
        JsonNode links = page.get("links");
        if (links == null || !links.isArray()) {
            return null;
        }
        for (JsonNode link : links) {
            if (!"next".equals(StacJson.text(link, "rel"))) {
                continue;
            }
            String href = StacJson.text(link, "href");
            if (href == null || href.isBlank()) {
                throw new StacException("the next link of " + current.describe() + " has no href", current.uri(),
                        0, null);
            }
            URI uri;
            try {
                uri = current.uri().resolve(href.trim());
            } catch (IllegalArgumentException e) {
                throw new StacException("the next link of " + current.describe() + " is not a valid URL: "
                        + StacJson.excerpt(href, 200), current.uri(), 0, e);
            }
            String method = StacJson.text(link, "method");
            method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
            switch (method) {
                case "GET" -> {
                    return new Request("GET", uri, null);
                }
                case "POST" -> {
                    JsonNode body = link.get("body");
                    boolean merge = link.path("merge").asBoolean(false);
                    if (body != null && !body.isNull() && !body.isObject()) {
                        throw new StacException("the next link of " + current.describe()
                                + " has a body that is not a JSON object", current.uri(), 0, null);
                    }
                    ObjectNode next;
                    if (body == null || body.isNull() || merge) {
                        // No body: repeat the current one (a server that pages by URL); merge: overlay it.
                        next = current.body() != null ? current.body().deepCopy() : StacJson.MAPPER.createObjectNode();
                        if (body != null && body.isObject()) {
                            next.setAll((ObjectNode) body.deepCopy());
                        }
                    } else {
                        next = ((ObjectNode) body).deepCopy();
                    }
                    return new Request("POST", uri, next);
                }
                default -> throw new StacException("the next link of " + current.describe()
                        + " uses method " + StacJson.excerpt(method, 20) + "; only GET and POST are supported",
                        current.uri(), 0, null);
            }
        }
        return null;
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    private JsonNode fetchJson(Request request) {
        byte[] body = fetchWithRetries(request);
        JsonNode json;
        try {
            json = StacJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StacException(request.describe() + " answered malformed JSON: " + e.getOriginalMessage()
                    + StacItemParser.locationOf(e), request.uri(), 200, e);
        } catch (IOException e) {
            throw new StacException(request.describe() + " answered unreadable JSON: " + e.getMessage(),
                    request.uri(), 200, e);
        }
        if (json == null || !json.isObject()) {
            throw new StacException(request.describe() + " answered JSON that is not an object"
                    + (json == null ? " (empty body)" : " (" + json.getNodeType() + ")"), request.uri(), 200, null);
        }
        return json;
    }

    private byte[] fetchWithRetries(Request request) {
        requireApiHost(request.uri(), request);
        for (int attempt = 1; ; attempt++) {
            Retryable failure;
            try {
                return exchange(request);
            } catch (Retryable r) {
                failure = r;
            }
            if (attempt >= settings.maxAttempts()) {
                throw new StacException(request.describe() + " failed after " + attempt
                        + (attempt == 1 ? " attempt: " : " attempts: ") + failure.getMessage(), request.uri(),
                        failure.status, failure.getCause());
            }
            long delay = backoffMillis(attempt, failure.retryAfter);
            LOG.debug("{}: {}; retry {} in {} ms", request.describe(), failure.getMessage(), attempt, delay);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StacException(request.describe() + ": interrupted while waiting to retry", request.uri(),
                        0, e);
            }
        }
    }

    /** One attempt, following redirects by hand; returns the body of a 2xx answer. */
    private byte[] exchange(Request request) throws Retryable {
        String method = request.method();
        URI target = request.uri();
        byte[] payload = request.body() == null ? null : request.body().toString().getBytes(StandardCharsets.UTF_8);
        for (int hop = 0; ; hop++) {
            requireApiHost(target, request);
            HttpRequest.Builder b = HttpRequest.newBuilder(target)
                    .timeout(settings.requestTimeout())
                    .header("Accept", ACCEPT)
                    .header("User-Agent", "GeoCrop-STAC/1");
            if ("http".equalsIgnoreCase(target.getScheme())) {
                b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP
            }
            if (payload != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response = send(b.build(), request);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.body();
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null || hop >= MAX_REDIRECTS) {
                    throw new StacException(request.describe() + " answered HTTP " + status
                            + (location == null ? " without a Location header" : ": more than " + MAX_REDIRECTS
                            + " redirects"), target, status, null);
                }
                if (payload != null && status != 307 && status != 308) {
                    // 301/302/303 turn a POST into a GET, which would silently drop the search body.
                    throw new StacException(request.describe() + " was redirected (HTTP " + status + ") to "
                            + StacJson.excerpt(location, 200) + ", which would drop the search body; point the"
                            + " STAC endpoint at the new location", target, status, null);
                }
                try {
                    target = target.resolve(location.trim());
                } catch (IllegalArgumentException e) {
                    throw new StacException(request.describe() + " redirected to an invalid Location", target,
                            status, e);
                }
                continue;
            }
            String text = StacJson.excerpt(new String(response.body(), StandardCharsets.UTF_8), ERROR_TEXT_CHARS);
            String message = "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
            if (status == 429 || status >= 500 && status <= 599 && status != 501 && status != 505) {
                throw new Retryable(status, retryAfter(response.headers()), message, null);
            }
            throw new StacException(request.describe() + " answered " + message, target, status, null);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest httpRequest, Request request) throws Retryable {
        CompletableFuture<HttpResponse<byte[]>> future =
                http.sendAsync(httpRequest, BoundedBodySubscriber.handler(settings.maxResponseBytes()));
        long timeoutMillis = settings.requestTimeout().toMillis();
        WorkMeter.countCatalogueRequest(); // charged to the job whose planning searches, if any
        try {
            // HttpRequest.timeout covers the headers only; this also bounds a body that stalls half-way.
            HttpResponse<byte[]> response = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            WorkMeter.countCatalogueBytes(response.body() == null ? 0 : response.body().length);
            return response;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Retryable(0, null, "no complete answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StacException(request.describe() + ": interrupted", request.uri(), 0, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BoundedBodySubscriber.TooLarge tooLarge) {
                throw new StacException(request.describe() + ": the answer is too large ("
                        + tooLarge.getMessage() + ")", request.uri(), 0, tooLarge);
            }
            if (cause instanceof HttpTimeoutException timeout) {
                throw new Retryable(0, null, "timed out (" + timeout.getMessage() + ")", timeout);
            }
            if (cause instanceof IOException io) {
                throw new Retryable(0, null, io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()), io);
            }
            throw new StacException(request.describe() + " failed: " + cause, request.uri(), 0, cause);
        }
    }

    private void requireApiHost(URI uri, Request request) {
        if (!apiHosts.allows(uri)) {
            throw new StacException("refusing " + request.method() + " " + HttpByteSource.redact(uri) + ": host '"
                    + uri.getHost() + "' is not in allowedApiHosts " + settings.allowedApiHosts()
                    + (uri.equals(request.uri()) ? "" : " (reached from " + request.describe() + ")"), uri, 0, null);
        }
    }

    /** Exponential backoff with jitter, raised to a server's capped Retry-After ({@link Backoff#millis}). */
    long backoffMillis(int attempt, Duration retryAfter) {
        return Backoff.millis(attempt, settings.initialBackoff(), settings.maxBackoff(), retryAfter,
                settings.maxRetryAfter());
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        return Backoff.retryAfter(headers);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodeSegment(String s) {
        return encode(s).replace("+", "%20");
    }

    private static void requireSegment(String value, String what) {
        if (value == null || value.isBlank() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(what + " must be a non-blank path segment, got '" + value + "'");
        }
    }

    /** A failure worth another attempt; {@code status} 0 when there was no HTTP answer. */
    private static final class Retryable extends Exception {
        final int status;
        final transient Duration retryAfter;

        Retryable(int status, Duration retryAfter, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }
}
