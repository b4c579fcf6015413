package io.geocrop.registry.mlflow;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers every request with one {@link MlflowRecording}'s recorded response and keeps what the client sent, so a
 * test can compare the request with the recorded one.
 */
final class MlflowReplayServer implements AutoCloseable {

    /** What the client sent. */
    record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    private MlflowReplayServer(HttpServer server) {
        this.server = server;
    }

    static MlflowReplayServer serve(MlflowRecording recording) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        MlflowReplayServer replay = new MlflowReplayServer(http);
        http.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                synchronized (replay.received) {
                    replay.received.add(new Received(exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                            Map.copyOf(exchange.getRequestHeaders()), body));
                }
                exchange.getResponseHeaders().add("Content-Type", recording.responseContentType());
                exchange.getResponseHeaders().add("Server", "gunicorn");
                exchange.sendResponseHeaders(recording.status(), recording.responseBody().length);
                exchange.getResponseBody().write(recording.responseBody());
            }
        });
        http.start();
        return replay;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
