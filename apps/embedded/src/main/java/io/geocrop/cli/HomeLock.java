package io.geocrop.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <home>/geocrop.lock}: which GeoCrop process is using a home's embedded H2 database. H2 lets one process
 * open the file, and a second one dies with a long "file is locked" trace; with this lock, taken before the
 * database, the second one says in one line who holds the home and what to do. The OS releases the lock when the
 * holder exits, however it exits, so a stale file never blocks anybody.
 */
final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Properties holder;

    private HomeLock(FileChannel channel, FileLock lock, Properties holder) {
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    /** The lock file of a home. */
    static Path file(Path home) {
        return home.resolve("geocrop.lock");
    }

    /**
     * Takes the home for {@code command}, or throws a {@link CliException} (exit code 5) naming the process that
     * holds it.
     */
    static HomeLock acquire(Path home, String command) {
        Path file = file(home);
        try {
            Files.createDirectories(home);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                throw new CliException(inUse(home, read(file), command), 5);
            }
            Properties holder = new Properties();
            holder.setProperty("command", command);
            holder.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
            HomeLock held = new HomeLock(channel, lock, holder);
            held.write();
            return held;
        } catch (IOException e) {
            throw new CliException("cannot lock " + file + ": " + e.getMessage(), 5);
        }
    }

    /** Records the URL the holder serves at, so a command that finds the home taken can point at it. */
    void announce(String url) {
        holder.setProperty("url", url);
        try {
            write();
        } catch (IOException e) {
            // The lock still holds; only the hint for other commands is lost.
        }
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder("# The GeoCrop process using this home; released when it exits.\n");
        for (String key : new String[] {"command", "pid", "url"}) {
            if (holder.getProperty(key) != null) {
                text.append(key).append('=').append(holder.getProperty(key)).append('\n');
            }
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
    }

    /**
     * The URL of the {@code ./geocrop serve} holding {@code home}, as it announced it, when a server holds it. A server
     * still starting has not announced its URL yet: this waits up to {@code patience} for it, as long as a server
     * still holds the home.
     */
    static Optional<String> serverUrl(Path home, java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<Properties> holder = read(file(home));
            if (holder.isEmpty() || !"serve".equals(holder.get().getProperty("command"))) {
                return Optional.empty();
            }
            String url = holder.get().getProperty("url");
            if (url != null && !url.isBlank()) {
                return Optional.of(url);
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static Optional<Properties> read(Path file) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file)));
            return p.getProperty("command") == null ? Optional.empty() : Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String inUse(Path home, Optional<Properties> holder, String command) {
        if (holder.isEmpty()) {
            return home + " is in use by another GeoCrop process; wait for it to end or pass --home <another directory>";
        }
        Properties h = holder.get();
        String who = "./geocrop " + h.getProperty("command") + " (pid " + h.getProperty("pid") + ")";
        String url = h.getProperty("url");
        if ("serve".equals(h.getProperty("command"))) {
            String submit = "classify".equals(command) ? "send the job to it with ./geocrop submit --server "
                    + (url != null ? url : "<its URL>") + " (same --lon/--lat/--radius/--year), " : "";
            return who + " is serving " + home + (url != null ? " at " + url : "") + "; " + submit
                    + "stop it, or pass --home <another directory>";
        }
        return who + " is using " + home + "; wait for it to end or pass --home <another directory>";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
