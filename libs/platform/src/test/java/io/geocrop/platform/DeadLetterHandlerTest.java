package io.geocrop.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.domain.JobState;
import io.geocrop.events.DeadLetter;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import java.time.Instant;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A dead letter fails its job with a reason a person can read; a finished job is left alone. */
class DeadLetterHandlerTest {

    private static JobStore store() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:dl-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return JobStores.forDataSource(ds);
    }

    private static Job newJob(JobStore store) {
        UUID id = UUID.randomUUID();
        return store.submit(new NewJob(id, JobRequestRules.defaults().validate(30.0, -19.0, 500.0, 2020), "m@champion", id.toString())).job();
    }

    @Test
    void failsTheJobOfAnUndeliverableEvent() {
        JobStore store = store();
        Job job = newJob(store);
        CloudEvent event = GeoCropEvents.create(EventType.JOB_SUBMITTED, "jobs/" + job.id(),
                new JobSubmittedV1(job.id(), 30.0, -19.0, 500, 2020, "m@champion", Instant.now()));
        new DeadLetterHandler(store).accept(new DeadLetter(event, "extract-features-on-job-submitted", "extract-features", 6,
                new IllegalStateException("imagery source unreachable")));
        Job failed = store.find(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().contains("http://extract-features"), failed.failureReason());
        assertTrue(failed.failureReason().contains("imagery source unreachable"), failed.failureReason());
    }

    @Test
    void aTilesDeadLetterMarksTheTileAndTheJobFailsOnlyWhenTheTileHasNoAttemptsLeft() {
        JobStore store = store();
        Job job = newJob(store);
        store.planTiles(job.id(), java.util.List.of("32735-1-2", "32735-1-3"));
        store.transition(job.id(), JobState.EXTRACTING);
        CloudEvent tile = GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-requested-" + job.id() + "-32735-1-3",
                job.id().toString(), new io.geocrop.events.TileRequestedV1(job.id(), "32735-1-3", 2020,
                        java.util.List.of("item"), Instant.now()));
        DeadLetterHandler handler = new DeadLetterHandler(store, null, 2);

        handler.accept(new DeadLetter(tile, "t", "extract-features", 6, new OutOfMemoryError("Java heap space")));
        Job after = store.find(job.id()).orElseThrow();
        assertEquals(JobState.EXTRACTING, after.state(), "one tile's failure is not the job's");
        io.geocrop.jobs.TileStatus status = store.tiles(job.id()).get(1);
        assertEquals(1, status.failures());
        assertTrue(status.lastFailure().contains("Java heap space"), status.lastFailure());
        assertEquals(1, store.tilesAwaitingRetry(10).size(), "for the reconciler to re-emit");

        handler.accept(new DeadLetter(tile, "t", "extract-features", 6, new OutOfMemoryError("Java heap space")));
        Job failed = store.find(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().startsWith("tile 32735-1-3 failed 2 times"), failed.failureReason());
        assertTrue(failed.failureReason().contains("Java heap space"), failed.failureReason());
    }

    @Test
    void aFeatureNotificationsDeadLetterMarksItsTile() {
        JobStore store = store();
        Job job = newJob(store);
        store.planTiles(job.id(), java.util.List.of("32735-1-2"));
        store.transition(job.id(), JobState.EXTRACTING);
        byte[] minio = io.geocrop.events.S3Notifications.minioNotification(new io.geocrop.storage.StoredObjectEvent(
                "geocrop-features", io.geocrop.storage.ObjectKeys.featureTile(job.id(), "32735-1-2"), 10, "etag",
                "image/tiff", Instant.now()), "s3:ObjectCreated:Put");
        CloudEvent notification = io.geocrop.events.S3Notifications.toCloudEvents(minio).getFirst();

        new DeadLetterHandler(store).accept(new DeadLetter(notification, "t", "score-tile", 6, new RuntimeException("x")));

        assertEquals(JobState.EXTRACTING, store.find(job.id()).orElseThrow().state());
        assertEquals(1, store.tiles(job.id()).getFirst().failures());
    }

        @Test
    void eventsOfNoJobAreOnlyLogged() {
        JobStore store = store();
        CloudEvent event = GeoCropEvents.create(EventType.JOB_SUBMITTED, "jobs/x",
                new JobSubmittedV1(UUID.randomUUID(), 30.0, -19.0, 500, 2020, "m@champion", Instant.now()));
        assertTrue(new DeadLetterHandler(store).handle(new DeadLetter(event, "t", "s", 1, new RuntimeException("x"))
                .toKnativeDeadLetterEvent()).isEmpty());
    }
}
