package io.geocrop.training;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A labels file that cannot be used, with every bad row found (up to {@link #MAX_REPORTED}) and its line number.
 * The message lists them one per line, so the CLI can print it as is.
 */
public final class LabelsException extends IllegalArgumentException {
    /** Bad rows reported at most; a file with more says how many were left out. */
    public static final int MAX_REPORTED = 25;

    /** One bad row: its 1-based line number in the file (0 for the file as a whole) and what is wrong. */
    public record LineError(int line, String message) {
        @Override
        public String toString() {
            return line > 0 ? "line " + line + ": " + message : message;
        }
    }

    private final transient List<LineError> errors;

    public LabelsException(String source, List<LineError> errors, int total) {
        super(message(source, errors, total));
        this.errors = List.copyOf(errors);
    }

    /** A single problem with the file as a whole or with one line. */
    public static LabelsException of(String source, int line, String message) {
        return new LabelsException(source, List.of(new LineError(line, message)), 1);
    }

    /** The bad rows reported, in line order. */
    public List<LineError> errors() {
        return errors;
    }

    private static String message(String source, List<LineError> errors, int total) {
        String head = total == 1 ? source + ": " : source + ": " + total + " bad rows:\n  ";
        String body = errors.stream().map(LineError::toString).collect(Collectors.joining("\n  "));
        return total > errors.size() ? head + body + "\n  ... and " + (total - errors.size()) + " more" : head + body;
    }
}
