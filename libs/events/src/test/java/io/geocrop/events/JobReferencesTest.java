package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobReferencesTest {
    private final UUID job = UUID.randomUUID();

    @Test
    void findsTheJobOfEveryKindOfEvent() {
        CloudEvent submitted = GeoCropEvents.create(EventType.JOB_SUBMITTED, "jobs/" + job,
                new JobSubmittedV1(job, 31.0, -18.0, 1000, 2024, "m@champion", Instant.now()));
        assertEquals(Optional.of(job), JobReferences.jobIdOf(submitted));

        CloudEvent wrapped = RedisStreamEnvelope.asRedisStreamSourceEvent("1-0", "redis://r:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        assertEquals(Optional.of(job), JobReferences.jobIdOf(wrapped));

        CloudEvent tile = GeoCropEvents.create(EventType.TILE_REQUESTED, "jobs/" + job,
                new TileRequestedV1(job, "32736-1-2", 2024, List.of("S2A_36KVE_20240905_0_L2A"), Instant.now()));
        assertEquals(Optional.of(job), JobReferences.jobIdOf(tile));

        CloudEvent failed = GeoCropEvents.create(EventType.JOB_FAILED, "jobs/" + job, new JobFailedV1(job, "x", Instant.now()));
        assertEquals(Optional.of(job), JobReferences.jobIdOf(failed));
        CloudEvent completed = GeoCropEvents.create(EventType.JOB_COMPLETED, "jobs/" + job,
                new JobCompletedV1(job, "results/" + job + "/crop-map.tif", Map.of("cog", "results/" + job + "/crop-map.tif"), Instant.now()));
        assertEquals(Optional.of(job), JobReferences.jobIdOf(completed));

        byte[] notification = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features",
                ObjectKeys.featureTile(job, "32736-1-2"), 10, "abc", "image/tiff", Instant.now()), "s3:ObjectCreated:Put");
        List<CloudEvent> s3 = S3Notifications.toCloudEvents(notification);
        assertEquals(Optional.of(job), JobReferences.jobIdOf(s3.getFirst()));
    }

    @Test
    void eventsWithoutAJobGiveNothing() {
        byte[] upload = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features",
                "uploads/my-stack.tif", 10, "abc", "image/tiff", Instant.now()), "s3:ObjectCreated:Put");
        assertTrue(JobReferences.jobIdOf(S3Notifications.toCloudEvents(upload).getFirst()).isEmpty());
        CloudEvent ping = CloudEventBuilder.v1().withId("p").withSource(URI.create("/ping")).withType("dev.knative.sources.ping").build();
        assertTrue(JobReferences.jobIdOf(ping).isEmpty());
        CloudEvent broken = CloudEventBuilder.v1().withId("b").withSource(URI.create("/x")).withType(EventType.JOB_SUBMITTED.type())
                .withData("application/json", "{\"nope\": 1}".getBytes()).build();
        assertTrue(JobReferences.jobIdOf(broken).isEmpty());
    }
}
