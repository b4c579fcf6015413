package io.geocrop.events.dev;

import io.geocrop.events.ClusterEventPublisher;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventTransportContract;
import io.geocrop.events.KSinkPublisher;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.events.RedisStreamPublisher;
import io.geocrop.events.TriggerRule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The multi-process transport: job submissions XADDed to a real Redis stream (a unique one per test) and read by
 * {@link DevRedisStreamSource}, every other event POSTed to the {@link DevBroker}'s ingress as {@code K_SINK}, and
 * delivered over HTTP to one loopback server per Knative Service by the real manifests' Trigger filters. An extra
 * match-everything Trigger to an observer server shows what arrived at the broker.
 */
class DevBrokerTransportTest extends EventTransportContract {

    private static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    private static final String OBSERVER = "contract-observer";

    @Override
    protected Transport openTransport() throws Exception {
        String stream = "geocrop:test:devbroker:" + UUID.randomUUID();
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        Map<String, HttpSubscriber> services = new LinkedHashMap<>();
        for (TriggerRule trigger : manifests.triggers()) {
            if (!services.containsKey(trigger.subscriberService())) {
                services.put(trigger.subscriberService(), HttpSubscriber.accepting());
            }
        }
        HttpSubscriber observer = HttpSubscriber.accepting();
        DevBroker.Builder builder = DevBroker.fromManifests(manifests)
                .addTrigger(new TriggerRule("observe-everything", "geocrop", Map.of(), List.of(), OBSERVER, "/"))
                .retry(0, Duration.ZERO)
                .subscriber(OBSERVER, observer.url());
        services.forEach((name, server) -> builder.subscriber(name, server.url()));
        DevBroker broker = builder.build().start("127.0.0.1", 0);
        DevRedisStreamSource source = DevRedisStreamSource.builder(REDIS, stream, broker)
                .block(Duration.ofMillis(200)).build().start();
        RedisStreamPublisher jobs = RedisStreamPublisher.connect(REDIS, stream, 0);
        EventPublisher publisher = new ClusterEventPublisher(jobs, new KSinkPublisher(broker.ingress()));
        return new Transport() {
            @Override
            public EventPublisher publisher() {
                return publisher;
            }

            @Override
            public List<CloudEvent> awaitArrivals(int count, Duration timeout) throws Exception {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (observer.events().size() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("only " + observer.events().size() + " of " + count
                                + " events arrived within " + timeout);
                    }
                    Thread.sleep(10);
                }
                return observer.events().subList(0, count);
            }

            @Override
            public List<CloudEvent> deliveredTo(String service) throws Exception {
                assertTrue(broker.awaitIdle(TIMEOUT), "the broker did not settle");
                HttpSubscriber server = services.get(service);
                return server == null ? List.of() : server.events();
            }

            @Override
            public void close() throws Exception {
                source.close();
                jobs.close();
                broker.close();
                observer.close();
                services.values().forEach(HttpSubscriber::close);
                assertEquals(0, broker.stats().deadLettered(), "dead letters");
                RedisClient client = RedisClient.create(REDIS);
                try (StatefulRedisConnection<String, String> redis = client.connect()) {
                    redis.sync().del(stream);
                } finally {
                    client.shutdown();
                }
            }
        };
    }
}
