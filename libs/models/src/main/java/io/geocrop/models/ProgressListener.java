package io.geocrop.models;

/** Told how long work is going; used for progress bars. {@code done} never exceeds {@code total}. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (stage, done, total) -> {};

    void progress(String stage, long done, long total);
}
