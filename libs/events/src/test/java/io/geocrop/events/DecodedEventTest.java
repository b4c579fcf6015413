package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** One decode per delivered event: envelope, data record or S3 object, job and tile, and the trace scope fed from it. */
class DecodedEventTest {

    @Test
    void anEnvelopedSubmissionIsUnwrappedAndBoundToItsRecord() {
        CloudEvent submitted = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("7-0", "redis://r:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        DecodedEvent decoded = DecodedEvent.decode(envelope);
        assertSame(envelope, decoded.delivered());
        assertEquals(submitted.getId(), decoded.id());
        assertTrue(decoded.is(EventType.JOB_SUBMITTED));
        JobSubmittedV1 data = decoded.data(JobSubmittedV1.class);
        assertEquals(data.jobId(), decoded.jobId());
        assertNull(decoded.tileId());
        assertThrows(InvalidEventException.class, () -> decoded.data(TileRequestedV1.class));
    }

    @Test
    void aTileRequestNamesItsJobAndTile() {
        UUID job = UUID.randomUUID();
        CloudEvent tile = GeoCropEvents.create(EventType.TILE_REQUESTED, job.toString(),
                TestEvents.sampleData(EventType.TILE_REQUESTED, job));
        DecodedEvent decoded = DecodedEvent.decode(tile);
        assertEquals(job, decoded.jobId());
        assertEquals("32736-1234-5678", decoded.tileId());
        MDC.clear();
        try (TraceScope scope = TraceScope.forEvent(decoded)) {
            assertEquals(job.toString(), MDC.get(TraceScope.JOB_ID));
            assertEquals("32736-1234-5678", MDC.get(TraceScope.TILE_ID));
            assertEquals(tile.getId(), MDC.get(TraceScope.EVENT_ID));
            assertEquals(TraceContext.of(tile).orElseThrow().traceId(), scope.context().traceId());
        }
        assertNull(MDC.get(TraceScope.JOB_ID));
    }

    @Test
    void aFeatureTileNotificationCarriesItsObjectJobAndTile() {
        UUID job = UUID.randomUUID();
        byte[] notification = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features",
                ObjectKeys.featureTile(job, "32736-1-2"), 10, "abc", "image/tiff", Instant.now()), "s3:ObjectCreated:Put");
        DecodedEvent decoded = DecodedEvent.decode(S3Notifications.toCloudEvents(notification).getFirst());
        assertTrue(decoded.isS3ObjectCreated());
        assertNull(decoded.type());
        assertEquals("geocrop-features", decoded.object().bucket());
        assertEquals(ObjectKeys.featureTile(job, "32736-1-2"), decoded.object().key());
        assertEquals(job, decoded.jobId());
        assertEquals("32736-1-2", decoded.tileId());
    }

    @Test
    void foreignEventsDecodeToNothingAndMalformedDataIsRefused() {
        CloudEvent ping = CloudEventBuilder.v1().withId("p").withSource(URI.create("/ping"))
                .withType(ForeignEventTypes.PING).build();
        DecodedEvent decoded = DecodedEvent.decode(ping);
        assertNull(decoded.type());
        assertNull(decoded.data());
        assertNull(decoded.jobId());
        assertFalse(decoded.isS3ObjectCreated());

        CloudEvent broken = CloudEventBuilder.v1().withId("b").withSource(URI.create("/x"))
                .withType(EventType.JOB_SUBMITTED.type()).withData("application/json", "{\"nope\": 1}".getBytes()).build();
        assertThrows(InvalidEventException.class, () -> DecodedEvent.decode(broken));
        CloudEvent noObject = CloudEventBuilder.v1().withId("s").withSource(URI.create("minio:s3..b"))
                .withType(ForeignEventTypes.S3_OBJECT_CREATED_PUT).withData("application/json", "{}".getBytes()).build();
        assertThrows(InvalidEventException.class, () -> DecodedEvent.decode(noObject));
        // The dead-letter sink's scope still opens on such an event, keeping its id.
        try (TraceScope scope = TraceScope.forEvent(broken)) {
            assertEquals("b", MDC.get(TraceScope.EVENT_ID));
            assertNull(MDC.get(TraceScope.JOB_ID));
        }
    }
}
