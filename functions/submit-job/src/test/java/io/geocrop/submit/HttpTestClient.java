package io.geocrop.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP for tests: any method, content type and body, so malformed requests can be sent as a client would. */
final class HttpTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpTestClient(URI base) {
        this.base = base;
    }

    record Reply(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    Reply send(String method, String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply postJson(String path, String json) {
        return send("POST", path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }

    Reply get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    /** The value of one series on {@code GET /prometheus} (0 when absent), e.g. {@code geocrop_jobs_submitted_total}. */
    double metric(String series) {
        Reply r = get("/prometheus");
        if (r.status() != 200) {
            throw new AssertionError("GET /prometheus answered " + r.status() + ": " + r.body());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series)
                + " ([0-9.eE+-]+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
