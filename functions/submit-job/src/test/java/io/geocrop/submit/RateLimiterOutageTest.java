package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.geocrop.jobs.JobStore;
import io.geocrop.platform.BlackholeProxy;
import io.geocrop.platform.EmbeddedTestProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Redis down policy of the rate limiter: fail closed. With the path to Redis black-holed (connections open, no
 * answers), a public write is refused with 503 and {@code Retry-After} after the command timeout, no job is created,
 * and the server keeps answering other requests meanwhile (the limiter waits on the blocking executor, never on the
 * event loop).
 */
class RateLimiterOutageTest {
    private static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    private static final String BODY = "{\"lon\": 29.8, \"lat\": -18.5, \"radius_m\": 500, \"year\": %d}";

    @Test
    void aBlackholedRedisRefusesWritesWith503AndStallsNothingElse() throws Exception {
        RedisURI target = RedisURI.create(REDIS);
        String stream = "geocrop:test:outage:" + UUID.randomUUID();
        try (BlackholeProxy proxy = new BlackholeProxy(target.getHost(), target.getPort())) {
            Map<String, Object> props = new HashMap<>(EmbeddedTestProperties.with(Map.of(
                    "geocrop.events.transport", "cluster",
                    "geocrop.events.redis-uri", proxy.redisUri(),
                    "geocrop.events.redis-timeout", "2s",
                    "geocrop.events.stream", stream,
                    "geocrop.ingress.api-key", "outage-key")));
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                ApplicationContext app = server.getApplicationContext();
                HttpTestClient http = new HttpTestClient(server.getURI());
                Map<String, String> key = Map.of("X-API-Key", "outage-key");
                HttpTestClient.Reply ok = http.send("POST", "/jobs", "application/json",
                        String.format(BODY, 2019).getBytes(StandardCharsets.UTF_8), key);
                assertEquals(202, ok.status(), ok.body());
                JobStore store = app.getBean(JobStore.class);
                int jobs = store.recent(100).size();

                proxy.blackhole();
                CompletableFuture<HttpTestClient.Reply> write = CompletableFuture.supplyAsync(() -> http.send("POST", "/jobs",
                        "application/json", String.format(BODY, 2020).getBytes(StandardCharsets.UTF_8), key));
                // While that write waits for Redis, reads are answered: the event loop is free.
                HttpTestClient.Reply read = http.get("/jobs");
                assertEquals(200, read.status());
                assertFalse(write.isDone(), "the write is still waiting for the black-holed Redis when the read is answered");

                HttpTestClient.Reply refused = write.get();
                assertEquals(503, refused.status(), refused.body());
                assertNotNull(refused.header("Retry-After"));
                assertEquals("/problems/unavailable", refused.json().get("type").asText());
                assertEquals(jobs, store.recent(100).size(), "no job created while the limiter is down");
            }
        } finally {
            RedisClient client = RedisClient.create(REDIS);
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                redis.sync().del(stream);
            } finally {
                client.shutdown();
            }
        }
    }
}
