package io.geocrop.raster.io;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.raster.ByteRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file behind an HTTP(S) URL, read with range requests ({@code Range: bytes=a-b}, answered 206).
 *
 * <ul>
 *   <li>Length: from the {@code Content-Range} total of any ranged answer; the first {@link #length()} call
 *       fetches the first {@link HttpSettings#headerPrefetchBytes()} bytes (kept for later reads, so a COG's
 *       header costs no second request) or, with prefetch 0, sends a HEAD.</li>
 *   <li>A server that ignores {@code Range} (200 with the whole body) is accepted for files up to
 *       {@link HttpSettings#maxWholeBodyBytes()}, kept in memory and sliced; a larger one is refused as soon as
 *       its headers arrive, without downloading it.</li>
 *   <li>416 (range not satisfiable) is an {@link EOFException}.</li>
 *   <li>Timeouts, connection errors, truncated bodies, 408, 429 and 5xx (except 501/505) are retried with
 *       exponential backoff and jitter, within {@link HttpSettings#maxAttempts()} and
 *       {@link HttpSettings#retryBudget()}; {@code Retry-After} is honoured up to
 *       {@link HttpSettings#maxRetryAfter()}. Other statuses fail at once with {@link HttpStatusException}.</li>
 *   <li>Every URL, including redirect targets, is checked against {@link HttpSettings#allowedHosts()} before it
 *       is contacted ({@link HostNotAllowedException}). Redirects are followed by this class (at most 5), and
 *       credentials are not forwarded to another host.</li>
 *   <li>{@link #read(List)} merges nearby ranges (see {@link MergePolicy}) and runs the merged requests in
 *       parallel, at most {@link HttpSettings#maxConcurrentRequests()} at once.</li>
 *   <li>Credentials given as {@code user:password@} in the URL become a Basic {@code Authorization} header. Neither
 *       they, nor header values, nor query-parameter values (pre-signed URL signatures) appear in
 *       {@link #describe()} or in any exception message.</li>
 * </ul>
 * Thread-safe.
 */
public final class HttpByteSource implements InstrumentedByteSource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpByteSource.class);
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE =
            Pattern.compile("\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNSATISFIED_RANGE =
            Pattern.compile("\\s*bytes\\s+\\*/(\\d{1,18})\\s*", Pattern.CASE_INSENSITIVE);

    private final URI uri;
    private final String description;
    private final HttpSettings settings;
    private final HttpClient client;
    private final boolean ownsClient;
    private final Map<String, String> headers;
    private final RequestStats stats = new RequestStats();
    /** Held by {@link #length()} while it asks the server, so that concurrent callers ask only once. */
    private final Object lengthLock = new Object();
    /** Guards updates of {@link #length} from any answer; never held during I/O. */
    private final Object recordLock = new Object();
    private volatile long length = -1;
    private volatile boolean closed;
    /** The whole file, when a server ignored Range or the prefetch covered all of it. */
    private volatile byte[] wholeFile;
    /** The first bytes of the file, fetched by {@link #length()}. */
    private volatile byte[] prefix;

    /**
     * A source with its own {@link HttpClient}, closed by {@link #close()}.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
     */
    public HttpByteSource(URI uri, HttpSettings settings) {
        this(uri, settings, newClient(settings), true);
    }

    /**
     * A source on a shared client (one connection pool for many files); {@link #close()} leaves it open. The
     * client must not follow redirects itself, or the allowlist could be bypassed: use {@link #newClient}.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host, or the client
     *                                  follows redirects
     */
    public HttpByteSource(URI uri, HttpSettings settings, HttpClient client) {
        this(uri, settings, client, false);
    }

    private HttpByteSource(URI uri, HttpSettings settings, HttpClient client, boolean ownsClient) {
        Objects.requireNonNull(uri, "uri");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL with a host: " + redact(uri));
        }
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HttpClient must not follow redirects (the allowlist is checked"
                    + " on every hop by HttpByteSource); build it with HttpByteSource.newClient");
        }
        Map<String, String> h = new LinkedHashMap<>(settings.headers());
        if (uri.getRawUserInfo() != null) {
            String userInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        this.headers = Map.copyOf(h);
        this.uri = withoutUserInfo(uri);
        this.description = redact(uri);
    }

    /** A client suitable for shared use: the settings' connect timeout, no automatic redirects. */
    public static HttpClient newClient(HttpSettings settings) {
        return HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public long length() throws IOException {
        long n = length;
        if (n >= 0) {
            return n;
        }
        synchronized (lengthLock) {
            if (length >= 0) {
                return length;
            }
            int prefetch = settings.headerPrefetchBytes();
            if (prefetch > 0 && wholeFile == null) {
                try {
                    byte[] head = fetchRange(0, prefetch);
                    if (wholeFile == null) {
                        if (length >= 0 && head.length >= length) {
                            wholeFile = head;
                        } else {
                            prefix = head;
                        }
                    }
                } catch (EOFException empty) {
                    // 416 on bytes=0-...: an empty file; the total was recorded when the server gave it.
                }
                if (length >= 0) {
                    return length;
                }
            }
            long fromHead = withRetries("HEAD", null, this::headOnce);
            if (fromHead < 0) {
                // No Content-Length on HEAD (or HEAD refused): a one-byte GET tells the total in Content-Range.
                try {
                    fetchRange(0, 1);
                } catch (EOFException empty) {
                    // recorded by the 416 handler when the server said "bytes */0"
                }
            } else {
                recordLength(fromHead);
            }
            if (length < 0) {
                throw new IOException(description + ": cannot determine the length: the server sent neither a"
                        + " Content-Length on HEAD nor a total in Content-Range");
            }
            return length;
        }
    }

    @Override
    public byte[] read(long offset, int len) throws IOException {
        if (offset < 0 || len < 0) {
            throw new IllegalArgumentException(description + ": negative read " + offset + "+" + len);
        }
        byte[] fromMemory = fromMemory(offset, len);
        if (fromMemory != null) {
            stats.recordCacheHits(1);
            return fromMemory;
        }
        if (len == 0) {
            long n = length();
            if (offset > n) {
                throw pastEnd(offset, n);
            }
            return new byte[0];
        }
        return fetchRange(offset, len);
    }

    @Override
    public List<byte[]> read(List<ByteRange> ranges) throws IOException {
        return RangeMerger.read(ranges, settings.mergePolicy(), settings.maxConcurrentRequests(), this::read,
                description);
    }

    /** The URL without credentials and with query-parameter values replaced by {@code ***}. */
    @Override
    public String describe() {
        return description;
    }

    @Override
    public RequestStats stats() {
        return stats;
    }

    /** The settings this source uses. */
    public HttpSettings settings() {
        return settings;
    }

    /** Closes the client if this source created it; a shared client stays open. */
    @Override
    public void close() {
        closed = true;
        if (ownsClient) {
            client.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "HttpByteSource[" + description + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private byte[] fromMemory(long offset, int len) throws EOFException {
        byte[] whole = wholeFile;
        if (whole != null) {
            if (offset > whole.length || offset == whole.length && len > 0) {
                throw pastEnd(offset, whole.length);
            }
            return Arrays.copyOfRange(whole, (int) offset, (int) Math.min(offset + len, whole.length));
        }
        byte[] head = prefix;
        if (head != null && offset + len <= head.length) {
            return Arrays.copyOfRange(head, (int) offset, (int) offset + len);
        }
        return null;
    }

    /** Fetches a range over the network, asking again for the rest if a server sent less than asked. */
    private byte[] fetchRange(long offset, int len) throws IOException {
        String range = rangeHeader(offset, len);
        byte[] first = withRetries("GET", range, () -> getOnce(offset, len));
        if (first.length >= len || wholeFile != null) {
            return first;
        }
        // A server may answer with fewer bytes than asked (RFC 9110 allows it); the short tail at the end of
        // the file is normal, anything else means: ask for the rest.
        List<byte[]> parts = new ArrayList<>();
        parts.add(first);
        long got = offset + first.length;
        int remaining = len - first.length;
        while (remaining > 0 && (length < 0 || got < length)) {
            long from = got;
            int want = remaining;
            byte[] more;
            try {
                more = withRetries("GET", rangeHeader(from, want), () -> getOnce(from, want));
            } catch (EOFException end) {
                break;
            }
            if (more.length == 0) {
                break;
            }
            parts.add(more);
            got += more.length;
            remaining -= more.length;
        }
        byte[] out = new byte[(int) (got - offset)];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private byte[] getOnce(long offset, int len) throws IOException {
        long last = offset + len - 1;
        String range = "bytes=" + offset + "-" + last;
        Exchange ex = exchange("GET", range, info -> switch (info.statusCode()) {
            case 206 -> new BoundedBodySubscriber(len, contentLength(info.headers()),
                    "the server sent more bytes than requested for " + range);
            case 200 -> new BoundedBodySubscriber(settings.maxWholeBodyBytes(), contentLength(info.headers()),
                    "the server ignored the Range header and sent the whole file, which is larger than"
                            + " maxWholeBodyBytes=" + settings.maxWholeBodyBytes() + "; not downloading it");
            default -> HttpResponse.BodySubscribers.replacing(null);
        });
        switch (ex.status()) {
            case 206 -> {
                String header = ex.headers().firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(header);
                if (!m.matches()) {
                    throw new IOException(description + ": 206 answer to " + range + " has no valid Content-Range"
                            + " (got '" + header + "')");
                }
                long start = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                if (start != offset || end < start || end > last) {
                    throw new IOException(description + ": asked for " + range + ", the server answered bytes "
                            + start + "-" + end);
                }
                if (!m.group(3).equals("*")) {
                    recordLength(Long.parseLong(m.group(3)));
                }
                byte[] body = ex.body();
                stats.recordBytes(body.length);
                WorkMeter.countCatalogueBytes(body.length);
                if (body.length != end - start + 1) {
                    throw new RetryableFailure(0, null, "truncated answer: " + body.length + " of "
                            + (end - start + 1) + " bytes");
                }
                return body;
            }
            case 200 -> {
                byte[] body = ex.body();
                stats.recordBytes(body.length);
                WorkMeter.countCatalogueBytes(body.length);
                LOG.debug("{} ignored the Range header; keeping its {} bytes in memory", description, body.length);
                recordLength(body.length);
                wholeFile = body;
                prefix = null;
                return fromMemory(offset, len);
            }
            case 416 -> {
                long total = -1;
                Matcher m = UNSATISFIED_RANGE.matcher(ex.headers().firstValue("Content-Range").orElse(""));
                if (m.matches()) {
                    total = Long.parseLong(m.group(1));
                    recordLength(total);
                }
                throw pastEnd(offset, total);
            }
            default -> throw statusFailure("GET", range, ex);
        }
    }

    /** The Content-Length of a HEAD answer, or -1 when the server gave none or does not do HEAD. */
    private long headOnce() throws IOException {
        Exchange ex = exchange("HEAD", null, info -> HttpResponse.BodySubscribers.replacing(null));
        if (ex.status() == 200) {
            return contentLength(ex.headers());
        }
        if (ex.status() == 405 || ex.status() == 501) {
            return -1;
        }
        throw statusFailure("HEAD", null, ex);
    }

    private IOException statusFailure(String method, String range, Exchange ex) {
        int status = ex.status();
        String what = method + " " + description + (range == null ? "" : " (" + range + ")");
        if (isRetryable(status)) {
            return new RetryableFailure(status, retryAfter(ex.headers()), "HTTP " + status);
        }
        return new HttpStatusException(status, description, what + " answered HTTP " + status, null);
    }

    private static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599 && status != 501 && status != 505;
    }

    /** Sends one request, following redirects by hand so that every hop passes the allowlist. */
    private Exchange exchange(String method, String range, HttpResponse.BodyHandler<byte[]> handler)
            throws IOException {
        if (closed) {
            throw new IOException(description + ": the byte source is closed");
        }
        URI target = uri;
        Map<String, String> hopHeaders = headers;
        for (int hop = 0; ; hop++) {
            requireAllowed(target);
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(settings.requestTimeout())
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if ("http".equalsIgnoreCase(target.getScheme())) {
                request.version(HttpClient.Version.HTTP_1_1); // h2c upgrades are rare and only add a round trip
            }
            if (range != null) {
                request.header("Range", range);
            }
            hopHeaders.forEach(request::header);
            stats.recordRequest();
            WorkMeter.countCatalogueRequest(); // charged to the job whose work reads this COG, if any
            HttpResponse<byte[]> response = send(request.build(), handler);
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new HttpStatusException(status, description, method + " " + redact(target)
                            + " answered HTTP " + status + " without a Location header", null);
                }
                if (hop >= MAX_REDIRECTS) {
                    throw new HttpStatusException(status, description, method + " " + description
                            + ": more than " + MAX_REDIRECTS + " redirects", null);
                }
                URI next;
                try {
                    next = withoutUserInfo(target.resolve(location.trim()));
                } catch (IllegalArgumentException e) {
                    throw new HttpStatusException(status, description, method + " " + redact(target)
                            + " redirected to an invalid Location", e);
                }
                if (!sameOrigin(target, next)) {
                    hopHeaders = Map.of(); // credentials are for the original host only
                }
                LOG.debug("{} redirected to {}", redact(target), redact(next));
                target = next;
                continue;
            }
            return new Exchange(status, response.headers(), response.body());
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request, HttpResponse.BodyHandler<byte[]> handler)
            throws IOException {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, handler);
        long timeoutMillis = settings.requestTimeout().toMillis();
        try {
            // The request timeout of HttpRequest covers the headers only; this one covers the body too, so a
            // server that stalls mid-body cannot hang a reader.
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RetryableFailure(0, null, "no complete answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(description + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BoundedBodySubscriber.TooLarge tooLarge) {
                throw new IOException(description + ": " + tooLarge.getMessage(), tooLarge);
            }
            if (cause instanceof SSLHandshakeException ssl) {
                throw new IOException(description + ": TLS handshake failed: " + ssl.getMessage(), ssl);
            }
            if (cause instanceof HttpTimeoutException timeout) {
                throw new RetryableFailure(0, null, "timed out (" + timeout.getMessage() + ")", timeout);
            }
            if (cause instanceof IOException io) {
                throw new RetryableFailure(0, null, io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()), io);
            }
            throw new IOException(description + ": request failed: " + cause, cause);
        }
    }

    private <T> T withRetries(String method, String range, Attempt<T> attempt) throws IOException {
        long started = System.nanoTime();
        for (int n = 1; ; n++) {
            RetryableFailure failure;
            try {
                return attempt.run();
            } catch (RetryableFailure f) {
                failure = f;
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            long delay = backoffMillis(n, failure.retryAfter);
            String stop = null;
            if (n >= settings.maxAttempts()) {
                stop = "attempt limit reached";
            } else if (elapsed + delay > settings.retryBudget().toMillis()) {
                stop = "retry budget of " + settings.retryBudget().toMillis() + " ms spent";
            }
            if (stop != null) {
                String message = method + " " + description + (range == null ? "" : " (" + range + ")")
                        + " failed after " + n + (n == 1 ? " attempt" : " attempts") + " in " + elapsed + " ms ("
                        + stop + "): " + failure.getMessage();
                if (failure.status > 0) {
                    throw new HttpStatusException(failure.status, description, message, failure);
                }
                throw new IOException(message, failure);
            }
            stats.recordRetry();
            LOG.debug("{} {}: {}; retrying in {} ms", method, description, failure.getMessage(), delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(description + ": interrupted while waiting to retry");
            }
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

    private void recordLength(long total) throws IOException {
        synchronized (recordLock) {
            if (length < 0) {
                length = total;
            } else if (length != total) {
                throw new IOException(description + ": the file changed while being read (it was " + length
                        + " bytes, the server now says " + total + ")");
            }
        }
    }

    private void requireAllowed(URI target) throws HostNotAllowedException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new HostNotAllowedException(target.getHost(), description + ": refusing " + redact(target)
                    + ": only http and https may be used");
        }
        if (!settings.isHostAllowed(target.getHost())) {
            throw new HostNotAllowedException(target.getHost(), "refusing " + redact(target) + ": host '"
                    + target.getHost() + "' is not in the allowed hosts " + settings.allowedHosts()
                    + (target.equals(uri) ? "" : " (redirected from " + description + ")"));
        }
    }

    private EOFException pastEnd(long offset, long total) {
        return new EOFException(description + ": read at byte " + offset + " is past the end"
                + (total >= 0 ? " (" + total + " bytes)" : ""));
    }

    private static String rangeHeader(long offset, int len) {
        return "bytes=" + offset + "-" + (offset + len - 1);
    }

    private static long contentLength(HttpHeaders headers) {
        return headers.firstValueAsLong("Content-Length").orElse(-1);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static URI withoutUserInfo(URI u) {
        if (u.getRawUserInfo() == null && u.getRawFragment() == null) {
            return u;
        }
        StringBuilder s = new StringBuilder(u.getScheme()).append("://").append(u.getHost());
        if (u.getPort() != -1) {
            s.append(':').append(u.getPort());
        }
        s.append(u.getRawPath() == null ? "" : u.getRawPath());
        if (u.getRawQuery() != null) {
            s.append('?').append(u.getRawQuery());
        }
        return URI.create(s.toString());
    }

    /**
     * The URL as safe to print: no user info, no fragment, query-parameter values replaced by {@code ***} (they
     * may be signatures or tokens).
     */
    public static String redact(URI u) {
        if (u.getHost() == null) {
            return u.getScheme() == null ? "(relative URL)" : u.getScheme() + ":(opaque URL)";
        }
        StringBuilder s = new StringBuilder().append(u.getScheme()).append("://").append(u.getHost());
        if (u.getPort() != -1) {
            s.append(':').append(u.getPort());
        }
        s.append(u.getRawPath() == null ? "" : u.getRawPath());
        if (u.getRawQuery() != null) {
            s.append('?');
            String[] params = u.getRawQuery().split("&", -1);
            for (int i = 0; i < params.length; i++) {
                int eq = params[i].indexOf('=');
                s.append(i == 0 ? "" : "&").append(eq < 0 ? params[i] : params[i].substring(0, eq) + "=***");
            }
        }
        return s.toString();
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException;
    }

    private record Exchange(int status, HttpHeaders headers, byte[] body) {}

    /** A failure worth another attempt; {@code status} 0 when there was no HTTP answer. */
    private static final class RetryableFailure extends IOException {
        final int status;
        final transient Duration retryAfter;

        RetryableFailure(int status, Duration retryAfter, String message) {
            this(status, retryAfter, message, null);
        }

        RetryableFailure(int status, Duration retryAfter, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }
}
