package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.embedded.TestImagery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code geocrop broker} as the multi-process recipe starts it: the development broker's ingress (with no Redis) and,
 * on request, the simulated Digital Earth Africa that extract-features then reads as its STAC catalogue.
 */
class BrokerCommandTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static BrokerCommand parse(String... args) {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private int get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void servesTheIngressAndOnRequestTheSimulatedDea() throws Exception {
        try (BrokerCommand.StandIns standIns = parse("--port", "0", "--no-redis", "--subscribers",
                "extract-features=http://127.0.0.1:9", "--simulated-dea-port", "0", "--imagery-cache",
                TestImagery.CACHE.toString()).start()) {
            assertEquals(200, get(standIns.broker().ingress().resolve("/health")));
            URI stac = standIns.dea().stacUri();
            assertEquals("127.0.0.1", stac.getHost(), "loopback, like --host");
            HttpResponse<String> root = http.send(HttpRequest.newBuilder(stac).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, root.statusCode(), root.body());
            assertTrue(root.body().contains("\"conformsTo\"") || root.body().contains("\"links\""), root.body());
        }
    }

    @Test
    void withoutTheOptionThereIsNoSimulatedDea() throws Exception {
        try (BrokerCommand.StandIns standIns = parse("--port", "0", "--no-redis", "--subscribers",
                "extract-features=http://127.0.0.1:9").start()) {
            assertNull(standIns.dea());
        }
    }
}
