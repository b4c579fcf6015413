package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessEventRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<InProcessEventRouter> routers = new ArrayList<>();

    @AfterEach
    void closeRouters() {
        routers.forEach(InProcessEventRouter::close);
    }

    @Test
    void deliversToEveryMatchingTriggerACopyEach() throws Exception {
        TriggerRule failedToA = rule("failed-to-a", EventType.JOB_FAILED, "a");
        TriggerRule failedToB = rule("failed-to-b", EventType.JOB_FAILED, "b");
        TriggerRule completedToA = rule("completed-to-a", EventType.JOB_COMPLETED, "a");
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(failedToA, failedToB, completedToA)).build());
        List<CloudEvent> atA = new CopyOnWriteArrayList<>();
        List<CloudEvent> atB = new CopyOnWriteArrayList<>();
        router.register("a", atA::add);
        router.register("b", atB::add);
        CloudEvent failed = TestEvents.sampleEvent(EventType.JOB_FAILED);
        router.publish(failed);
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(1, atA.size());
        assertEquals(1, atB.size());
        TestEvents.assertSameEvent(failed, atA.getFirst());
        TestEvents.assertSameEvent(failed, atB.getFirst());
        assertNotSame(atA.getFirst(), atB.getFirst(), "each trigger gets its own copy");
    }

    @Test
    void aCopyOfAnEventStillPendingIsDroppedAndOneRoutedAfterItIsDelivered() throws Exception {
        // The reconciler re-emits a slow job's tiles with their fixed ids: a copy of work already waiting for the
        // same slots adds nothing but more work, so it is dropped while the original is pending, not afterwards.
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "slow"))).build());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        router.register("slow", e -> {
            release.await();
            handled.incrementAndGet();
        });
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_FAILED);
        router.publish(event);
        router.publish(event);
        router.publish(io.cloudevents.core.builder.CloudEventBuilder.from(event).withId(event.getId() + "-other").build());
        release.countDown();
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(2, handled.get(), "the copy with the same id was dropped, the other id delivered");

        router.publish(event);
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(3, handled.get(), "once delivered, the same id is routed again");
    }

    @Test
    void publishReturnsBeforeTheSubscriberRuns() throws Exception {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "slow"))).build());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        router.register("slow", e -> {
            release.await();
            handled.incrementAndGet();
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        assertEquals(0, handled.get());
        assertTrue(!router.awaitIdle(Duration.ofMillis(50)), "a blocked delivery keeps the router busy");
        release.countDown();
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(1, handled.get());
    }

    @Test
    void eventsNoTriggerMatchesAreDropped() throws Exception {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a"))).build());
        List<CloudEvent> atA = new CopyOnWriteArrayList<>();
        router.register("a", atA::add);
        router.publish(TestEvents.sampleEvent(EventType.JOB_COMPLETED));
        assertTrue(router.awaitIdle(WAIT));
        assertTrue(atA.isEmpty());
        assertTrue(router.undeliverable().isEmpty(), "no trigger means dropped, not undeliverable");
    }

    @Test
    void failingSubscriberIsRetriedUntilItSucceeds() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "flaky")))
                .delivery(new DeliverySpec(3, DeliverySpec.BackoffPolicy.EXPONENTIAL, Duration.ofMillis(20), null, null))
                .deadLetters(deadLetters::add).build());
        List<Long> attemptTimes = new CopyOnWriteArrayList<>();
        router.register("flaky", e -> {
            attemptTimes.add(System.nanoTime());
            if (attemptTimes.size() < 3) {
                throw new IllegalStateException("cold start");
            }
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(3, attemptTimes.size());
        assertTrue(deadLetters.isEmpty());
        // Exponential backoff: about 20 ms, then about 40 ms.
        assertTrue(Duration.ofNanos(attemptTimes.get(1) - attemptTimes.get(0)).toMillis() >= 18);
        assertTrue(Duration.ofNanos(attemptTimes.get(2) - attemptTimes.get(1)).toMillis() >= 38);
    }

    @Test
    void subscriberThatKeepsFailingIsDeadLettered() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = track(InProcessEventRouter.fromManifests(KnativeTriggers.fromClasspath())
                .retry(2, Duration.ofMillis(5))
                .deadLetters(deadLetters::add).build());
        AtomicInteger attempts = new AtomicInteger();
        router.register("extract-features", e -> {
            throw new IllegalStateException("STAC search failed (attempt " + attempts.incrementAndGet() + ")");
        });
        new EmbeddedJobStream(router).publish(TestEvents.sampleEvent(EventType.JOB_SUBMITTED));
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(3, attempts.get(), "first attempt plus 2 retries");
        assertEquals(1, deadLetters.size());
        DeadLetter letter = deadLetters.getFirst();
        assertEquals("extract-features-on-job-submitted", letter.trigger());
        assertEquals("extract-features", letter.service());
        assertEquals(3, letter.attempts());
        assertEquals("STAC search failed (attempt 3)", letter.lastError().getMessage());
        assertEquals(ForeignEventTypes.REDIS_STREAM, letter.event().getType());
    }

    @Test
    void subscriberErrorsAreDeadLetteredNotLost() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a")))
                .delivery(new DeliverySpec(1, DeliverySpec.BackoffPolicy.LINEAR, Duration.ofMillis(1), null, null))
                .deadLetters(deadLetters::add).build());
        router.register("a", e -> {
            throw new AssertionError("handler bug");
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(1, deadLetters.size());
        assertEquals(2, deadLetters.getFirst().attempts());
        assertTrue(deadLetters.getFirst().lastError() instanceof AssertionError);
    }

    @Test
    void deadLetterCarriesKnativesErrorExtensions() throws Exception {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_COMPLETED);
        DeadLetter letter = new DeadLetter(event, "t", "score-tile", 6, new IllegalStateException("x".repeat(2000)));
        CloudEvent dead = letter.toKnativeDeadLetterEvent();
        assertEquals(event.getId(), dead.getId());
        assertEquals("http://score-tile", dead.getExtension(DeadLetter.ERROR_DEST));
        assertEquals(500, dead.getExtension(DeadLetter.ERROR_CODE));
        byte[] error = java.util.Base64.getDecoder().decode((String) dead.getExtension(DeadLetter.ERROR_DATA));
        assertEquals(1024, error.length, "capped as Knative caps it");
        assertTrue(new String(error, java.nio.charset.StandardCharsets.UTF_8).startsWith("java.lang.IllegalStateException: xxx"));
        // It still travels over HTTP like any event.
        TestEvents.assertSameEvent(dead, CloudEventHttp.decode(
                CloudEventHttp.encodeBinary(dead).headers().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, en -> List.of(en.getValue()))), CloudEventHttp.encodeBinary(dead).body()));
    }

    @Test
    void routerFromManifestsUsesTheBrokersDelivery() {
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        List<DeliverySpec> seen = new ArrayList<>();
        InProcessEventRouter router = track(InProcessEventRouter.fromManifests(manifests).build());
        router.triggers().forEach(t -> seen.add(manifests.deliveryFor(t)));
        assertEquals(Collections.nCopies(router.triggers().size(), manifests.brokerDelivery("geocrop").orElseThrow()), seen);
        assertEquals(5, seen.getFirst().retry());
    }

    @Test
    void unregisteredServiceKeepsEventsInABoundedUndeliverableList() throws Exception {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("to-nowhere", EventType.JOB_FAILED, "score-tile")))
                .undeliverableCapacity(3).build());
        List<CloudEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CloudEvent event = TestEvents.sampleEvent(EventType.JOB_FAILED);
            published.add(event);
            router.publish(event); // must not throw
        }
        assertTrue(router.awaitIdle(WAIT));
        List<Undeliverable> kept = router.undeliverable();
        assertEquals(3, kept.size(), "bounded");
        assertEquals(published.get(2).getId(), kept.get(0).event().getId(), "oldest dropped first");
        assertEquals(published.get(4).getId(), kept.get(2).event().getId());
        assertEquals("to-nowhere", kept.getFirst().trigger());
        assertEquals("score-tile", kept.getFirst().service());
    }

    @Test
    void registeringAServiceTwiceIsAWiringError() {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of()).build());
        router.register("a", e -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> router.register("a", x -> {}));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void closedRouterRefusesEventsAndLeavesWhatItCutShortUndeadLettered() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a")))
                .delivery(new DeliverySpec(5, DeliverySpec.BackoffPolicy.EXPONENTIAL, Duration.ofSeconds(30), null, null))
                .deadLetters(deadLetters::add)
                .shutdownGrace(Duration.ofMillis(100))
                .build();
        router.register("a", e -> {
            throw new IllegalStateException("down");
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        Thread.sleep(50); // first attempt fails, then it waits 30 s to retry
        router.close();
        assertTrue(router.awaitIdle(WAIT));
        // A shutdown is not the event's fault: no dead letter (which would fail its job); the job store keeps the work.
        assertEquals(List.of(), deadLetters, "a delivery cut short by close() is not dead-lettered");
        EventDeliveryException e = assertThrows(EventDeliveryException.class,
                () -> router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void concurrencyIsBounded() throws Exception {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a")))
                .maxConcurrentDeliveries(2).build());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        router.register("a", e -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(20);
            running.decrementAndGet();
        });
        for (int i = 0; i < 10; i++) {
            router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        }
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(2, peak.get());
    }

    @Test
    void runningSubscriberInterruptedByCloseIsNotDeadLettered() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a")))
                .deadLetters(deadLetters::add)
                .shutdownGrace(Duration.ofMillis(50))
                .build();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        router.register("a", e -> {
            started.countDown();
            Thread.sleep(Long.MAX_VALUE); // a tile that would take forever: close() has to interrupt it
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
        router.close();
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(List.of(), deadLetters);
    }

    @Test
    void outOfMemoryInASubscriberIsRetriedThenDeadLetteredNotLost() throws Exception {
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.JOB_FAILED, "a")))
                .delivery(new DeliverySpec(2, DeliverySpec.BackoffPolicy.LINEAR, Duration.ofMillis(1), null, null))
                .deadLetters(deadLetters::add).build());
        AtomicInteger calls = new AtomicInteger();
        router.register("a", e -> {
            calls.incrementAndGet();
            throw new OutOfMemoryError("Java heap space");
        });
        router.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));
        assertTrue(router.awaitIdle(WAIT));
        assertEquals(3, calls.get(), "an OutOfMemoryError is a failed attempt: retried");
        assertEquals(1, deadLetters.size(), "then dead-lettered, never dropped");
        assertTrue(deadLetters.getFirst().lastError() instanceof OutOfMemoryError);
    }

    /**
     * The order of service is decided by the gate, not by timing: one slot, a 10-tile job whose first tile holds
     * it, then a 2-tile job. Each release hands the slot to the next job in turn, so the small job's tiles run 3rd
     * and 5th (not 11th and 12th, as they would first come, first served).
     */
    @Test
    void tilesOfASmallJobInterleaveWithABigJobThatCameFirst() throws Exception {
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(rule("r", EventType.TILE_REQUESTED, "x")))
                .concurrency("x", 1).build());
        List<String> served = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore proceed = new java.util.concurrent.Semaphore(0);
        router.register("x", e -> {
            served.add(e.getSubject());
            proceed.acquire();
        });
        java.util.UUID big = java.util.UUID.randomUUID();
        java.util.UUID small = java.util.UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            router.publish(tile(big, i));
        }
        awaitWaiting(router, "x", 9); // the first holds the slot, nine wait in the big job's queue
        for (int i = 0; i < 2; i++) {
            router.publish(tile(small, i));
        }
        awaitWaiting(router, "x", 11);
        for (int i = 0; i < 12; i++) {
            proceed.release();
        }
        assertTrue(router.awaitIdle(WAIT));
        List<String> jobs = served.stream().map(s -> s.equals(big.toString()) ? "big" : "small").toList();
        assertEquals(List.of("big", "big", "small", "big", "small", "big", "big", "big", "big", "big", "big", "big"),
                jobs);
        assertEquals(1, router.concurrency("x"));
        assertEquals(32, router.concurrency("other"));
    }

    @Test
    void eachSubscriberHasItsOwnSlots() throws Exception {
        TriggerRule toA = rule("ra", EventType.TILE_REQUESTED, "a");
        TriggerRule toB = rule("rb", EventType.TILE_REQUESTED, "b");
        InProcessEventRouter router = track(InProcessEventRouter.builder(List.of(toA, toB))
                .concurrency("a", 1).concurrency("b", 1).build());
        java.util.concurrent.CountDownLatch bothRunning = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        EventSubscriber holding = e -> {
            bothRunning.countDown();
            release.await();
        };
        router.register("a", holding);
        router.register("b", holding);
        router.publish(tile(java.util.UUID.randomUUID(), 0));
        // a's slot does not block b: both are running at once although each has only one.
        assertTrue(bothRunning.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, router.running("a"));
        assertEquals(1, router.running("b"));
        release.countDown();
        assertTrue(router.awaitIdle(WAIT));
    }

    private static CloudEvent tile(java.util.UUID job, int i) {
        TileRequestedV1 data = new TileRequestedV1(job, "32736-" + i + "-0", 2024, List.of("item"),
                java.time.Instant.parse("2025-03-01T10:15:30Z"));
        return GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-requested-" + job + "-" + i, job.toString(), data);
    }

    private static void awaitWaiting(InProcessEventRouter router, String service, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (router.waiting(service) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(router.waiting(service) + " waiting, expected " + n);
            }
            Thread.sleep(5);
        }
    }

    private InProcessEventRouter track(InProcessEventRouter router) {
        routers.add(router);
        return router;
    }

    private static TriggerRule rule(String name, EventType type, String service) {
        return new TriggerRule(name, "geocrop", Map.of("type", type.type()), List.of(), service, "/");
    }
}
