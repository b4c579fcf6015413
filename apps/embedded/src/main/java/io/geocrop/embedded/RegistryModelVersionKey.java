package io.geocrop.embedded;

import io.geocrop.registry.ModelRegistry;
import io.geocrop.submit.ModelVersionKey;
import jakarta.inject.Singleton;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job de-duplication on the version an alias points at when the job is submitted ({@code name@alias=3}), read from
 * the registry the scoring reads; a name without the alias yet (the demo model not trained) or a registry that
 * cannot be read keys on {@code name@alias}, so a submission never fails for it.
 */
@Singleton
public final class RegistryModelVersionKey implements ModelVersionKey {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryModelVersionKey.class);
    private final ModelRegistry registry;

    public RegistryModelVersionKey(ModelRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public String of(String modelRef) {
        int at = modelRef.indexOf('@');
        if (at <= 0) {
            return modelRef;
        }
        try {
            String version = registry.aliases(modelRef.substring(0, at)).get(modelRef.substring(at + 1));
            return version == null ? modelRef : modelRef + "=" + version;
        } catch (RuntimeException e) {
            LOG.warn("Cannot resolve {} for de-duplication, keying on the alias: {}", modelRef, e.getMessage());
            return modelRef;
        }
    }
}
