package io.geocrop.events.dev;

import io.geocrop.events.CloudEventHttp;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real loopback HTTP server standing in for one Knative Service in broker tests: it decodes every POST as a
 * CloudEvent with {@link CloudEventHttp}, records it with its path, and answers what {@code answer} says.
 */
final class HttpSubscriber implements AutoCloseable {

    /** What one request got: the event and the path it was POSTed to. */
    record Received(String path, CloudEvent event) {}

    /** The answer to one request: a status and a body. */
    record Answer(int status, String body, String contentType) {
        static final Answer OK = new Answer(200, "{\"ok\":true}");

        Answer(int status, String body) {
            this(status, body, "application/json");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    HttpSubscriber(Function<CloudEvent, Answer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                CloudEvent event;
                try {
                    event = CloudEventHttp.decode(exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
                } catch (RuntimeException e) {
                    failures.add(e);
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                received.add(new Received(exchange.getRequestURI().getPath(), event));
                Answer a = answer.apply(event);
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
                exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            }
        });
        server.start();
    }

    static HttpSubscriber accepting() throws IOException {
        return new HttpSubscriber(e -> Answer.OK);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        if (!failures.isEmpty()) {
            throw new AssertionError("a request was not a CloudEvent: " + failures);
        }
        return List.copyOf(received);
    }

    List<CloudEvent> events() {
        return received().stream().map(Received::event).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
