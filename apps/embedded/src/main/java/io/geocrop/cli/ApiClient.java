package io.geocrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** A small client of the GeoCrop HTTP API for the CLI; problem bodies become {@link CliException}s. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private final Duration timeout;
    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String server) {
        this(server, DEFAULT_TIMEOUT);
    }

    /** As above, each request (but downloads) given up after {@code timeout}. */
    ApiClient(String server, Duration timeout) {
        this.timeout = timeout;
        this.server = URI.create(server.endsWith("/") ? server : server + "/");
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).GET().build());
    }

    /**
     * A status poll: as {@link #get}, but an answer that takes longer than the request timeout is empty instead of an
     * error, because a busy server (a big job extracting on every core) answering slowly says nothing about the job;
     * the caller polls again.
     */
    java.util.Optional<JsonNode> poll(String path) {
        try {
            return java.util.Optional.of(send(HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).GET().build(),
                    true));
        } catch (SlowAnswer e) {
            return java.util.Optional.empty();
        }
    }

    /** As {@link #get}, but a {@code 404} is empty (a resource that may not exist yet, such as the model card). */
    java.util.Optional<JsonNode> find(String path) {
        try {
            return java.util.Optional.of(get(path));
        } catch (NotFound e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether the server answers {@code GET /health} with a success, within the request timeout. */
    boolean alive() {
        try {
            get("health");
            return true;
        } catch (CliException e) {
            return false;
        }
    }

    /** A {@code 404} problem: a {@link CliException} like any other problem, told apart by {@link #find}. */
    private static final class NotFound extends CliException {
        NotFound(String message) {
            super(message, 2);
        }
    }

    /** A request that timed out while {@link #poll} asked for patience. */
    private static final class SlowAnswer extends RuntimeException {
        SlowAnswer() {
            super(null, null, false, false);
        }
    }

    JsonNode post(String path, String json, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return send(b.build());
    }

    /** Downloads {@code path} to {@code target} (replaced atomically); a problem body becomes a {@link CliException}. */
    void download(String path, Path target) {
        HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofMinutes(5)).GET().build();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() >= 400) {
                JsonNode body = JSON.readTree(Files.readString(partial));
                Files.deleteIfExists(partial);
                throw new CliException(body.path("title").asText("HTTP " + response.statusCode()) + " ("
                        + response.statusCode() + "): " + body.path("detail").asText(""), 2);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("download of " + request.uri() + " failed: " + e.getMessage(), 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 130);
        }
    }

    private JsonNode send(HttpRequest request) {
        return send(request, false);
    }

    private JsonNode send(HttpRequest request, boolean slowIsEmpty) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                StringBuilder message = new StringBuilder(body.path("title").asText("HTTP " + response.statusCode()));
                message.append(" (").append(response.statusCode()).append("): ").append(body.path("detail").asText(""));
                response.headers().firstValue("Retry-After").ifPresent(s -> message.append(" [retry after ").append(s).append(" s]"));
                throw response.statusCode() == 404 ? new NotFound(message.toString())
                        : new CliException(message.toString(), 2);
            }
            return body;
        } catch (java.net.http.HttpTimeoutException e) {
            if (slowIsEmpty && !(e instanceof java.net.http.HttpConnectTimeoutException)) {
                throw new SlowAnswer();
            }
            throw new CliException("request to " + request.uri() + " failed: " + e.getMessage(), 3);
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + server + " - is it running? Start it with ./geocrop serve", 3);
        } catch (IOException e) {
            throw new CliException("request to " + request.uri() + " failed: " + e.getMessage(), 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 130);
        }
    }
}
