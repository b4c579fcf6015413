package io.geocrop.registry;

/** {@link ModelRegistry#promote} was asked for a version (or a model name) the registry does not hold. */
public class UnknownModelVersionException extends IllegalArgumentException {

    /**
     * @param name    the registered model name
     * @param version the version asked for
     */
    public UnknownModelVersionException(String name, String version) {
        super("model \"" + name + "\" has no version \"" + version + "\"");
    }
}
