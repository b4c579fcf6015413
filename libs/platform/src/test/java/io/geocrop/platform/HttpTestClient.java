package io.geocrop.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Raw HTTP for the functions' tests: any method, path (malformed ones included, sent as written), content type,
 * headers and body, as a client would send them; replies keep the body as bytes. Shared through this module's
 * test-jar by every function's and the embedded app's tests.
 */
public final class HttpTestClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client of the server at {@code base} (scheme, host and port). */
    public HttpTestClient(URI base) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** A reply: status, headers and the body's bytes. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] bytes) {
        /** The body as UTF-8 text. */
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The body as JSON; fails the test if it is not. */
        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        /** The body as a palette PNG (what tile-render serves); fails the test unless it is a 200 with one. */
        public BufferedImage palettePng() throws IOException {
            if (status != 200 || !"image/png".equals(header("Content-Type"))) {
                throw new AssertionError("expected a 200 image/png, got " + status + " " + header("Content-Type") + ": "
                        + body());
            }
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null || !(img.getColorModel() instanceof IndexColorModel)) {
                throw new AssertionError(img == null ? "not a PNG" : "not a palette PNG: " + img.getColorModel());
            }
            return img;
        }
    }

    /** Sends {@code body} (null: none) with {@code method} to {@code rawPath}, appended to the base as written. */
    public Reply send(String method, String rawPath, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + rawPath + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Reply postJson(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public Reply get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    public Reply get(String path, Map<String, String> headers) {
        return send("GET", path, null, null, headers);
    }

    /** The value of one series on {@code GET /prometheus} (0 when absent), e.g. {@code geocrop_jobs_submitted_total}. */
    public double metric(String series) {
        Reply r = get("/prometheus");
        if (r.status() != 200) {
            throw new AssertionError("GET /prometheus answered " + r.status() + ": " + r.body());
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
