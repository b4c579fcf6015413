package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CloudEventHttpTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void binaryModeRoundTrips(EventType type) {
        CloudEvent event = TestEvents.sampleEvent(type);
        EncodedRequest request = CloudEventHttp.encodeBinary(event);
        assertEquals(event.getId(), request.header("ce-id"));
        assertEquals("1.0", request.header("ce-specversion"));
        assertEquals(type.type(), request.header("ce-type"));
        assertEquals("application/json", request.header("content-type"));
        assertArrayEquals(event.getData().toBytes(), request.body(), "binary mode sends the data as the body");
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(request.headers()), request.body()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void structuredModeRoundTrips(EventType type) throws Exception {
        CloudEvent event = TestEvents.sampleEvent(type);
        EncodedRequest request = CloudEventHttp.encodeStructured(event);
        assertTrue(request.header("Content-Type").startsWith("application/cloudevents+json"));
        var json = GeoCropEvents.json().readTree(request.body());
        assertEquals(event.getId(), json.get("id").asText());
        assertTrue(json.get("data").isObject(), "JSON data is embedded as JSON, not as a string");
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(request.headers()), request.body()));
    }

    @Test
    void headerLookupIgnoresCase() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_FAILED);
        EncodedRequest request = CloudEventHttp.encodeBinary(event);
        Map<String, String> upper = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> upper.put(k.toUpperCase(Locale.ROOT), v));
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(upper), request.body()));
    }

    @Test
    void headerMapKeepsEveryExtension() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_FAILED))
                .withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .withExtension("partitionkey", "job-7")
                .build();
        EncodedRequest request = CloudEventHttp.encodeBinary(event);
        Map<String, List<String>> multimap = new TreeMap<>();
        // As a server would present them: mixed case, list-valued.
        request.headers().forEach((k, v) -> multimap.put(Character.toUpperCase(k.charAt(0)) + k.substring(1), List.of(v)));
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(multimap, request.body()));
        // The lookup-only variant still keeps trace context, which every hop needs.
        CloudEvent viaLookup = CloudEventHttp.decode(lookup(request.headers()), request.body());
        assertEquals(event.getExtension("traceparent"), viaLookup.getExtension("traceparent"));
    }

    @Test
    void bothModesSendTheTraceContextAsW3cHeadersToo() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_FAILED))
                .withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .withExtension("tracestate", "rojo=00f067aa0ba902b7")
                .build();
        EncodedRequest binary = CloudEventHttp.encodeBinary(event);
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", binary.header("ce-traceparent"));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", binary.header("traceparent"));
        assertEquals("rojo=00f067aa0ba902b7", binary.header("tracestate"));
        EncodedRequest structured = CloudEventHttp.encodeStructured(event);
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", structured.header("traceparent"));
        assertEquals("rojo=00f067aa0ba902b7", structured.header("tracestate"));
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(binary.headers()), binary.body()));
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(structured.headers()), structured.body()));
    }

    @Test
    void anEventWithoutTheExtensionTakesTheRequestsTraceHeaders() {
        CloudEvent bare = CloudEventBuilder.v1().withId("1").withType("t").withSource(URI.create("/s"))
                .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        for (EncodedRequest encoded : List.of(CloudEventHttp.encodeBinary(bare), CloudEventHttp.encodeStructured(bare))) {
            assertNull(encoded.header("traceparent"), "an event without context sends no trace header");
            Map<String, String> headers = new LinkedHashMap<>(encoded.headers());
            headers.put("Traceparent", parent);
            headers.put("tracestate", "congo=t61rcWkgMzE");
            CloudEvent viaLookup = CloudEventHttp.decode(lookup(headers), encoded.body());
            Map<String, List<String>> multimap = new TreeMap<>();
            headers.forEach((k, v) -> multimap.put(k, List.of(v)));
            CloudEvent viaMap = CloudEventHttp.decode(multimap, encoded.body());
            for (CloudEvent decoded : List.of(viaLookup, viaMap)) {
                assertEquals(parent, decoded.getExtension("traceparent"));
                assertEquals("congo=t61rcWkgMzE", decoded.getExtension("tracestate"));
                assertEquals("1", decoded.getId());
            }
        }
    }

    @Test
    void theEventsOwnTraceContextWinsOverTheHeaderAndBadHeadersAreIgnored() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_FAILED);
        Object own = event.getExtension("traceparent");
        EncodedRequest binary = CloudEventHttp.encodeBinary(event);
        Map<String, String> headers = new LinkedHashMap<>(binary.headers());
        headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertEquals(own, CloudEventHttp.decode(lookup(headers), binary.body()).getExtension("traceparent"));

        CloudEvent bare = CloudEventBuilder.v1().withId("1").withType("t").withSource(URI.create("/s")).build();
        Map<String, String> bad = new LinkedHashMap<>(CloudEventHttp.encodeBinary(bare).headers());
        bad.put("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01");
        assertNull(CloudEventHttp.decode(lookup(bad), new byte[0]).getExtension("traceparent"),
                "an invalid header is not turned into an extension");
    }

    @Test
    void nonAsciiAttributesSurviveBinaryMode() {
        CloudEvent event = CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_FAILED))
                .withSubject("features/job 1/tile ü \"q\" 100%.tif")
                .build();
        EncodedRequest request = CloudEventHttp.encodeBinary(event);
        for (String value : request.headers().values()) {
            assertTrue(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "header value is not printable ASCII: " + value);
        }
        TestEvents.assertSameEvent(event, CloudEventHttp.decode(lookup(request.headers()), request.body()));
    }

    @Test
    void percentEncodingFollowsTheHttpBinding() {
        assertEquals("a%20b%22c%25d%C3%BC~", CloudEventHttp.percentEncode("a b\"c%dü~"));
        assertEquals("plain-value/1:2", CloudEventHttp.percentEncode("plain-value/1:2"));
        assertEquals("a b\"c%dü~", CloudEventHttp.percentDecode("a%20b%22c%25d%C3%BC~"));
        // Values from senders that do not encode survive unless they look encoded.
        assertEquals("100% sure", CloudEventHttp.percentDecode("100% sure"));
        assertEquals("50%", CloudEventHttp.percentDecode("50%"));
    }

    @Test
    void eventWithoutDataHasAnEmptyBody() {
        CloudEvent event = CloudEventBuilder.v1().withId("1").withType("t").withSource(URI.create("/s")).build();
        EncodedRequest request = CloudEventHttp.encodeBinary(event);
        assertEquals(0, request.body().length);
        assertNull(request.header("content-type"));
        CloudEvent back = CloudEventHttp.decode(lookup(request.headers()), request.body());
        assertNull(back.getData());
        assertEquals("t", back.getType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source", "specversion", "type"})
    void binaryModeNamesTheMissingAttribute(String attribute) {
        EncodedRequest request = CloudEventHttp.encodeBinary(TestEvents.sampleEvent(EventType.JOB_FAILED));
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.remove("ce-" + attribute);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(headers), request.body()));
        assertTrue(e.getMessage().contains("'" + attribute + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("ce-" + attribute), e.getMessage());
        assertEquals(attribute, e.field().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source", "specversion", "type"})
    void structuredModeNamesTheMissingAttribute(String attribute) throws Exception {
        EncodedRequest request = CloudEventHttp.encodeStructured(TestEvents.sampleEvent(EventType.JOB_FAILED));
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) GeoCropEvents.json().readTree(request.body());
        json.remove(attribute);
        byte[] body = GeoCropEvents.json().writeValueAsBytes(json);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(request.headers()), body));
        assertTrue(e.getMessage().contains("'" + attribute + "'"), e.getMessage());
        assertEquals(attribute, e.field().orElseThrow());
    }

    @Test
    void unsupportedSpecVersionIsRefusedInBothModes() throws Exception {
        EncodedRequest binary = CloudEventHttp.encodeBinary(TestEvents.sampleEvent(EventType.JOB_FAILED));
        Map<String, String> headers = new LinkedHashMap<>(binary.headers());
        headers.put("ce-specversion", "0.3");
        InvalidEventException e1 = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(headers), binary.body()));
        assertTrue(e1.getMessage().contains("'0.3'") && e1.getMessage().contains("1.0"), e1.getMessage());

        EncodedRequest structured = CloudEventHttp.encodeStructured(TestEvents.sampleEvent(EventType.JOB_FAILED));
        String body = new String(structured.body(), StandardCharsets.UTF_8).replace("\"specversion\":\"1.0\"", "\"specversion\":\"2.0\"");
        InvalidEventException e2 = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(structured.headers()), body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e2.getMessage().contains("'2.0'"), e2.getMessage());
    }

    @Test
    void malformedStructuredJsonIsRefused() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+json")),
                "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        InvalidEventException notObject = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+json")), "\"x\"".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notObject.getMessage().contains("JSON object"), notObject.getMessage());
        InvalidEventException empty = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+json")), new byte[0]));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void batchModeIsRefusedWithAClearMessage() {
        byte[] body = ("[" + new String(CloudEventHttp.encodeStructured(TestEvents.sampleEvent(EventType.JOB_FAILED)).body(),
                StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("Content-Type", "application/cloudevents-batch+json; charset=utf-8")), body));
        assertTrue(e.getMessage().contains("batch mode") && e.getMessage().contains("not supported"), e.getMessage());
        // A batch array sent with the structured content type is caught too.
        InvalidEventException e2 = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+json")), body));
        assertTrue(e2.getMessage().contains("batch mode"), e2.getMessage());
    }

    @Test
    void otherStructuredFormatsAndCharsetsAreRefused() {
        InvalidEventException format = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+avro")), new byte[] {1}));
        assertTrue(format.getMessage().contains("application/cloudevents+avro"), format.getMessage());
        InvalidEventException charset = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/cloudevents+json; charset=ISO-8859-1")), "{}".getBytes()));
        assertTrue(charset.getMessage().contains("ISO-8859-1"), charset.getMessage());
    }

    @Test
    void plainRequestIsNotACloudEvent() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> CloudEventHttp.decode(
                lookup(Map.of("content-type", "application/json")), "{}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not a CloudEvent") && e.getMessage().contains("ce-specversion"), e.getMessage());
    }

    @Test
    void invalidAttributeValuesAreRefused() {
        EncodedRequest request = CloudEventHttp.encodeBinary(TestEvents.sampleEvent(EventType.JOB_FAILED));
        Map<String, String> badTime = new LinkedHashMap<>(request.headers());
        badTime.put("ce-time", "yesterday");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(badTime), request.body()));
        assertTrue(e.getMessage().contains("id=" + request.header("ce-id")), e.getMessage());
        Map<String, String> blankId = new LinkedHashMap<>(request.headers());
        blankId.put("ce-id", "  ");
        assertEquals("id", assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(blankId), request.body())).field().orElseThrow());
    }

    @Test
    void adapterEventsWithAHostPortSourceAreRefusedNamingTheSource() {
        // What a RedisStreamSource configured with a bare host:port address sends: "10.0.0.5:6379" is not a
        // URI scheme, so the source is not a URI-reference. This is why the manifest uses redis://.
        Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "1-0", "ce-type",
                ForeignEventTypes.REDIS_STREAM, "ce-source", "10.0.0.5:6379/geocrop:jobs", "content-type", "application/json");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> CloudEventHttp.decode(lookup(headers), "[]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("source") && e.getMessage().contains("10.0.0.5:6379/geocrop:jobs"), e.getMessage());
        // With a redis:// address the same event decodes.
        Map<String, String> fixed = new LinkedHashMap<>(headers);
        fixed.put("ce-source", "redis://redis.geocrop.svc.cluster.local:6379/geocrop:jobs");
        assertEquals(URI.create("redis://redis.geocrop.svc.cluster.local:6379/geocrop:jobs"),
                CloudEventHttp.decode(lookup(fixed), "[]".getBytes(StandardCharsets.UTF_8)).getSource());
    }

    private static Function<String, String> lookup(Map<String, String> headers) {
        Map<String, String> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        insensitive.putAll(headers);
        return insensitive::get;
    }
}
