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
    void eventsOfNoJobAreOnlyLogged() {
        JobStore store = store();
        CloudEvent event = GeoCropEvents.create(EventType.JOB_SUBMITTED, "jobs/x",
                new JobSubmittedV1(UUID.randomUUID(), 30.0, -19.0, 500, 2020, "m@champion", Instant.now()));
        assertTrue(new DeadLetterHandler(store).handle(new DeadLetter(event, "t", "s", 1, new RuntimeException("x"))
                .toKnativeDeadLetterEvent()).isEmpty());
    }
}
