package io.geocrop.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function as its own {@code java -jar} process, configured by environment alone, as its Knative Service
 * would be. Output goes to a log file; {@link #kill()} is {@code kill -9}.
 */
final class FunctionProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private Instant startedAt;

    FunctionProcess(String name, Path jar, Map<String, String> env, Path logDir) throws IOException {
        this.name = name;
        this.jar = jar;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        this.env = new LinkedHashMap<>(env);
        this.env.put("PORT", Integer.toString(port));
        this.log = logDir.resolve(name + ".log");
    }

    /** Sets an environment variable for the next {@link #start()}. */
    void env(String name, String value) {
        env.put(name, value);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Instant startedAt() {
        return startedAt;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Starts the process (appending to its log). */
    FunctionProcess start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LoadRecording.enabled() ? LoadRecording.command(name, jar)
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        startedAt = Instant.now();
        process = builder.start();
        return this;
    }

    /** Waits for {@code /health} to answer 200; returns how long that took from process start. */
    Duration awaitHealthy(Duration timeout) throws Exception {
        // A recorded run starts slower: a custom system class loader turns off CDS's archived application classes.
        long deadline = System.nanoTime() + (LoadRecording.enabled() ? timeout.multipliedBy(3) : timeout).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url().resolve("/health")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return Duration.between(startedAt, Instant.now());
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " not healthy within " + timeout + ":\n" + tail());
    }

    /** kill -9: no shutdown hook, no graceful close; in-flight requests die with it. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
