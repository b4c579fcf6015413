package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs against the real Redis on 127.0.0.1:6379, one throw-away stream per test. */
class RedisStreamPublisherTest {

    static final String REDIS = "redis://127.0.0.1:6379";

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private String stream;

    @BeforeEach
    void connect() {
        client = RedisClient.create(REDIS);
        connection = client.connect();
        stream = "geocrop:test:" + UUID.randomUUID();
    }

    @AfterEach
    void cleanUp() {
        connection.sync().del(stream);
        connection.close();
        client.shutdown();
    }

    @Test
    void appendWritesTheEnvelopeFieldsInOrder() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        String entryId;
        try (RedisStreamPublisher publisher = RedisStreamPublisher.connect(REDIS, stream, 0)) {
            entryId = publisher.append(event);
        }
        assertTrue(entryId.matches("\\d+-\\d+"), entryId);
        List<StreamMessage<String, String>> entries = connection.sync().xrange(stream, io.lettuce.core.Range.create("-", "+"));
        assertEquals(1, entries.size());
        assertEquals(entryId, entries.getFirst().getId());
        List<String> fields = new ArrayList<>();
        entries.getFirst().getBody().forEach((k, v) -> {
            fields.add(k);
            fields.add(v);
        });
        assertEquals(RedisStreamEnvelope.toFields(event), fields);
    }

    @Test
    void approximateMaxLengthTrimsTheStream() {
        RedisStreamPublisher publisher = new RedisStreamPublisher(connection, stream, 10);
        for (int i = 0; i < 300; i++) {
            publisher.publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED));
        }
        long length = connection.sync().xlen(stream);
        assertTrue(length < 300 && length >= 10, "trimmed to about 10, got " + length);
        publisher.close(); // does not close the caller's connection
        assertEquals("PONG", connection.sync().ping());
    }

    @Test
    void unreachableRedisNamesTheStreamAndAddress() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        int port = freePort;
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> RedisStreamPublisher.connect("redis://127.0.0.1:" + port, "geocrop:jobs", 0));
        assertTrue(e.getMessage().contains("geocrop:jobs") && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void failedAppendNamesTheStream() {
        // A key of another type makes XADD fail on the server side.
        connection.sync().set(stream, "not a stream");
        RedisStreamPublisher publisher = new RedisStreamPublisher(connection, stream, 0);
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> publisher.publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED)));
        assertTrue(e.getMessage().contains(stream), e.getMessage());
        assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
    }
}
