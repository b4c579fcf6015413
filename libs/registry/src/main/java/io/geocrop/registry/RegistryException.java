package io.geocrop.registry;

/**
 * The registry's backend failed or holds something unreadable (MLflow answered an error, an alias points at a
 * version whose files are gone, a pointer is not valid JSON). The message names the model, version or URL involved
 * and never carries credentials.
 */
public class RegistryException extends RuntimeException {

    /** @param message what went wrong, naming the model or URL */
    public RegistryException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the model or URL
     * @param cause   the underlying failure
     */
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
