package io.geocrop.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal JSON-over-HTTP for the application tests. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    record Reply(int status, JsonNode body) {}

    static Reply post(String base, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base).resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Reply get(String base, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base).resolve(path)).GET());
    }

    private static Reply send(HttpRequest.Builder builder) throws Exception {
        HttpResponse<String> r = CLIENT.send(builder.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
    }
}
