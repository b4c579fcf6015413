package io.geocrop.embedded;

import io.geocrop.registry.ModelRegistry;
import io.geocrop.submit.ModelVersionKey;
import io.geocrop.submit.RegistryModelVersionKey;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Embedded job de-duplication keys on the version the alias points at, read from the registry score-tile scores with
 * on every submission (one process: the local bucket is cheap to read, and a promotion is seen at once).
 */
@Factory
final class ModelVersionKeyFactory {
    @Singleton
    ModelVersionKey modelVersionKey(ModelRegistry registry) {
        return new RegistryModelVersionKey(registry);
    }
}
