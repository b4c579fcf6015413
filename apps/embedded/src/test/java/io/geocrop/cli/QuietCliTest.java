package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal as a newcomer sees it: a command's own output only (log lines go to {@code <home>/logs/geocrop.log},
 * {@code --verbose} brings them back, the JVM prints no warnings with the launcher's options), and a home held by a
 * running server gets one line saying what to do, not H2's stack trace.
 */
class QuietCliTest {
    /** A log line as logback.xml or logback-test.xml prints it, e.g. "12:00:00.123 INFO ...". */
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR)\\b");

    @TempDir
    Path dir;
    Path home;
    Path notATiff;

    @BeforeEach
    void homeWithAModel() throws Exception {
        home = dir.resolve("home");
        // A small real model in the home's registry, so score starts the application without training the demo one.
        System.setProperty("geocrop.models.name", TestModels.small().card().name());
        try (ApplicationContext app = EmbeddedApplication.start(Map.of("geocrop.home", home.toString(),
                "micronaut.server.port", -1, "geocrop.embedded.s3.enabled", false))) {
            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
        }
        notATiff = Files.writeString(dir.resolve("notes.tif"), "not a GeoTIFF");
    }

    @AfterEach
    void clearModelName() {
        System.clearProperty("geocrop.models.name");
    }

    @Test
    void logLinesGoToTheHomesLogFileAndVerboseBringsThemBack() throws Exception {
        // score starts the whole application (its start-up logs at INFO), then cannot score the file.
        CliRun quiet = CliRun.of("score", notATiff.toString(), "--home", home.toString());
        assertEquals(4, quiet.code(), quiet.out() + quiet.err());
        assertFalse(LOG_LINE.matcher(quiet.out()).find(), quiet.out());
        assertFalse(LOG_LINE.matcher(quiet.err()).find(), quiet.err());
        // The error, and maybe one line saying warnings were logged: nothing else.
        assertTrue(quiet.err().contains("geocrop: Cannot score " + notATiff), quiet.err());
        assertFalse(quiet.err().contains("Exception") || quiet.err().contains("\tat "), quiet.err());
        String log = Files.readString(CliLogging.logFile(home));
        assertTrue(log.contains(" INFO ") && log.contains("Embedded event router"), log);

        CliRun verbose = CliRun.of("score", notATiff.toString(), "--home", home.toString(), "--verbose");
        assertEquals(4, verbose.code(), verbose.out() + verbose.err());
        assertTrue(LOG_LINE.matcher(verbose.out()).find(), "--verbose logs to the console: " + verbose.out());
    }

    @Test
    void classifyOnAHomeAServerHoldsSaysWhatToDoInOneLine() throws Exception {
        try (HomeLock server = HomeLock.acquire(home, "serve")) {
            server.announce("http://localhost:18080/");
            CliRun run = CliRun.of("classify", "--lon", "30.1", "--lat", "-19.2", "--radius", "1500", "--year", "2021",
                    "--home", home.toString(), "--out", dir.resolve("out").toString());
            assertEquals(5, run.code(), run.out() + run.err());
            List<String> lines = run.err().lines().toList();
            assertEquals(1, lines.size(), run.err());
            assertTrue(lines.get(0).startsWith("geocrop: ./geocrop serve (pid " + ProcessHandle.current().pid()
                    + ") is serving " + home + " at http://localhost:18080/; send the job to it with ./geocrop submit"
                    + " --server http://localhost:18080/"), lines.get(0));
            assertFalse(run.err().contains("Exception"), run.err());
        }
        // Once the server is gone the home is free again.
        HomeLock.acquire(home, "classify").close();
    }

    /**
     * The real entry point in its own JVM with the launcher's JVM options: no JVM warnings and no log lines on the
     * terminal, and a home locked by another process (this one, as a server) reported in one line.
     */
    @Test
    void theEntryPointInItsOwnProcessPrintsNoWarningsNorStackTraces() throws Exception {
        Result score = geocrop("score", notATiff.toString(), "--home", home.toString());
        assertEquals(4, score.code(), score.out() + score.err());
        assertFalse(score.err().contains("WARNING:"), score.err());
        assertFalse(LOG_LINE.matcher(score.out() + score.err()).find(), score.out() + score.err());
        // The command's own progress ("Model ...") and its error; no stack trace.
        assertTrue(score.err().contains("geocrop: Cannot score " + notATiff), score.err());
        assertFalse(score.err().contains("Exception") || score.err().contains("\tat "), score.err());

        try (HomeLock server = HomeLock.acquire(home, "serve")) {
            server.announce("http://localhost:18080/");
            Result classify = geocrop("classify", "--lon", "30.1", "--lat", "-19.2", "--radius", "1500", "--year",
                    "2021", "--home", home.toString(), "--out", dir.resolve("out").toString());
            assertEquals(5, classify.code(), classify.out() + classify.err());
            assertEquals(1, classify.err().lines().count(), classify.err());
            assertTrue(classify.err().contains("is serving " + home), classify.err());
        }
    }

    private record Result(int code, String out, String err) {}

    private Result geocrop(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launcherJvmOptions());
        command.addAll(List.of("-Dgeocrop.models.name=" + TestModels.small().card().name(),
                "-cp", System.getProperty("java.class.path"), GeoCropCli.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("GEOCROP_DB_URL");
        Process process = builder.start();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "geocrop " + String.join(" ", args) + " did not end");
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    /** JVM_OPTS=(...) of ./geocrop, so this test runs with exactly what the launcher passes. */
    private static List<String> launcherJvmOptions() throws Exception {
        Path launcher = Path.of("").toAbsolutePath().resolve("../../geocrop").normalize();
        Matcher m = Pattern.compile("(?m)^JVM_OPTS=\\(([^)]*)\\)").matcher(Files.readString(launcher));
        assertTrue(m.find(), "no JVM_OPTS=(...) in " + launcher);
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }
}
