package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.embedded.EmbeddedApplication;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user runs it, against a real embedded server. */
class GeoCropCliTest {

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            CommandLine cli = new CommandLine(new GeoCropCli());
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new PrintStream(out, true), true));
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                cmd.getErr().println("geocrop: " + e.getMessage());
                return e instanceof CliException c ? c.exitCode() : 1;
            });
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(previous);
        }
    }

    @Test
    void helpListsTheCommands() {
        Run help = run("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"serve", "submit", "status"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        Run submitHelp = run("submit", "--help");
        assertEquals(0, submitHelp.code());
        assertTrue(submitHelp.out().contains("--radius"), submitHelp.out());
    }

    @Test
    void submitsAndReportsProblemsInPlainWords() throws Exception {
        Map<String, Object> props = Map.of("geocrop.home", Files.createTempDirectory("geocrop-cli").toString(),
                "micronaut.server.port", -1);
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String server = EmbeddedApplication.baseUrl(app);
            Run ok = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "1500", "--year", "2021");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("\"state\" : \"queued\""), ok.out());

            Run status = run("status", "--server", server);
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("30.1"), status.out());

            Run bad = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "50", "--year", "2021");
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("radius_m"), bad.err());
            assertTrue(!bad.err().contains("Exception"), bad.err());
        }
        Run down = run("status", "--server", "http://127.0.0.1:9");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach"), down.err());
    }
}
