package io.geocrop.events;

import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The cluster transport: job submissions XADDed to a real Redis stream (127.0.0.1:6379, a unique stream per
 * test, deleted afterwards) and read back with XREADGROUP the way Knative's RedisStreamSource does, then
 * shaped into the adapter's event; every other event POSTed to {@code $K_SINK}, here a loopback HTTP server
 * that decodes with {@link CloudEventHttp}. The Broker's routing is the real manifests' Trigger filters.
 */
class ClusterTransportTest extends EventTransportContract {

    private static final String REDIS = "redis://127.0.0.1:6379";
    private static final String GROUP = "knative-redisstreamsource";

    @Override
    protected Transport openTransport() throws Exception {
        String stream = "geocrop:test:" + UUID.randomUUID();
        BlockingQueue<CloudEvent> arrivals = new LinkedBlockingQueue<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        // $K_SINK: a Broker stand-in that accepts binary or structured events.
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sink.createContext("/", exchange -> {
            try {
                arrivals.add(CloudEventHttp.decode(exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(202, -1);
            } catch (RuntimeException e) {
                failures.add(e);
                byte[] message = e.getMessage().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
            } finally {
                exchange.close();
            }
        });
        sink.start();
        URI sinkUri = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/");

        // The stream side: the group exists before anything is appended, as the source creates it at start.
        RedisClient client = RedisClient.create(REDIS);
        StatefulRedisConnection<String, String> publishing = client.connect();
        StatefulRedisConnection<String, String> reading = client.connect();
        reading.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "$"), GROUP, XGroupCreateArgs.Builder.mkstream());
        Thread adapter = Thread.ofVirtual().name("redisstreamsource-" + stream).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<StreamMessage<String, String>> entries = reading.sync().xreadgroup(
                            Consumer.from(GROUP, GROUP + "-0"), XReadArgs.Builder.count(1).block(200),
                            XReadArgs.StreamOffset.lastConsumed(stream));
                    for (StreamMessage<String, String> entry : entries) {
                        List<String> fields = new ArrayList<>();
                        entry.getBody().forEach((k, v) -> {
                            fields.add(k);
                            fields.add(v);
                        });
                        arrivals.add(RedisStreamEnvelope.asRedisStreamSourceEvent(entry.getId(), REDIS, stream, fields));
                        reading.sync().xack(stream, GROUP, entry.getId());
                    }
                } catch (RuntimeException e) {
                    if (!Thread.currentThread().isInterrupted() && reading.isOpen()) {
                        failures.add(e);
                    }
                    return;
                }
            }
        });

        RedisStreamPublisher streamPublisher = new RedisStreamPublisher(publishing, stream, 0);
        EventPublisher publisher = ClusterEventPublisher.fromEnvironment(streamPublisher, name ->
                KSinkPublisher.K_SINK.equals(name) ? sinkUri.toString() : null);
        KnativeTriggers broker = KnativeTriggers.fromDirectory(TestEvents.knativeBase());
        List<CloudEvent> seen = new CopyOnWriteArrayList<>();

        return new Transport() {
            @Override
            public EventPublisher publisher() {
                return publisher;
            }

            @Override
            public List<CloudEvent> awaitArrivals(int count, Duration timeout) throws Exception {
                List<CloudEvent> out = poll(arrivals, count, timeout, failures);
                seen.addAll(out);
                return out;
            }

            @Override
            public List<CloudEvent> deliveredTo(String service) {
                // The Broker applies the Triggers' filters to what arrived; these are the same manifests.
                return seen.stream()
                        .filter(e -> broker.matching(e).stream().anyMatch(t -> t.subscriberService().equals(service)))
                        .toList();
            }

            @Override
            public void close() throws Exception {
                adapter.interrupt();
                adapter.join(Duration.ofSeconds(2));
                publishing.sync().del(stream);
                reading.close();
                publishing.close();
                client.shutdown();
                sink.stop(0);
                if (!failures.isEmpty()) {
                    throw new AssertionError("transport failed", failures.getFirst());
                }
            }
        };
    }
}
