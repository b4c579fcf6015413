package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The job store's cost ledger ({@link JobStore#recordCost}, {@link JobStore#cost}), part of {@link JobStoreContract}
 * (which implements this interface, so it runs on every backend).
 */
interface JobCostContract {

    /** The store under test, fresh for each test. */
    JobStore costStore();

    private UUID newJobId() {
        NewJob job = new NewJob(UUID.randomUUID(), new JobRequest(new Aoi(31.05, -17.83, 2000), new Season(2023)),
                "geocrop-crop@champion", null);
        return costStore().submit(job).job().id();
    }

    @Test
    default void costsAreSummedPerStageOverTheirUnits() {
        JobStore store = costStore();
        UUID id = newJobId();
        store.planTiles(id, List.of("t1", "t2"));
        assertTrue(store.cost(id).isEmpty(), "nothing recorded yet");
        assertTrue(store.recordCost(id, JobStore.JOB_UNIT, CostStage.PLANNING, new WorkCost(5_000_000, 3, 40_000, 0)));
        assertTrue(store.recordCost(id, "t1", CostStage.EXTRACTION, new WorkCost(2_000_000_000L, 300, 9_000_000, 5_000)));
        assertTrue(store.recordCost(id, "t2", CostStage.EXTRACTION, new WorkCost(3_000_000_000L, 200, 7_000_000, 6_000)));
        assertTrue(store.recordCost(id, "t1", CostStage.SCORING, new WorkCost(400_000_000, 0, 0, 700)));

        JobCost cost = store.cost(id);
        assertEquals(List.of(CostStage.PLANNING, CostStage.EXTRACTION, CostStage.SCORING),
                List.copyOf(cost.stages().keySet()), "stages in stage order, only those recorded");
        assertEquals(new JobCost.Stage(2, new WorkCost(5_000_000_000L, 500, 16_000_000, 11_000)),
                cost.stages().get(CostStage.EXTRACTION));
        assertEquals(new JobCost.Stage(1, new WorkCost(5_000_000, 3, 40_000, 0)), cost.stages().get(CostStage.PLANNING));
        assertEquals(new WorkCost(5_405_000_000L, 503, 16_040_000, 11_700), cost.total());
    }

    @Test
    default void theFirstRecordOfAUnitWinsAndARepeatRecordsNothing() {
        JobStore store = costStore();
        UUID id = newJobId();
        assertTrue(store.recordCost(id, "t1", CostStage.SCORING, new WorkCost(10, 0, 0, 1)));
        assertFalse(store.recordCost(id, "t1", CostStage.SCORING, new WorkCost(99, 9, 9, 9)), "a redelivery's repeat");
        assertTrue(store.recordCost(id, "t1", CostStage.EXTRACTION, new WorkCost(20, 1, 2, 3)), "another stage");
        assertEquals(Map.of(CostStage.SCORING, new JobCost.Stage(1, new WorkCost(10, 0, 0, 1)),
                CostStage.EXTRACTION, new JobCost.Stage(1, new WorkCost(20, 1, 2, 3))), store.cost(id).stages());
    }

    @Test
    default void concurrentRecordsOfOneUnitRecordItOnce() throws Exception {
        JobStore store = costStore();
        UUID id = newJobId();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                long n = i + 1;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.recordCost(id, "t1", CostStage.EXTRACTION, new WorkCost(n, n, n, n));
                }));
            }
            start.countDown();
            int recorded = 0;
            for (Future<Boolean> f : results) {
                recorded += f.get() ? 1 : 0;
            }
            assertEquals(1, recorded, "exactly one process recorded the unit");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, store.cost(id).stages().get(CostStage.EXTRACTION).units());
    }

    @Test
    default void costsOfAnUnknownJobOrABadUnitAreRefused() {
        JobStore store = costStore();
        UUID unknown = UUID.randomUUID();
        assertThrows(JobNotFoundException.class, () -> store.cost(unknown));
        assertThrows(JobNotFoundException.class,
                () -> store.recordCost(unknown, "t1", CostStage.SCORING, WorkCost.ZERO));
        UUID id = newJobId();
        assertThrows(IllegalArgumentException.class, () -> store.recordCost(id, " ", CostStage.SCORING, WorkCost.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> store.recordCost(id, "x".repeat(101), CostStage.SCORING, WorkCost.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new WorkCost(-1, 0, 0, 0));
    }
}
