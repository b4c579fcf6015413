package io.geocrop.scoring;

/**
 * No model is available to score with: nothing registered under the configured name and alias, or the registered
 * artifact cannot be loaded. The message says what to do about it.
 */
public final class NoModelException extends RuntimeException {
    public NoModelException(String message) {
        super(message);
    }

    public NoModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
