package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.jobs.JobStores;
import io.geocrop.platform.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** One database poll per followed job however many streams follow it; caps per client and per instance. */
class ProgressStreamSharingTest {

    /** A real H2 job store that counts the lookups the streams make. */
    private static final class CountingStore {
        final AtomicInteger finds = new AtomicInteger();
        final JobStore store;

        CountingStore() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:sse-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            JobStore real = JobStores.forDataSource(ds, Clock.systemUTC());
            store = (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                    new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("find")) {
                            finds.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private static UUID submit(JobStore store) {
        UUID id = UUID.randomUUID();
        store.submit(new NewJob(id, new JobRequest(new Aoi(29.8, -18.5, 500), new Season(2023)), "m@champion", "k-" + id));
        return id;
    }

    private static List<Disposable> follow(JobProgressStream progress, UUID job, int streams, AtomicInteger events) {
        List<Disposable> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(progress.follow(job, "client-" + i).subscribe(e -> events.incrementAndGet()));
        }
        return open;
    }

    @Test
    void tenStreamsOnOneJobQueryAtTheRateOfOne() throws Exception {
        // Both run side by side with the same poll interval: when one stream has caused 30 lookups, ten streams on
        // one job must have caused about as many (one poll per stream would be about 300). No clock is asserted.
        CountingStore single = new CountingStore();
        CountingStore shared = new CountingStore();
        JobProgressStream one = new JobProgressStream(single.store, Duration.ofMillis(20), Duration.ofMinutes(1), 100, 100);
        JobProgressStream ten = new JobProgressStream(shared.store, Duration.ofMillis(20), Duration.ofMinutes(1), 100, 100);
        UUID a = submit(single.store);
        UUID b = submit(shared.store);
        single.finds.set(0);
        shared.finds.set(0);
        AtomicInteger eventsOne = new AtomicInteger();
        AtomicInteger eventsTen = new AtomicInteger();
        List<Disposable> open = new ArrayList<>(follow(ten, b, 10, eventsTen));
        open.addAll(follow(one, a, 1, eventsOne));
        while (single.finds.get() < 30) {
            Thread.sleep(5);
        }
        int lookupsTen = shared.finds.get();
        open.forEach(Disposable::dispose);
        assertTrue(lookupsTen <= 30 + 10, "10 streams made " + lookupsTen + " lookups while 1 stream made 30");
        assertEquals(10, eventsTen.get(), "every stream got the job's state once (it did not change)");
        assertEquals(0, ten.openStreams());
    }

    @Test
    void capsPerClientAndPerInstance() {
        CountingStore counting = new CountingStore();
        UUID job = submit(counting.store);
        JobProgressStream progress = new JobProgressStream(counting.store, Duration.ofSeconds(1), Duration.ofMinutes(1), 2, 3);
        List<Disposable> open = new ArrayList<>();
        open.add(progress.follow(job, "a").subscribe());
        open.add(progress.follow(job, "a").subscribe());
        ProblemException perClient = assertThrows(ProblemException.class, () -> progress.follow(job, "a"));
        assertEquals(429, perClient.problem().status());
        assertEquals("10", perClient.headers().get("Retry-After"));
        open.add(progress.follow(job, "b").subscribe());
        ProblemException perInstance = assertThrows(ProblemException.class, () -> progress.follow(job, "c"));
        assertEquals(503, perInstance.problem().status());
        open.forEach(Disposable::dispose);
        assertEquals(0, progress.openStreams());
        open.add(progress.follow(job, "c").subscribe());
        open.forEach(Disposable::dispose);
        Optional<Job> unchanged = counting.store.find(job);
        assertTrue(unchanged.isPresent());
    }
}
