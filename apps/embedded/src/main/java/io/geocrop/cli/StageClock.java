package io.geocrop.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Wall time per named stage of a command, for the breakdown it prints at the end. */
final class StageClock {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private String current;
    private long since;

    /** Ends the current stage, if any, and starts {@code stage} (time adds up if a stage is entered twice). */
    synchronized void start(String stage) {
        stop();
        current = stage;
        since = System.nanoTime();
    }

    /** Ends the current stage. */
    synchronized void stop() {
        if (current != null) {
            nanos.merge(current, System.nanoTime() - since, Long::sum);
            current = null;
        }
    }

    /** The stages and their seconds, then the total, as a small table. */
    synchronized String table() {
        StringBuilder b = new StringBuilder("Time by stage:\n");
        nanos.forEach((stage, ns) -> b.append(String.format(Locale.ROOT, "  %-14s %8.1f s%n", stage, ns / 1e9)));
        b.append(String.format(Locale.ROOT, "  %-14s %8.1f s", "total", (System.nanoTime() - started) / 1e9));
        return b.toString();
    }
}
