package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The embedded transport: an in-process broker routing by the real manifests' Triggers, job submissions
 * through the {@link EmbeddedJobStream}. An extra match-everything Trigger (like Knative's event-display)
 * observes what arrives at the broker.
 */
class InProcessTransportTest extends EventTransportContract {

    private static final String OBSERVER = "contract-observer";

    @Override
    protected Transport openTransport() {
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        InProcessEventRouter router = InProcessEventRouter.fromManifests(manifests)
                .addTrigger(new TriggerRule("observe-everything", "geocrop", Map.of(), List.of(), OBSERVER, "/"))
                .retry(0, Duration.ZERO)
                .deadLetters(deadLetters::add)
                .build();
        BlockingQueue<CloudEvent> arrivals = new LinkedBlockingQueue<>();
        Map<String, List<CloudEvent>> delivered = new ConcurrentHashMap<>();
        router.register(OBSERVER, arrivals::add);
        for (TriggerRule trigger : manifests.triggers()) {
            String service = trigger.subscriberService();
            delivered.computeIfAbsent(service, s -> {
                List<CloudEvent> sink = new CopyOnWriteArrayList<>();
                router.register(s, sink::add);
                return sink;
            });
        }
        assertNotNull(delivered.get("extract-features"), "the manifests route to extract-features");
        EventPublisher publisher = new EmbeddedEventPublisher(router);
        return new Transport() {
            @Override
            public EventPublisher publisher() {
                return publisher;
            }

            @Override
            public List<CloudEvent> awaitArrivals(int count, Duration timeout) throws Exception {
                return poll(arrivals, count, timeout, List.of());
            }

            @Override
            public List<CloudEvent> deliveredTo(String service) throws Exception {
                assertTrue(router.awaitIdle(TIMEOUT), "in-process broker did not settle");
                return List.copyOf(delivered.getOrDefault(service, List.of()));
            }

            @Override
            public void close() {
                router.close();
                assertTrue(router.undeliverable().isEmpty(), "undeliverable: " + router.undeliverable());
                assertTrue(deadLetters.isEmpty(), "dead letters: " + deadLetters);
            }
        };
    }
}
