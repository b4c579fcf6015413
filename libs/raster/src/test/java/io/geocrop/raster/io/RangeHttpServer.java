package io.geocrop.raster.io;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 for the byte-source tests: serves one file under {@code /file.tif} with proper
 * single-range handling (206 + Content-Range, 416 past the end, HEAD with Content-Length), plus switches that
 * inject what real servers do on bad days.
 */
final class RangeHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile byte[] content;

    /** Every request, as "METHOD path Range Authorization". */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    /** The next N requests answer 503. */
    final AtomicInteger fail503 = new AtomicInteger();
    /** The next N requests answer 429 with Retry-After {@link #retryAfterSeconds}. */
    final AtomicInteger fail429 = new AtomicInteger();
    /** The next N requests stall {@link #stallMillis} before answering. */
    final AtomicInteger stallNext = new AtomicInteger();
    /** The next N ranged answers send only half their body, then drop the connection. */
    final AtomicInteger truncateNext = new AtomicInteger();
    volatile boolean always503;
    volatile boolean ignoreRange;
    volatile boolean headWithoutLength;
    volatile long retryAfterSeconds = 1;
    volatile long stallMillis = 3000;
    /** Every request waits this long first (to make concurrency observable). */
    volatile long delayMillis;
    /** Where {@code /redirect} points. */
    volatile String redirectTarget = "/file.tif";

    RangeHttpServer(byte[] content) throws IOException {
        this.content = content;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        String range = ex.getRequestHeaders().getFirst("Range");
        log.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + range + " "
                + ex.getRequestHeaders().getFirst("Authorization"));
        try (ex) {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/missing")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (path.equals("/redirect")) {
                ex.getResponseHeaders().set("Location", redirectTarget);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (always503 || fail503.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            if (fail429.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                ex.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
                ex.sendResponseHeaders(429, -1);
                return;
            }
            if (stallNext.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                Thread.sleep(stallMillis);
            }
            byte[] data = content;
            if (ex.getRequestMethod().equals("HEAD")) {
                if (!headWithoutLength) {
                    ex.getResponseHeaders().set("Content-Length", Integer.toString(data.length));
                }
                ex.sendResponseHeaders(200, -1);
                return;
            }
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (ignoreRange || m == null || !m.matches()) {
                ex.sendResponseHeaders(200, data.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(data);
                }
                return;
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? data.length - 1 : Math.min(Long.parseLong(m.group(2)), data.length - 1);
            if (start >= data.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            int n = (int) (end - start + 1);
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + data.length);
            ex.sendResponseHeaders(206, n);
            OutputStream out = ex.getResponseBody();
            if (truncateNext.getAndUpdate(k -> Math.max(k - 1, 0)) > 0) {
                out.write(data, (int) start, n / 2);
                out.flush();
                // Closing with bytes missing makes the server drop the connection: a truncated body.
                return;
            }
            out.write(data, (int) start, n);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout test) or the body was cut on purpose
        } finally {
            inFlight.decrementAndGet();
        }
    }

    void reset() {
        requests.set(0);
        maxInFlight.set(0);
        log.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
