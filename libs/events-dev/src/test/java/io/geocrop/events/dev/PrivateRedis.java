package io.geocrop.events.dev;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private {@code redis-server} without persistence on a free loopback port, so a test can restart it without
 * touching the machine's shared Redis. A restart loses everything, as a Redis without persistence does. Shared
 * through this module's test-jar (the e2e tests restart Redis mid-job with it).
 */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private PrivateRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port. */
    public static PrivateRedis start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrivateRedis redis = new PrivateRedis(port, Files.createTempDirectory("geocrop-redis"));
        redis.launch();
        return redis;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The port it listens on (the same after a restart). */
    public int port() {
        return port;
    }

    private void launch() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGKILL (nothing saved), then a new empty server on the same port after {@code down}. */
    public void restart(Duration down) throws Exception {
        process.destroyForcibly().waitFor();
        Thread.sleep(down.toMillis());
        launch();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }
}
