package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The CLI's status poll: a server that answers too slowly is asked again, not taken for a failed job. */
class ApiClientTest {

    @Test
    void aSlowStatusAnswerIsEmptyForAPollAndAnErrorForAPlainGet() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/jobs/", exchange -> {
            // The first two requests are held until the test lets them go (longer than the client waits).
            if (calls.incrementAndGet() <= 2) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"state\":\"extracting\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofMillis(300));
            assertTrue(api.poll("jobs/a").isEmpty(), "a poll that timed out is empty");
            CliException e = assertThrows(CliException.class, () -> api.get("jobs/a"));
            assertTrue(e.getMessage().contains("jobs/a"), e.getMessage());
            release.countDown();
            assertEquals("extracting", api.poll("jobs/a").orElseThrow().path("state").asText(),
                    "the next poll gets the answer");
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void aPollOfAServerThatIsNotThereIsStillAnError() {
        ApiClient api = new ApiClient("http://127.0.0.1:1", Duration.ofMillis(300));
        CliException e = assertThrows(CliException.class, () -> api.poll("jobs/a"));
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
    }
}
