package io.geocrop.platform.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.NewJob;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The admission budget over a real (H2) job store: readings reused for the TTL, local admissions counted, in-flight places. */
class AdmissionControlTest {
    private final JdbcDataSource ds = new JdbcDataSource();
    private final JobStore store;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong();
    private final JobLoad load;

    AdmissionControlTest() {
        ds.setURL("jdbc:h2:mem:admission-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = JobStores.forDataSource(ds);
        JdbcJobLoad real = new JdbcJobLoad(ds);
        load = new JobLoad() {
            @Override
            public Load read() {
                reads.incrementAndGet();
                return real.read();
            }

            @Override
            public Optional<UUID> jobWithKey(String dedupKey) {
                return real.jobWithKey(dedupKey);
            }
        };
    }

    private UUID submit(String key) {
        UUID id = UUID.randomUUID();
        store.submit(new NewJob(id, new JobRequest(new Aoi(30.0, -18.0, 100), new Season(2024)), "m@champion", key));
        return id;
    }

    private AdmissionControl control(int maxQueued, int maxTiles, int maxInFlight) {
        return new AdmissionControl(new AdmissionSettings(true, maxQueued, maxTiles, Duration.ofSeconds(1),
                Duration.ofSeconds(30), maxInFlight, Duration.ZERO), load, clock::get);
    }

    @Test
    void oneReadingPerTtlAndTheJobsAdmittedMeanwhileCount() {
        submit("a");
        AdmissionControl admission = control(3, 100, 4);
        assertInstanceOf(AdmissionControl.Admitted.class, admission.reserve());
        assertInstanceOf(AdmissionControl.Admitted.class, admission.reserve());
        AdmissionControl.Ticket third = admission.reserve();
        assertInstanceOf(AdmissionControl.Refused.class, third, "1 queued + 2 admitted since the reading = 3");
        assertTrue(((AdmissionControl.Refused) third).reason().contains("3 jobs are queued (at most 3)"));
        assertEquals(1, reads.get(), "one reading for the three requests within the TTL");

        // The two admitted requests turned out identical to existing jobs: their places come back.
        admission.release(new AdmissionControl.Admitted());
        admission.release(new AdmissionControl.Admitted());
        assertInstanceOf(AdmissionControl.Admitted.class, admission.reserve());

        // A second later the store is read again: it holds 1 + 1 queued jobs now.
        submit("b");
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertInstanceOf(AdmissionControl.Admitted.class, admission.reserve());
        assertEquals(2, reads.get());
        assertInstanceOf(AdmissionControl.Refused.class, admission.reserve());
    }

    @Test
    void outstandingTilesOfUnfinishedJobsFillTheBudgetAndFinishedJobsFreeIt() {
        UUID job = submit("a");
        store.planTiles(job, List.of("t1", "t2", "t3"));
        assertEquals(new JobLoad.Load(1, 3), load.read());
        assertInstanceOf(AdmissionControl.Refused.class, control(100, 3, 4).reserve());
        store.fail(job, "imagery: none");
        assertEquals(new JobLoad.Load(0, 0), load.read());
        assertInstanceOf(AdmissionControl.Admitted.class, control(100, 3, 4).reserve());
        assertEquals(Optional.empty(), load.jobWithKey("a"), "a failed job releases its key");
        UUID live = submit("c");
        assertEquals(Optional.of(live), admission().existing("c"));
    }

    private AdmissionControl admission() {
        return control(100, 100, 1);
    }

    @Test
    void atMostMaxInFlightSubmissionsAtOnce() throws Exception {
        AdmissionControl admission = control(100, 100, 2);
        assertTrue(admission.enter());
        assertTrue(admission.enter());
        assertFalse(admission.enter(), "the third waits 0 s and is refused");
        assertEquals(503, admission.busy().problem().status());
        assertEquals("2", admission.busy().headers().get("Retry-After"));
        admission.leave();
        assertTrue(admission.enter());
    }

    @Test
    void disabledAdmitsEverythingWithoutReading() throws Exception {
        AdmissionControl off = new AdmissionControl(new AdmissionSettings(false, 1, 1, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 1, Duration.ZERO), load, clock::get);
        submit("a");
        submit("b");
        assertInstanceOf(AdmissionControl.Admitted.class, off.reserve());
        assertTrue(off.enter());
        assertTrue(off.enter());
        assertEquals(0, reads.get());
    }
}
