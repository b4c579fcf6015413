package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.types.Time;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RedisStreamEnvelopeTest {

    @Test
    void fieldsAreInTheDocumentedOrder() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        List<String> fields = RedisStreamEnvelope.toFields(event);
        assertEquals(List.of(
                "ce_specversion", "1.0",
                "ce_id", event.getId(),
                "ce_type", "io.geocrop.job.submitted.v1",
                "ce_source", "/geocrop/submit-job",
                "ce_time", Time.writeTime(event.getTime()),
                "ce_subject", event.getSubject(),
                "ce_dataschema", EventType.JOB_SUBMITTED.dataSchema().toString(),
                // The distributed-tracing extension travels in the entry, so the trace survives the stream.
                "ce_traceparent", event.getExtension("traceparent").toString(),
                "content_type", "application/json",
                "data", new String(event.getData().toBytes(), StandardCharsets.UTF_8)), fields);
    }

    @Test
    void optionalFieldsAreLeftOut() {
        CloudEvent bare = CloudEventBuilder.v1().withId("1").withType("t").withSource(URI.create("/s")).build();
        assertEquals(List.of("ce_specversion", "1.0", "ce_id", "1", "ce_type", "t", "ce_source", "/s"),
                RedisStreamEnvelope.toFields(bare));
        TestEvents.assertSameEvent(bare, roundTrip(bare));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void adapterEnvelopeUnwrapsToTheOriginal(EventType type) {
        CloudEvent event = TestEvents.sampleEvent(type);
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1718000000000-3",
                "redis://redis.geocrop.svc.cluster.local:6379", "geocrop:jobs", RedisStreamEnvelope.toFields(event));
        assertEquals(ForeignEventTypes.REDIS_STREAM, envelope.getType());
        assertEquals("1718000000000-3", envelope.getId());
        assertEquals(URI.create("redis://redis.geocrop.svc.cluster.local:6379/geocrop:jobs"), envelope.getSource());
        assertEquals("application/json", envelope.getDataContentType());
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrap(envelope));
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrapIfNeeded(envelope));
    }

    @Test
    void envelopeDataIsTheAdaptersJsonArray() throws Exception {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        List<String> fields = RedisStreamEnvelope.toFields(event);
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1-0", "redis://r:6379", "s", fields);
        var array = GeoCropEvents.json().readTree(envelope.getData().toBytes());
        assertTrue(array.isArray());
        List<String> back = new ArrayList<>();
        array.forEach(n -> back.add(n.textValue()));
        assertEquals(fields, back);
    }

    @Test
    void extensionsAndUnicodeSurvive() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_FAILED))
                .withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .withData("application/json", "{\"reason\":\"Wolken über dem Feld ☁ \\\"quoted\\\"\"}".getBytes(StandardCharsets.UTF_8))
                .build();
        TestEvents.assertSameEvent(event, roundTrip(event));
    }

    @Test
    void binaryDataTravelsAsBase64() {
        byte[] bytes = {0, (byte) 0xff, (byte) 0xc3, 0x28};
        CloudEvent event = CloudEventBuilder.v1().withId("1").withType("t").withSource(URI.create("/s"))
                .withData("application/octet-stream", bytes).build();
        assertTrue(RedisStreamEnvelope.toFields(event).contains("data_base64"));
        assertArrayEquals(bytes, roundTrip(event).getData().toBytes());
    }

    @Test
    void otherEventsPassThroughUnwrapIfNeeded() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_COMPLETED);
        assertSame(event, RedisStreamEnvelope.unwrapIfNeeded(event));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> RedisStreamEnvelope.unwrap(event));
        assertTrue(e.getMessage().contains(ForeignEventTypes.REDIS_STREAM), e.getMessage());
    }

    @Test
    void badEnvelopesAreReportedClearly() {
        assertBad("{\"not\":\"an array\"}", "JSON array");
        assertBad("[\"ce_id\"]", "even number");
        assertBad("[\"ce_id\", 7]", "element 1 is not a string");
        assertBad("[\"ce_id\"", "not valid JSON");
        assertBad("[\"ce_specversion\",\"1.0\",\"ce_type\",\"t\",\"ce_source\",\"/s\"]", "missing required field ce_id");
        assertBad("[\"ce_specversion\",\"0.3\",\"ce_id\",\"1\",\"ce_type\",\"t\",\"ce_source\",\"/s\"]", "'0.3'");
        assertBad("[\"ce_specversion\",\"1.0\",\"ce_id\",\"1\",\"ce_type\",\"t\",\"ce_source\",\"/s\",\"ce_time\",\"noon\"]",
                "ce_time 'noon'");
        assertBad("[\"ce_specversion\",\"1.0\",\"ce_id\",\"1\",\"ce_id\",\"2\"]", "appears twice");
        CloudEvent noData = CloudEventBuilder.v1().withId("9-0").withType(ForeignEventTypes.REDIS_STREAM)
                .withSource(URI.create("redis://r:6379/s")).build();
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> RedisStreamEnvelope.unwrap(noData));
        assertTrue(e.getMessage().contains("9-0") && e.getMessage().contains("no data"), e.getMessage());
    }

    @Test
    void embeddedStreamWrapsLikeTheAdapterWithSequentialEntryIds() {
        List<CloudEvent> atBroker = new CopyOnWriteArrayList<>();
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(1_718_000_000_000L), ZoneOffset.UTC);
        EmbeddedJobStream stream = new EmbeddedJobStream(atBroker::add, "geocrop:jobs", fixed);
        CloudEvent first = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent second = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        stream.publish(first);
        stream.publish(second);
        assertEquals(List.of("1718000000000-0", "1718000000000-1"), atBroker.stream().map(CloudEvent::getId).toList());
        assertEquals(URI.create("embedded://geocrop/geocrop:jobs"), atBroker.getFirst().getSource());
        assertEquals(ForeignEventTypes.REDIS_STREAM, atBroker.getFirst().getType());
        TestEvents.assertSameEvent(first, RedisStreamEnvelope.unwrap(atBroker.get(0)));
        TestEvents.assertSameEvent(second, RedisStreamEnvelope.unwrap(atBroker.get(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stream.publish(TestEvents.sampleEvent(EventType.JOB_FAILED)));
        assertTrue(e.getMessage().contains("io.geocrop.job.failed.v1"), e.getMessage());
    }

    @Test
    void embeddedEntryIdsNeverGoBackwards() {
        List<CloudEvent> atBroker = new CopyOnWriteArrayList<>();
        long[] now = {5_000};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now[0]); }
        };
        EmbeddedJobStream stream = new EmbeddedJobStream(atBroker::add, "s", clock);
        stream.publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED));
        now[0] = 4_000; // clock stepped back
        stream.publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED));
        now[0] = 6_000;
        stream.publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED));
        assertEquals(List.of("5000-0", "5000-1", "6000-0"), atBroker.stream().map(CloudEvent::getId).toList());
    }

    private static void assertBad(String data, String expected) {
        CloudEvent envelope = CloudEventBuilder.v1().withId("1718000000000-0").withType(ForeignEventTypes.REDIS_STREAM)
                .withSource(URI.create("redis://r:6379/geocrop:jobs"))
                .withData("application/json", data.getBytes(StandardCharsets.UTF_8)).build();
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> RedisStreamEnvelope.unwrap(envelope));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("1718000000000-0"), "names the entry: " + e.getMessage());
    }

    private static CloudEvent roundTrip(CloudEvent event) {
        return RedisStreamEnvelope.unwrap(RedisStreamEnvelope.asRedisStreamSourceEvent(
                "1-0", "redis://r:6379", "s", RedisStreamEnvelope.toFields(event)));
    }
}
