package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.StoredObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every event transport passes: the embedded one (in-process broker) and the cluster one
 * (Redis stream + {@code $K_SINK}). A transport under test publishes through its {@link EventPublisher}
 * and reports what arrived at the Broker (as sent, i.e. still wrapped if it came from the Redis stream) and
 * what the Broker's Triggers delivered to each service.
 *
 * <p>Subclass it, implement {@link #openTransport()}, and the tests run against your transport.
 */
public abstract class EventTransportContract {

    /** How long a test waits for events to arrive. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A transport under test, observed at its destination. */
    protected interface Transport extends AutoCloseable {

        /** What functions publish to. */
        EventPublisher publisher();

        /**
         * The next {@code count} events to arrive at the Broker, in arrival order, as they arrived (a job
         * submission as its {@code dev.knative.sources.redisstream} envelope).
         *
         * @throws AssertionError if fewer arrive within {@code timeout}
         */
        List<CloudEvent> awaitArrivals(int count, Duration timeout) throws Exception;

        /** Every event delivered so far to Knative Service {@code service} by the Broker's Triggers, after in-flight deliveries settle. */
        List<CloudEvent> deliveredTo(String service) throws Exception;
    }

    /**
     * The next {@code count} events of {@code arrivals}, for transports that queue what reaches the Broker.
     *
     * @throws AssertionError if fewer arrive within {@code timeout}, or as soon as {@code failures} holds one
     */
    protected static List<CloudEvent> poll(java.util.concurrent.BlockingQueue<CloudEvent> arrivals, int count,
            Duration timeout, List<Throwable> failures) throws InterruptedException {
        List<CloudEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            if (!failures.isEmpty()) {
                throw new AssertionError("transport failed", failures.getFirst());
            }
            CloudEvent next = arrivals.poll(Math.max(0, deadline - System.nanoTime()),
                    java.util.concurrent.TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("only " + out.size() + " of " + count + " events arrived within " + timeout);
            }
            out.add(next);
        }
        return out;
    }

    private Transport transport;

    /** Opens a fresh transport for one test. */
    protected abstract Transport openTransport() throws Exception;

    @BeforeEach
    void open() throws Exception {
        transport = openTransport();
    }

    @AfterEach
    void close() throws Exception {
        transport.close();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeArrivesUnchanged(EventType type) throws Exception {
        CloudEvent event = TestEvents.sampleEvent(type);
        transport.publisher().publish(event);
        CloudEvent arrived = transport.awaitArrivals(1, TIMEOUT).getFirst();
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrapIfNeeded(arrived));
        assertEquals(GeoCropEvents.data(event, type.dataClass()),
                GeoCropEvents.data(RedisStreamEnvelope.unwrapIfNeeded(arrived), type.dataClass()));
    }

    @Test
    void jobSubmissionsArriveAsRedisStreamEnvelopes() throws Exception {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        transport.publisher().publish(event);
        CloudEvent arrived = transport.awaitArrivals(1, TIMEOUT).getFirst();
        assertEquals(ForeignEventTypes.REDIS_STREAM, arrived.getType(), "both modes wrap job submissions the same way");
        assertEquals("application/json", arrived.getDataContentType());
        assertTrue(arrived.getId().matches("\\d+-\\d+"), "entry id as the stream assigns it: " + arrived.getId());
    }

    @Test
    void jobSubmittedReachesTheExtractFeaturesSubscription() throws Exception {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        transport.publisher().publish(event);
        transport.awaitArrivals(1, TIMEOUT);
        List<CloudEvent> delivered = transport.deliveredTo("extract-features");
        assertEquals(1, delivered.size(), "delivered once through extract-features-on-job-submitted");
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrap(delivered.getFirst()));
        JobSubmittedV1 data = GeoCropEvents.data(RedisStreamEnvelope.unwrap(delivered.getFirst()), JobSubmittedV1.class);
        assertEquals(UUID.fromString(event.getSubject()), data.jobId());
    }

    @Test
    void otherEventsDoNotReachExtractFeatures() throws Exception {
        transport.publisher().publish(TestEvents.sampleEvent(EventType.JOB_COMPLETED));
        transport.publisher().publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        transport.awaitArrivals(2, TIMEOUT);
        assertEquals(List.of(), transport.deliveredTo("extract-features"));
    }

    @Test
    void extensionsAndNonAsciiSurvive() throws Exception {
        UUID jobId = UUID.randomUUID();
        CloudEvent event = CloudEventBuilder.v1(GeoCropEvents.create(EventType.JOB_FAILED, "job " + jobId + " — ü",
                        new JobFailedV1(jobId, "Wolken über dem Feld ☁ \"100%\"", Instant.now())))
                .withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .build();
        transport.publisher().publish(event);
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrapIfNeeded(transport.awaitArrivals(1, TIMEOUT).getFirst()));
    }

    @Test
    void objectNotificationsArriveUnchangedButForTheTraceContextOfTheirPublisher() throws Exception {
        // What submit-job publishes after MinIO's webhook (or the embedded storage) reports a feature tile.
        StoredObjectEvent stored = new StoredObjectEvent(Bucket.FEATURES.bucketName(), "features/job 7/r0-c1 ü.tif",
                4096, "0123456789abcdef0123456789abcdef", "image/tiff", Instant.parse("2025-03-01T10:15:30.123Z"));
        CloudEvent event = S3Notifications.toCloudEvents(S3Notifications.minioNotification(stored, "s3:ObjectCreated:Put")).getFirst();
        try (TraceScope handling = TraceScope.forRequest("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)) {
            transport.publisher().publish(event);
        }
        CloudEvent arrived = transport.awaitArrivals(1, TIMEOUT).getFirst();
        // S3 notifications carry no trace context: the publisher adds a child of the work that published it.
        TraceContext trace = TraceContext.of(arrived).orElseThrow();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", trace.traceId());
        TestEvents.assertSameEvent(trace.applyTo(event), arrived);
        assertEquals(stored.key(), S3Notifications.object(arrived).key());
    }

    @Test
    void manySubmissionsEachArriveOnce() throws Exception {
        Set<String> published = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
            published.add(event.getId());
            transport.publisher().publish(event);
        }
        List<CloudEvent> arrived = transport.awaitArrivals(20, TIMEOUT);
        Set<String> entryIds = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (CloudEvent envelope : arrived) {
            entryIds.add(envelope.getId());
            ids.add(RedisStreamEnvelope.unwrap(envelope).getId());
        }
        assertEquals(20, entryIds.size(), "every entry has its own id");
        assertEquals(published, new HashSet<>(ids));
        assertEquals(20, transport.deliveredTo("extract-features").size());
    }
}
