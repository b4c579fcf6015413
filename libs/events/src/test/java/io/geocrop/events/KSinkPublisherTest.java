package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KSinkPublisherTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private HttpServer server;
    private URI sink;
    private final AtomicInteger status = new AtomicInteger(202);
    private final List<Headers> requestHeaders = new CopyOnWriteArrayList<>();
    private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSink() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            methods.add(exchange.getRequestMethod());
            requestHeaders.add(exchange.getRequestHeaders());
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(CloudEventHttp.decode(exchange.getRequestHeaders(), body));
            byte[] answer = status.get() >= 400 ? "broker is overloaded".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.sendResponseHeaders(status.get(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        sink = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopSink() {
        server.stop(0);
    }

    @Test
    void postsBinaryModeWithTraceContext() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_COMPLETED))
                .withExtension("traceparent", TRACEPARENT).build();
        new KSinkPublisher(sink).publish(event);
        assertEquals(List.of("POST"), methods);
        Headers headers = requestHeaders.getFirst();
        assertEquals(event.getId(), headers.getFirst("ce-id"));
        assertEquals("application/json", headers.getFirst("content-type"));
        assertEquals(TRACEPARENT, headers.getFirst("traceparent"), "W3C header for the Broker's tracing");
        TestEvents.assertSameEvent(event, received.getFirst());
    }

    @Test
    void non2xxNamesTheUrlAndStatus() {
        status.set(503);
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> new KSinkPublisher(sink).publish(TestEvents.sampleEvent(EventType.JOB_FAILED)));
        assertTrue(e.getMessage().contains(sink.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(e.getMessage().contains("broker is overloaded"), e.getMessage());
        assertEquals(sink.toString(), e.destination());
    }

    @Test
    void unreachableSinkIsAnEventDeliveryException() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + freePort + "/");
        KSinkPublisher publisher = new KSinkPublisher(nowhere,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), Duration.ofSeconds(2));
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> publisher.publish(TestEvents.sampleEvent(EventType.JOB_FAILED)));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getCause() instanceof java.io.IOException);
    }

    @Test
    void kSinkIsReadFromTheEnvironment() {
        assertTrue(KSinkPublisher.fromEnvironment(Map.<String, String>of()::get).isEmpty());
        assertTrue(KSinkPublisher.fromEnvironment(Map.of("K_SINK", " ")::get).isEmpty());
        assertEquals(sink, KSinkPublisher.fromEnvironment(Map.of("K_SINK", sink.toString())::get).orElseThrow().sink());
        assertThrows(IllegalArgumentException.class, () -> KSinkPublisher.fromEnvironment(Map.of("K_SINK", "not a url")::get));
        assertThrows(IllegalArgumentException.class, () -> new KSinkPublisher(URI.create("/relative")));
    }

    @Test
    void clusterPublisherRoutesByTypeAndExplainsAMissingSink() {
        List<CloudEvent> stream = new CopyOnWriteArrayList<>();
        ClusterEventPublisher withSink = ClusterEventPublisher.fromEnvironment(stream::add, Map.of("K_SINK", sink.toString())::get);
        CloudEvent submitted = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent completed = TestEvents.sampleEvent(EventType.JOB_COMPLETED);
        withSink.publish(submitted);
        withSink.publish(completed);
        assertEquals(List.of(submitted), stream);
        assertEquals(1, received.size());
        assertEquals(completed.getId(), received.getFirst().getId());

        ClusterEventPublisher withoutSink = ClusterEventPublisher.fromEnvironment(stream::add, Map.<String, String>of()::get);
        withoutSink.publish(submitted); // the stream does not need K_SINK
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> withoutSink.publish(TestEvents.sampleEvent(EventType.JOB_FAILED)));
        assertTrue(e.getMessage().contains("K_SINK is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("io.geocrop.job.failed.v1"), e.getMessage());
        assertEquals("K_SINK", e.destination());
    }
}
