package io.geocrop.events.dev;

import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.DeadLetter;
import io.geocrop.events.EventDeliveryException;
import io.geocrop.events.EventType;
import io.geocrop.events.Filter;
import io.geocrop.events.KSinkPublisher;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.events.RedisStreamPublisher;
import io.geocrop.events.TestEvents;
import io.geocrop.events.TriggerRule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Knative delivery semantics of the development broker against real HTTP subscribers: retries with backoff, the
 * dead-letter sink with Knative's error extensions, final 4xx answers, replies routed back; and the Redis stream
 * source against a private {@code redis-server} that the test restarts.
 */
class DevBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** extract-features answers with {@code answer}; submit-job records dead letters at /internal/dead-letter. */
    private record Setup(DevBroker broker, HttpSubscriber extract, HttpSubscriber submitJob) {}

    private Setup setup(java.util.function.Function<CloudEvent, HttpSubscriber.Answer> answer, int retries) throws IOException {
        HttpSubscriber extract = track(new HttpSubscriber(answer));
        HttpSubscriber submitJob = track(HttpSubscriber.accepting());
        DevBroker broker = track(DevBroker.fromManifests(KnativeTriggers.fromClasspath())
                .retry(retries, Duration.ofMillis(5))
                .subscriber("extract-features", extract.url())
                .subscriber("submit-job-internal", submitJob.url())
                .build().start("127.0.0.1", 0));
        return new Setup(broker, extract, submitJob);
    }

    @Test
    void aFailingSubscriberIsRetriedUntilItAccepts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Setup s = setup(e -> calls.incrementAndGet() <= 2 ? new HttpSubscriber.Answer(503, "cold start") : HttpSubscriber.Answer.OK, 5);
        CloudEvent event = TestEvents.sampleEvent(EventType.TILE_REQUESTED);

        new KSinkPublisher(s.broker().ingress()).publish(event);

        assertTrue(s.broker().awaitIdle(WAIT));
        assertEquals(3, s.extract().events().size(), "two refusals, then accepted");
        s.extract().events().forEach(e -> TestEvents.assertSameEvent(event, e));
        assertEquals(1, s.broker().stats().delivered());
        assertEquals(2, s.broker().stats().retries());
        assertEquals(List.of(), s.submitJob().events(), "nothing dead-lettered");
    }

    @Test
    void afterTheLastRetryTheEventGoesToTheDeadLetterSinkWithKnativesExtensions() throws Exception {
        Setup s = setup(e -> new HttpSubscriber.Answer(500, "tile failed: disk full"), 2);
        CloudEvent event = TestEvents.sampleEvent(EventType.TILE_REQUESTED);

        new KSinkPublisher(s.broker().ingress()).publish(event);

        assertTrue(s.broker().awaitIdle(WAIT));
        assertEquals(3, s.extract().events().size(), "1 attempt + 2 retries, as spec.delivery.retry says");
        List<HttpSubscriber.Received> letters = s.submitJob().received();
        assertEquals(1, letters.size());
        assertEquals("/internal/dead-letter", letters.getFirst().path(), "the Broker manifest's deadLetterSink uri");
        CloudEvent letter = letters.getFirst().event();
        assertEquals(event.getId(), letter.getId());
        assertEquals(event.getType(), letter.getType());
        assertEquals(s.extract().url() + "/", String.valueOf(letter.getExtension(DeadLetter.ERROR_DEST)));
        assertEquals("500", String.valueOf(letter.getExtension(DeadLetter.ERROR_CODE)));
        assertEquals("tile failed: disk full", new String(Base64.getDecoder().decode(
                String.valueOf(letter.getExtension(DeadLetter.ERROR_DATA))), StandardCharsets.UTF_8));
        assertEquals(1, s.broker().stats().deadLettered());
    }

    @Test
    void aFinalClientErrorIsNotRetried() throws Exception {
        Setup s = setup(e -> new HttpSubscriber.Answer(400, "{\"detail\":\"not an event I take\"}"), 5);

        new KSinkPublisher(s.broker().ingress()).publish(TestEvents.sampleEvent(EventType.TILE_REQUESTED));

        assertTrue(s.broker().awaitIdle(WAIT));
        assertEquals(1, s.extract().events().size(), "400 is final in Knative's dispatcher");
        assertEquals(1, s.submitJob().events().size());
        assertEquals("400", String.valueOf(s.submitJob().events().getFirst().getExtension(DeadLetter.ERROR_CODE)));
    }

    @Test
    void anUnreachableSubscriberIsRetriedThenDeadLettered() throws Exception {
        HttpSubscriber submitJob = track(HttpSubscriber.accepting());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DevBroker broker = track(DevBroker.fromManifests(KnativeTriggers.fromClasspath())
                .retry(1, Duration.ofMillis(5))
                .subscriber("extract-features", URI.create("http://127.0.0.1:" + closedPort))
                .subscriber("submit-job-internal", submitJob.url())
                .build().start("127.0.0.1", 0));

        broker.publish(TestEvents.sampleEvent(EventType.TILE_REQUESTED));

        assertTrue(broker.awaitIdle(WAIT));
        assertEquals(1, broker.stats().retries());
        CloudEvent letter = submitJob.events().getFirst();
        assertEquals(null, letter.getExtension(DeadLetter.ERROR_CODE), "no HTTP status when nothing answered");
        assertTrue(new String(Base64.getDecoder().decode(String.valueOf(letter.getExtension(DeadLetter.ERROR_DATA))),
                StandardCharsets.UTF_8).contains("cannot reach"));
    }

    @Test
    void aReplyThatIsACloudEventIsRoutedBackIntoTheBroker() throws Exception {
        CloudEvent tile = TestEvents.sampleEvent(EventType.TILE_REQUESTED);
        HttpSubscriber extract = track(HttpSubscriber.accepting());
        // Answers a job-failed event with a tile request in structured mode, and a job-completed one with plain JSON.
        HttpSubscriber replier = track(new HttpSubscriber(e -> EventType.JOB_FAILED.type().equals(e.getType())
                ? new HttpSubscriber.Answer(200, new String(CloudEventHttp.encodeStructured(tile).body(), StandardCharsets.UTF_8),
                        CloudEventHttp.STRUCTURED_JSON)
                : HttpSubscriber.Answer.OK));
        DevBroker broker = track(DevBroker.builder(List.of(
                        new TriggerRule("replier", "geocrop", Map.of(), List.of(new Filter.Prefix(Map.of("type", "io.geocrop.job."))), "replier", "/"),
                        new TriggerRule("tiles", "geocrop", Map.of("type", EventType.TILE_REQUESTED.type()), List.of(), "extract", "/")))
                .subscriber("replier", replier.url())
                .subscriber("extract", extract.url())
                .build().start("127.0.0.1", 0));

        broker.publish(TestEvents.sampleEvent(EventType.JOB_COMPLETED));
        broker.publish(TestEvents.sampleEvent(EventType.JOB_FAILED));

        assertTrue(broker.awaitIdle(WAIT));
        assertEquals(2, replier.events().size());
        assertEquals(1, extract.events().size(), "only the CloudEvent reply is routed; plain JSON answers are not events");
        TestEvents.assertSameEvent(tile, extract.events().getFirst());
    }

    @Test
    void theIngressRefusesWhatIsNotACloudEventAndReportsHealth() throws Exception {
        Setup s = setup(e -> HttpSubscriber.Answer.OK, 0);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(s.broker().ingress())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"lon\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("ce-specversion"), refused.body());
        HttpResponse<String> structured = http.send(HttpRequest.newBuilder(s.broker().ingress())
                .header("Content-Type", CloudEventHttp.STRUCTURED_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(CloudEventHttp.encodeStructured(
                        TestEvents.sampleEvent(EventType.TILE_REQUESTED)).body())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, structured.statusCode(), "structured mode is accepted too");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(s.broker().ingress().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"rejected\":1"), health.body());
        assertTrue(s.broker().awaitIdle(WAIT));
        assertEquals(1, s.extract().events().size());
    }

    @Test
    void subscriberTablesAreParsedStrictly() {
        assertEquals(Map.of("a", URI.create("http://127.0.0.1:1"), "b-c", URI.create("https://x.example/base")),
                DevBroker.parseSubscribers(" a=http://127.0.0.1:1 , b-c=https://x.example/base,"));
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> DevBroker.parseSubscribers("a="));
        assertTrue(noUrl.getMessage().contains("'a='"), noUrl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DevBroker.parseSubscribers("a=ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> DevBroker.parseSubscribers("a=http://x,a=http://y"));
        assertEquals(Map.of(), DevBroker.parseSubscribers(""));
    }

    // ---- the Redis stream source --------------------------------------------------------------------------

    @Test
    void theStreamSourceSurvivesARedisRestartWithoutPersistence() throws Exception {
        PrivateRedis redis = track(PrivateRedis.start());
        String stream = "geocrop:jobs";
        List<CloudEvent> arrived = new CopyOnWriteArrayList<>();
        DevRedisStreamSource source = track(DevRedisStreamSource.builder(redis.uri(), stream, arrived::add)
                .block(Duration.ofMillis(200)).maxBackoff(Duration.ofMillis(200)).build().start());
        CloudEvent first = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        try (RedisStreamPublisher publisher = RedisStreamPublisher.connect(redis.uri(), stream, 0)) {
            publisher.publish(first);
        }
        await(() -> arrived.size() == 1);
        TestEvents.assertSameEvent(first, RedisStreamEnvelope.unwrap(arrived.getFirst()));
        assertEquals("redis://127.0.0.1:" + redis.port() + "/" + stream, arrived.getFirst().getSource().toString());

        redis.restart(Duration.ZERO); // data, stream and consumer group are gone
        CloudEvent second = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        try (RedisStreamPublisher publisher = RedisStreamPublisher.connect(redis.uri(), stream, 0)) {
            publisher.publish(second); // possibly before the source has re-created its group
        }
        await(() -> arrived.size() == 2);
        TestEvents.assertSameEvent(second, RedisStreamEnvelope.unwrap(arrived.get(1)));
        assertEquals(2, source.groupsCreated(), "the group was created again after the restart");
        // Counted after the XACK, which follows the hand-over to the sink: wait for it rather than race it.
        await(() -> source.forwarded() == 2);
    }

    @Test
    void likeKnativesAdapterARestartedSourceSkipsWhatWasAddedWhileItWasDown() throws Exception {
        PrivateRedis redis = track(PrivateRedis.start());
        String stream = "geocrop:jobs";
        List<CloudEvent> arrived = new CopyOnWriteArrayList<>();
        DevRedisStreamSource first = DevRedisStreamSource.builder(redis.uri(), stream, arrived::add).likeKnativeAdapter()
                .block(Duration.ofMillis(200)).build().start();
        // The group is created at $ by the source's own thread: an entry added before that is (rightly) never seen.
        RedisClient probe = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = probe.connect()) {
            await(() -> streamHasGroups(c, stream));
        } finally {
            probe.shutdown();
        }
        CloudEvent before = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent whileDown = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent after = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        try (RedisStreamPublisher publisher = RedisStreamPublisher.connect(redis.uri(), stream, 0)) {
            publisher.publish(before);
            await(() -> arrived.size() == 1);
            first.close(); // SIGTERM: XGROUP DESTROY
            RedisClient client = RedisClient.create(redis.uri());
            DevRedisStreamSource second;
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertEquals(List.of(), c.sync().xinfoGroups(stream), "the group is destroyed on shutdown");
                publisher.publish(whileDown);
                second = track(DevRedisStreamSource.builder(redis.uri(), stream, arrived::add)
                        .likeKnativeAdapter().block(Duration.ofMillis(200)).build().start());
                await(() -> !c.sync().xinfoGroups(stream).isEmpty()); // re-created, at $
            } finally {
                client.shutdown();
            }
            publisher.publish(after);
            await(() -> arrived.size() == 2);
            Thread.sleep(400);
            assertEquals(1, second.forwarded());
        }
        List<String> ids = arrived.stream().map(e -> RedisStreamEnvelope.unwrap(e).getId()).toList();
        assertEquals(List.of(before.getId(), after.getId()), ids, "the entry added while it was down is skipped");
    }

    @Test
    void anEntryTheSinkRefusedStaysPendingAndIsReclaimed() throws Exception {
        PrivateRedis redis = track(PrivateRedis.start());
        AtomicInteger calls = new AtomicInteger();
        List<CloudEvent> arrived = new CopyOnWriteArrayList<>();
        DevRedisStreamSource source = track(DevRedisStreamSource.builder(redis.uri(), "geocrop:jobs", event -> {
            if (calls.incrementAndGet() == 1) {
                throw new EventDeliveryException("broker", "broker restarting");
            }
            arrived.add(event);
        }).block(Duration.ofMillis(100)).claimIdle(Duration.ofMillis(300)).build().start());
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        try (RedisStreamPublisher publisher = RedisStreamPublisher.connect(redis.uri(), "geocrop:jobs", 0)) {
            publisher.publish(event);
        }
        await(() -> arrived.size() == 1);
        TestEvents.assertSameEvent(event, RedisStreamEnvelope.unwrap(arrived.getFirst()));
        assertEquals(1, source.reclaimed());
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            await(() -> c.sync().xpending("geocrop:jobs", DevRedisStreamSource.DEFAULT_GROUP).getCount() == 0);
        } finally {
            client.shutdown();
        }
        assertFalse(arrived.size() > 1, "delivered once after the refusal");
    }

    private static boolean streamHasGroups(StatefulRedisConnection<String, String> c, String stream) {
        try {
            return !c.sync().xinfoGroups(stream).isEmpty();
        } catch (io.lettuce.core.RedisException noStreamYet) {
            return false;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

}
