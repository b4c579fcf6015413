package io.geocrop.training;

import io.geocrop.models.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line text progress bar per stage, e.g. {@code features  [##########----------]   1/2 tiles  12 s}, redrawn in
 * place with a carriage return and ended with a newline when the stage completes or the next one starts. For
 * terminals: at most one redraw per {@value #MIN_REDRAW_MS} ms, plus every stage's first and last. When the output is
 * not a terminal (a log file, a pipe) a full line is written only at each tenth of a stage, so logs stay short.
 */
public final class TextProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private static final long MIN_REDRAW_MS = 200;
    private static final Map<String, String> UNITS = Map.of(Stages.IMAGERY, "files", Stages.FEATURES, "tiles",
            io.geocrop.models.XgbTrainer.STAGE_TRAIN, "rounds");

    private final PrintStream out;
    private String stage;
    private long stageStarted;
    private long lastDraw;
    private boolean open;
    private final boolean terminal;
    private long lastTenth = -1;

    /** A bar drawn on {@code out} (the CLI uses stderr, so stdout stays clean for results). */
    public TextProgressBar(PrintStream out) {
        this(out, System.console() != null);
    }

    /** A bar drawn on {@code out}, redrawn in place when {@code terminal}, else one line per tenth of a stage. */
    public TextProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(String name, long done, long total) {
        long now = System.nanoTime() / 1_000_000;
        if (!name.equals(stage)) {
            finishLine();
            stage = name;
            stageStarted = now;
            lastDraw = 0;
            lastTenth = -1;
        }
        boolean last = total > 0 && done >= total;
        if (!terminal) {
            long tenth = total > 0 ? done * 10 / total : 0;
            if (tenth == lastTenth && lastDraw != 0) {
                return;
            }
            lastTenth = tenth;
            lastDraw = now;
            out.println(line(name, done, total, (now - stageStarted) / 1000.0));
            out.flush();
            return;
        }
        if (!last && now - lastDraw < MIN_REDRAW_MS && lastDraw != 0) {
            return;
        }
        lastDraw = now;
        out.print("\r" + line(name, done, total, (now - stageStarted) / 1000.0));
        open = true;
        if (last) {
            finishLine();
        }
        out.flush();
    }

    /** Ends the current line, if one is open (call when the work is over). */
    public synchronized void finish() {
        finishLine();
        out.flush();
    }

    /** The text of one bar. */
    static String line(String stage, long done, long total, double seconds) {
        int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, done * WIDTH / total);
        String unit = UNITS.getOrDefault(stage, "");
        return String.format(Locale.ROOT, "%-9s [%s%s] %5d/%d %s %4.0f s", stage, "#".repeat(filled),
                "-".repeat(WIDTH - filled), done, total, unit, seconds);
    }

    private void finishLine() {
        if (open) {
            out.println();
            open = false;
        }
    }
}
