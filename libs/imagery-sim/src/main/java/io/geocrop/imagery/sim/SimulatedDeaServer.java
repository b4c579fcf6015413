package io.geocrop.imagery.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server (JDK {@code HttpServer}, loopback, ephemeral port by default) that speaks to clients as
 * Digital Earth Africa does: a STAC API under {@code /stac} and COG assets with HTTP range requests.
 *
 * <ul>
 *   <li>{@code GET /stac} landing page, {@code /stac/conformance}, {@code /stac/collections},
 *       {@code /stac/collections/s2_l2a}, {@code /stac/collections/s2_l2a/items[/{id}]};</li>
 *   <li>{@code GET} and {@code POST /stac/search}: see {@link StacSearch}; pages of {@code limit} items with a
 *       {@code next} link (for POST: {@code method: POST}, {@code body: {token}}, {@code merge: true}, as DEA and
 *       stac-fastapi do; for GET: an href with the token);</li>
 *   <li>{@code GET}/{@code HEAD /assets/{item-id}/{band}.tif} and {@code /truth/{scene}.tif}: the COG, generated on
 *       first request; single ranges {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n} answer 206 with
 *       Content-Range, unsatisfiable ones 416; multiple ranges are answered with the whole file (RFC 9110 lets a
 *       server ignore Range).</li>
 * </ul>
 * Errors are JSON {@code {"code": ..., "description": ...}} (stac-fastapi's shape): 400 for bad parameters, 404 for
 * unknown paths, items and assets, 405 for other methods. An optional latency is slept before each answer, to
 * imitate a round trip to the real catalogue, and every request and body byte is counted.
 */
public final class SimulatedDeaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDeaServer.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern ASSET = Pattern.compile("/assets/([A-Za-z0-9_\\-]+)/([A-Za-z0-9]+)\\.tif");
    private static final Pattern TRUTH = Pattern.compile("/truth/([A-Za-z0-9\\-]+)\\.tif");
    private static final Pattern ITEM = Pattern.compile("/stac/collections/([^/]+)/items/([^/]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final SimulatedDea dea;
    private final HttpServer server;
    private final ExecutorService executor;
    /** Requests handled at once; more wait in the queue (the simulated latency sleeps in these threads). */
    private static final int MAX_HANDLER_THREADS = 64;
    private final URI baseUri;
    private final Duration latency;
    private final Supplier<Instant> clock;
    private final AtomicLong requests = new AtomicLong(), searches = new AtomicLong(), assetRequests = new AtomicLong(),
            bytesSent = new AtomicLong(), latencyNanos = new AtomicLong();

    /**
     * Counters since start (or the last {@link #resetStats()}).
     *
     * @param requests        every HTTP request
     * @param searchRequests  item searches (GET/POST {@code /stac/search} and the items endpoint)
     * @param assetRequests   requests for asset and truth COGs (GET and HEAD)
     * @param bodyBytesSent   response body bytes (JSON and COG ranges)
     * @param simulatedLatency total latency slept on purpose (requests x the configured latency)
     */
    public record Stats(long requests, long searchRequests, long assetRequests, long bodyBytesSent,
                        Duration simulatedLatency) {}

    /**
     * Server settings.
     *
     * @param address bind address; port 0 picks a free port
     * @param latency slept before every answer (zero for none)
     * @param clock   "now", the end of open datetime intervals
     */
    public record Options(InetSocketAddress address, Duration latency, Supplier<Instant> clock) {
        public Options {
            if (address == null || latency == null || latency.isNegative() || clock == null) {
                throw new IllegalArgumentException("address, a non-negative latency and a clock are required");
            }
        }

        /** Loopback, ephemeral port, no latency, the system clock. */
        public static Options defaults() {
            return new Options(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ZERO, Instant::now);
        }

        /** The same options on another bind address (port 0: any free port). */
        public Options withAddress(InetSocketAddress a) {
            return new Options(a, latency, clock);
        }

        public Options withLatency(Duration d) {
            return new Options(address, d, clock);
        }

        public Options withClock(Supplier<Instant> c) {
            return new Options(address, latency, c);
        }
    }

    private SimulatedDeaServer(SimulatedDea dea, Options options) throws IOException {
        this.dea = dea;
        this.latency = options.latency();
        this.clock = options.clock();
        this.server = HttpServer.create(options.address(), 64);
        // Platform threads, not virtual ones: generating a scene is seconds of CPU, and a virtual thread is not
        // time-sliced, so a few generating requests would pin every carrier and starve the embedded server's own
        // virtual-thread handlers (a status request then timed out after 30 s). The OS time-slices these.
        this.executor = platformPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        InetSocketAddress bound = server.getAddress();
        this.baseUri = URI.create("http://" + hostForUri(bound) + ":" + bound.getPort() + "/");
        LOG.info("simulated DEA STAC API at {}stac (seed {}, latency {} ms)", baseUri, dea.seed(), latency.toMillis());
    }

    private static ExecutorService platformPool() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                MAX_HANDLER_THREADS, MAX_HANDLER_THREADS, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "simulated-dea-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Starts a server for {@code dea} on loopback with an ephemeral port and no latency. */
    public static SimulatedDeaServer start(SimulatedDea dea) throws IOException {
        return start(dea, Options.defaults());
    }

    /** Starts a server with explicit options. */
    public static SimulatedDeaServer start(SimulatedDea dea, Options options) throws IOException {
        if (dea == null || options == null) {
            throw new IllegalArgumentException("dea and options must not be null");
        }
        return new SimulatedDeaServer(dea, options);
    }

    /** {@code http://host:port/}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The STAC API root, {@code http://host:port/stac}. */
    public URI stacUri() {
        return baseUri.resolve("stac");
    }

    public Stats stats() {
        return new Stats(requests.get(), searches.get(), assetRequests.get(), bytesSent.get(),
                Duration.ofNanos(latencyNanos.get()));
    }

    public void resetStats() {
        requests.set(0);
        searches.set(0);
        assetRequests.set(0);
        bytesSent.set(0);
        latencyNanos.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        // Not try-with-resources: the exchange must stay open for the catch blocks to answer.
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency);
                latencyNanos.addAndGet(latency.toNanos());
            }
            route(ex);
        } catch (MethodNotAllowed e) {
            sendError(ex, 405, "MethodNotAllowed", e.getMessage());
        } catch (StacSearch.BadRequest e) {
            sendError(ex, 400, "BadRequest", e.getMessage());
        } catch (IllegalArgumentException e) {
            sendError(ex, 400, "BadRequest", e.getMessage());
        } catch (UnknownItemException e) {
            sendError(ex, 404, "NotFound", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            safeError(ex, e);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            safeError(ex, e);
        } finally {
            ex.close();
        }
    }

    private void safeError(HttpExchange ex, Exception e) {
        try {
            if (ex.getResponseCode() < 0) {
                sendError(ex, 500, "ServerError", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Matcher m;
        if ((m = ASSET.matcher(path)).matches()) {
            requireMethod(ex, "GET", "HEAD");
            assetRequests.incrementAndGet();
            S2Band band;
            try {
                band = S2Band.parse(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new UnknownItemException("item " + m.group(1) + " has no asset " + m.group(2));
            }
            serveFile(ex, dea.asset(m.group(1), band));
            return;
        }
        if ((m = TRUTH.matcher(path)).matches()) {
            requireMethod(ex, "GET", "HEAD");
            assetRequests.incrementAndGet();
            serveFile(ex, dea.truth(m.group(1)));
            return;
        }
        if ((m = ITEM.matcher(path)).matches()) {
            requireMethod(ex, "GET");
            requireCollection(m.group(1));
            sendJson(ex, 200, dea.item(m.group(2), baseUri), "application/geo+json");
            return;
        }
        switch (path) {
            case "/stac" -> {
                requireMethod(ex, "GET");
                sendJson(ex, 200, StacDocuments.landing(baseUri), "application/json");
            }
            case "/stac/conformance" -> {
                requireMethod(ex, "GET");
                ObjectNode c = JSON.objectNode();
                ArrayNode list = c.putArray("conformsTo");
                StacDocuments.CONFORMANCE.forEach(list::add);
                sendJson(ex, 200, c, "application/json");
            }
            case "/stac/collections" -> {
                requireMethod(ex, "GET");
                ObjectNode c = JSON.objectNode();
                c.putArray("collections").add(dea.collection(baseUri));
                ArrayNode links = c.putArray("links");
                StacDocuments.link(links, "self", baseUri + "stac/collections", "application/json");
                StacDocuments.link(links, "root", baseUri + "stac", "application/json");
                sendJson(ex, 200, c, "application/json");
            }
            case "/stac/search" -> {
                searches.incrementAndGet();
                if (method.equals("POST")) {
                    search(ex, StacSearch.fromJson(readJsonBody(ex), clock), true, "stac/search");
                } else {
                    requireMethod(ex, "GET", "POST");
                    search(ex, StacSearch.fromQueryParameters(queryParameters(ex), clock), false, "stac/search");
                }
            }
            default -> {
                if (path.startsWith("/stac/collections/") && path.endsWith("/items")) {
                    requireMethod(ex, "GET");
                    String collection = path.substring("/stac/collections/".length(), path.length() - "/items".length());
                    requireCollection(collection);
                    searches.incrementAndGet();
                    Map<String, String> params = queryParameters(ex);
                    if (params.containsKey("collections")) {
                        throw new StacSearch.BadRequest("collections is not a parameter of an items endpoint");
                    }
                    search(ex, StacSearch.fromQueryParameters(params, clock), false, path.substring(1));
                } else if (path.startsWith("/stac/collections/")) {
                    requireMethod(ex, "GET");
                    requireCollection(path.substring("/stac/collections/".length()));
                    sendJson(ex, 200, dea.collection(baseUri), "application/json");
                } else {
                    sendError(ex, 404, "NotFound", "no resource at " + path);
                }
            }
        }
    }

    private void search(HttpExchange ex, StacSearch s, boolean post, String selfPath) throws IOException {
        List<SimulatedItemId> matched = new ArrayList<>();
        if (s.includesCollection(SimulatedDea.COLLECTION)) {
            List<SimulatedItemId> candidates;
            if (s.bbox() != null) {
                candidates = dea.search(s.bbox(), s.start(), s.end());
            } else if (s.ids() != null) {
                candidates = new ArrayList<>();
                for (String id : s.ids()) {
                    try {
                        SimulatedItemId resolved = dea.resolve(id);
                        Instant t = SimulatedDea.acquisitionTime(resolved.scene(), resolved.date());
                        if (!t.isBefore(s.start()) && !t.isAfter(s.end())) {
                            candidates.add(resolved);
                        }
                    } catch (UnknownItemException e) {
                        // an unknown id simply matches nothing, as in any STAC API
                    }
                }
            } else {
                throw new StacSearch.BadRequest("bbox (or intersects, or ids) is required: the simulated catalogue"
                        + " generates its scenes around the searched area");
            }
            if (s.query() != null) {
                candidates.parallelStream().forEach(dea::stats); // cloud statistics are the costly part; warm them in parallel
            }
            for (SimulatedItemId id : candidates) {
                if (s.ids() != null && !s.ids().contains(id.toString())) {
                    continue;
                }
                String platform = id.platformCode().equals("S2A") ? "sentinel-2a" : "sentinel-2b";
                if (s.query() == null || s.matches(platform, dea.stats(id).cloudCover())) {
                    matched.add(id);
                }
            }
        }
        int from = Math.min(s.offset(), matched.size());
        int to = Math.min(from + s.limit(), matched.size());
        matched.subList(from, to).parallelStream().forEach(dea::stats);
        ObjectNode fc = JSON.objectNode();
        fc.put("type", "FeatureCollection");
        ArrayNode features = fc.putArray("features");
        for (SimulatedItemId id : matched.subList(from, to)) {
            features.add(dea.item(id, baseUri));
        }
        ArrayNode links = fc.putArray("links");
        StacDocuments.link(links, "root", baseUri + "stac", "application/json");
        if (to < matched.size()) {
            ObjectNode next = StacDocuments.link(links, "next", baseUri + selfPath, "application/geo+json");
            if (post) {
                next.put("method", "POST");
                next.putObject("body").put("token", s.nextToken());
                next.put("merge", true);
            } else {
                Map<String, String> params = queryParameters(ex);
                params.remove("page");
                params.put("token", s.nextToken());
                next.put("href", baseUri + selfPath + "?" + encode(params));
                next.put("method", "GET");
            }
        }
        fc.put("numberMatched", matched.size());
        fc.put("numberReturned", to - from);
        ObjectNode context = fc.putObject("context");
        context.put("returned", to - from);
        context.put("limit", s.limit());
        context.put("matched", matched.size());
        sendJson(ex, 200, fc, "application/geo+json");
    }

    private void serveFile(HttpExchange ex, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            var headers = ex.getResponseHeaders();
            headers.set("Content-Type", SimulatedDea.COG_MEDIA_TYPE);
            headers.set("Accept-Ranges", "bytes");
            if (ex.getRequestMethod().equals("HEAD")) {
                headers.set("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            long start = 0, end = length - 1;
            int status = 200;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long a, b;
                try {
                    if (m.group(1).isEmpty()) { // suffix: the last n bytes
                        long n = Long.parseLong(m.group(2));
                        a = Math.max(0, length - n);
                        b = n == 0 ? -1 : length - 1;
                    } else {
                        a = Long.parseLong(m.group(1));
                        b = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
                    }
                } catch (NumberFormatException tooLong) {
                    a = Long.MAX_VALUE;
                    b = -1;
                }
                boolean ignored = !m.group(1).isEmpty() && !m.group(2).isEmpty()
                        && Long.parseLong(m.group(1)) > Long.parseLong(m.group(2)); // invalid: ignore Range
                if (!ignored) {
                    if (a >= length || b < a) {
                        headers.set("Content-Range", "bytes */" + length);
                        sendError(ex, 416, "RangeNotSatisfiable", "range " + range + " is outside the " + length + " bytes of "
                                + file.getFileName());
                        return;
                    }
                    start = a;
                    end = b;
                    status = 206;
                    headers.set("Content-Range", "bytes " + start + "-" + end + "/" + length);
                }
            }
            long count = end - start + 1;
            ex.sendResponseHeaders(status, count == 0 ? -1 : count);
            if (count > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    var target = Channels.newChannel(out);
                    long done = 0;
                    while (done < count) {
                        done += ch.transferTo(start + done, count - done, target);
                    }
                }
                bytesSent.addAndGet(count);
            }
        }
    }

    private static void requireMethod(HttpExchange ex, String... allowed) {
        for (String m : allowed) {
            if (m.equals(ex.getRequestMethod())) {
                return;
            }
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new MethodNotAllowed(ex.getRequestMethod() + " is not allowed here; use " + String.join(" or ", allowed));
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String message) {
            super(message);
        }
    }

    private static void requireCollection(String id) {
        if (!SimulatedDea.COLLECTION.equals(id)) {
            throw new UnknownItemException("no collection '" + id + "'; this catalogue has " + SimulatedDea.COLLECTION);
        }
    }

    private static JsonNode readJsonBody(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new StacSearch.BadRequest("search body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (body.length == 0) {
            return JSON.objectNode();
        }
        try {
            return SimulatedDea.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StacSearch.BadRequest("search body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> queryParameters(HttpExchange ex) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.put(name, value) != null) {
                throw new StacSearch.BadRequest("parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    private static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    private void sendJson(HttpExchange ex, int status, JsonNode body, String contentType) throws IOException {
        byte[] bytes = SimulatedDea.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        bytesSent.addAndGet(bytes.length);
    }

    private void sendError(HttpExchange ex, int status, String code, String description) throws IOException {
        ObjectNode err = JSON.objectNode();
        err.put("code", code);
        err.put("description", description);
        sendJson(ex, status, err, "application/json");
    }

    private static String hostForUri(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
