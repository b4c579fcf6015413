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
    void closedRouterRefusesEventsAndInterruptedDeliveriesAreDeadLettered() throws Exception {
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
        assertEquals(1, deadLetters.size(), "a delivery cut short by close() is dead-lettered, not lost");
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

    private InProcessEventRouter track(InProcessEventRouter router) {
        routers.add(router);
        return router;
    }

    private static TriggerRule rule(String name, EventType type, String service) {
        return new TriggerRule(name, "geocrop", Map.of("type", type.type()), List.of(), service, "/");
    }
}
