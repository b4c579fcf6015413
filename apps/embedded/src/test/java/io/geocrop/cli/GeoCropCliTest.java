package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.embedded.EmbeddedApplication;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as a user runs it, against a real embedded server. */
class GeoCropCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheCommands() {
        CliRun help = run("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"serve", "submit", "status"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        CliRun submitHelp = run("submit", "--help");
        assertEquals(0, submitHelp.code());
        assertTrue(submitHelp.out().contains("--radius"), submitHelp.out());
    }

    @Test
    void submitsAndReportsProblemsInPlainWords() throws Exception {
        Map<String, Object> props = Map.of("geocrop.home", Files.createTempDirectory("geocrop-cli").toString(),
                "micronaut.server.port", -1);
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String server = EmbeddedApplication.baseUrl(app);
            CliRun ok = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "1500", "--year", "2021");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("\"state\" : \"queued\""), ok.out());

            CliRun status = run("status", "--server", server);
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("30.1"), status.out());

            CliRun bad = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "50", "--year", "2021");
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("radius_m"), bad.err());
            assertTrue(!bad.err().contains("Exception"), bad.err());
        }
        CliRun down = run("status", "--server", "http://127.0.0.1:9");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach"), down.err());
    }
}
