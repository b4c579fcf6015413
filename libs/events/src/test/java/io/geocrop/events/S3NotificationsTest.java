package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class S3NotificationsTest {

    private static final Path EVENTS = TestEvents.sharedData().resolve("minio-events");

    @Test
    void minioWebhookBodyGivesOneEventMappedAsTheAdapterSpecSays() throws Exception {
        byte[] body = Files.readAllBytes(EVENTS.resolve("minio/minio-docs-objectcreated-put.json"));
        List<CloudEvent> events = S3Notifications.toCloudEvents(body);
        assertEquals(1, events.size());
        CloudEvent event = events.getFirst();
        assertEquals("1.0", event.getSpecVersion().toString());
        assertEquals("com.amazonaws.s3.ObjectCreated:Put", event.getType(), "MinIO's s3: prefix is stripped");
        assertEquals("182178E8B36AC9DF.dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8", event.getId());
        assertEquals(URI.create("minio:s3..test-bucket"), event.getSource(), "eventSource.awsRegion.bucket, region empty");
        assertEquals("image.jpg", event.getSubject());
        assertEquals(OffsetDateTime.parse("2025-02-06T01:04:31.998Z"), event.getTime());
        assertEquals("application/json", event.getDataContentType());
        assertNull(event.getDataSchema());
        JsonNode record = GeoCropEvents.json().readTree(event.getData().toBytes());
        JsonNode original = GeoCropEvents.json().readTree(body).get("Records").get(0);
        assertEquals(original, record, "data is the record");
        assertEquals(new S3ObjectRef("test-bucket", "image.jpg", 84452, "eb52f8e46f60a27a8a1a704e25757f30"),
                S3Notifications.object(event));
    }

    @Test
    void awsPutGivesOneEvent() throws Exception {
        List<CloudEvent> events = S3Notifications.toCloudEvents(Files.readAllBytes(EVENTS.resolve("aws/awsdocs-objectcreated-put.json")));
        assertEquals(1, events.size());
        CloudEvent event = events.getFirst();
        assertEquals("com.amazonaws.s3.ObjectCreated:Put", event.getType());
        assertEquals("C3D13FE58DE4C810.FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD", event.getId());
        assertEquals(URI.create("aws:s3.us-west-2.mybucket"), event.getSource());
        assertEquals("HappyFace.jpg", event.getSubject());
        assertEquals(OffsetDateTime.parse("1970-01-01T00:00:00.000Z"), event.getTime());
    }

    @Test
    void lambdaGoFixtureKeyIsUrlDecoded() throws Exception {
        List<CloudEvent> events = S3Notifications.toCloudEvents(Files.readAllBytes(EVENTS.resolve("aws/aws-lambda-go-s3-event.json")));
        assertEquals(1, events.size());
        CloudEvent event = events.getFirst();
        assertEquals("Happy Face.jpg", event.getSubject(), "Happy%20Face.jpg decoded");
        assertEquals(URI.create("aws:s3.us-east-1.sourcebucket"), event.getSource());
        assertEquals("Happy Face.jpg", S3Notifications.object(event).key());
        assertEquals(OffsetDateTime.parse("1970-01-01T00:00:00.123Z"), event.getTime());
    }

    @Test
    void testEventGivesNoEvents() throws Exception {
        assertEquals(List.of(), S3Notifications.toCloudEvents(Files.readAllBytes(EVENTS.resolve("aws/awsdocs-s3-testevent.json"))));
        assertEquals(List.of(), S3Notifications.toCloudEvents("{\"EventName\":\"s3:TestEvent\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedNotificationsAreRefusedNamingTheProblem() {
        assertInvalid("{\"Records\":", "not valid JSON");
        assertInvalid("[]", "JSON object");
        assertInvalid("{\"Service\":\"Amazon S3\"}", "no Records");
        assertInvalid("{\"Records\":{}}", "must be an array");
        assertInvalid("{\"Records\":[1]}", "Records[0] is not a JSON object");
        assertInvalid("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventTime\":\"1970-01-01T00:00:00Z\","
                + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}", "no eventName");
        assertInvalid("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventSource\":\"aws:s3\","
                + "\"eventTime\":\"1970-01-01T00:00:00Z\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}", "s3.object.key");
        assertInvalid("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventSource\":\"aws:s3\","
                + "\"eventTime\":\"yesterday\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}", "eventTime 'yesterday'");
        assertInvalid("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventSource\":\"aws:s3\","
                + "\"eventTime\":\"1970-01-01T00:00:00Z\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"bad%zzkey\"}}}]}",
                "bad%zzkey");
    }

    @Test
    void recordWithoutResponseElementsGetsAStableId() {
        String body = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"af-south-1\","
                + "\"eventTime\":\"2025-01-01T00:00:00Z\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\",\"sequencer\":\"01\"}}}]}";
        String first = S3Notifications.toCloudEvents(body.getBytes(StandardCharsets.UTF_8)).getFirst().getId();
        String again = S3Notifications.toCloudEvents(body.getBytes(StandardCharsets.UTF_8)).getFirst().getId();
        assertEquals(first, again);
        String other = S3Notifications.toCloudEvents(body.replace("\"01\"", "\"02\"").getBytes(StandardCharsets.UTF_8)).getFirst().getId();
        assertNotEquals(first, other);
    }

    @Test
    void minioNotificationRoundTripsThroughTheSameMapping() throws Exception {
        String key = "features/6f1c1b6e/r0 c1+ü*~.tif";
        Instant time = Instant.parse("2025-03-01T10:15:30.123456789Z");
        StoredObjectEvent stored = new StoredObjectEvent(Bucket.FEATURES.bucketName(), key, 1_234_567,
                "0123456789abcdef0123456789abcdef", "image/tiff", time);
        byte[] body = S3Notifications.minioNotification(stored, "s3:ObjectCreated:Put");
        List<CloudEvent> events = S3Notifications.toCloudEvents(body);
        assertEquals(1, events.size());
        CloudEvent event = events.getFirst();
        assertEquals(ForeignEventTypes.S3_OBJECT_CREATED_PUT, event.getType());
        assertEquals(key, event.getSubject());
        assertEquals(URI.create("minio:s3..geocrop-features"), event.getSource());
        assertEquals(OffsetDateTime.parse("2025-03-01T10:15:30.123Z"), event.getTime(), "MinIO times have milliseconds");
        assertEquals(new S3ObjectRef("geocrop-features", key, 1_234_567, "0123456789abcdef0123456789abcdef"),
                S3Notifications.object(event));
        // Without the s3: prefix the same body comes out.
        assertEquals(new String(body, StandardCharsets.UTF_8),
                new String(S3Notifications.minioNotification(stored, "ObjectCreated:Put"), StandardCharsets.UTF_8));
        // The same write always gets the same event id; another write another one.
        assertEquals(event.getId(), S3Notifications.toCloudEvents(S3Notifications.minioNotification(stored, "s3:ObjectCreated:Put")).getFirst().getId());
        StoredObjectEvent rewritten = new StoredObjectEvent(stored.bucket(), key, stored.size(), "ffffffffffffffffffffffffffffffff",
                stored.contentType(), time.plusSeconds(1));
        assertNotEquals(event.getId(), S3Notifications.toCloudEvents(S3Notifications.minioNotification(rewritten, "s3:ObjectCreated:Put")).getFirst().getId());
    }

    @Test
    void minioNotificationHasTheShapeMinioPosts() throws Exception {
        JsonNode real = GeoCropEvents.json().readTree(Files.readAllBytes(EVENTS.resolve("minio/minio-docs-objectcreated-put.json")));
        StoredObjectEvent stored = new StoredObjectEvent("geocrop-results", "results/j1/crop map.tif", 42, "abc", "image/tiff",
                Instant.parse("2025-02-06T01:04:31.998Z"));
        JsonNode ours = GeoCropEvents.json().readTree(S3Notifications.minioNotification(stored, "s3:ObjectCreated:Put"));
        assertEquals(paths(real, ""), paths(ours, ""), "same fields at the same places as MinIO's own body");
        assertEquals("s3:ObjectCreated:Put", ours.get("EventName").asText());
        assertEquals("geocrop-results/results/j1/crop map.tif", ours.get("Key").asText(), "Key is bucket/key, not encoded");
        JsonNode record = ours.get("Records").get(0);
        assertEquals("2.0", record.get("eventVersion").asText());
        assertEquals("minio:s3", record.get("eventSource").asText());
        assertEquals("2025-02-06T01:04:31.998Z", record.get("eventTime").asText());
        assertEquals("results%2Fj1%2Fcrop+map.tif", record.at("/s3/object/key").asText(), "Go's QueryEscape, as MinIO does");
        assertEquals(42, record.at("/s3/object/size").asLong());
        assertEquals("arn:aws:s3:::geocrop-results", record.at("/s3/bucket/arn").asText());
        assertEquals("image/tiff", record.at("/s3/object/userMetadata/content-type").asText());
        assertTrue(record.at("/s3/object/sequencer").asText().matches("[0-9A-F]+"));
        assertTrue(record.at("/responseElements/x-amz-request-id").asText().matches("[0-9A-F]{16}"));
    }

    private static void assertInvalid(String body, String expected) {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> S3Notifications.toCloudEvents(body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Set<String> paths(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                out.add(prefix + "/" + name);
                out.addAll(paths(node.get(name), prefix + "/" + name));
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                out.addAll(paths(element, prefix + "[]"));
            }
        }
        return out;
    }
}
