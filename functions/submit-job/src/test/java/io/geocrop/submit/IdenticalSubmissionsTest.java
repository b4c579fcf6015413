package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.jobs.PostgresTestSchema;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Concurrent identical submissions on the real PostgreSQL, through HTTP, with the default admission budget: one job. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdenticalSubmissionsTest implements TestPropertyProvider {
    @Inject EmbeddedServer server;

    private PostgresTestSchema pg;

    @Override
    public Map<String, String> getProperties() {
        pg = PostgresTestSchema.create("identical", 2);
        Map<String, String> props = pg.datasourceProperties(16);
        props.put("geocrop.ingress.rate-limit", "10000");
        return EmbeddedTestProperties.with(props);
    }

    @AfterAll
    void dropSchema() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void concurrentIdenticalSubmissionsMakeExactlyOneJob() throws Exception {
        int clients = 64;
        String body = "{\"lon\": 29.5, \"lat\": -17.83, \"radius_m\": 100, \"year\": 2024}";
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<HttpTestClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                HttpTestClient client = new HttpTestClient(server.getURI());
                replies.add(pool.submit(() -> {
                    start.await();
                    return client.postJson("/jobs", body);
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<HttpTestClient.Reply> f : replies) {
                HttpTestClient.Reply reply = f.get();
                // Identical requests wait for the first one's answer (200); only one that waited longer than that
                // allows may be told to come back (503 with Retry-After). None makes a second job.
                if (reply.status() == 503) {
                    assertTrue(reply.header("Retry-After") != null, reply.body());
                    continue;
                }
                assertTrue(reply.status() == 202 || reply.status() == 200, reply.status() + " " + reply.body());
                created += reply.status() == 202 ? 1 : 0;
                ids.add(reply.json().get("id").asText());
            }
            assertEquals(1, created, "one 202, the rest 200");
            assertEquals(1, ids.size(), "every answer names the same job: " + ids);
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM jobs")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "one row in the job store");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
