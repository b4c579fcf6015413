package io.geocrop.embedded;

import io.geocrop.registry.ModelRegistry;
import io.geocrop.submit.ModelVersionKey;
import io.geocrop.submit.RegistryModelVersionKey;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Embedded job de-duplication keys on the version the alias points at, read from the registry score-tile scores with
 * on every submission (one process: the local bucket is cheap to read, and a promotion is seen at once). The registry
 * is looked up at the first submission, not at start-up, so starting does no storage work. Only with the embedded
 * transport: the same jar run against cluster services (ClusterEnvironmentIT) keys on {@code name@alias}, as
 * submit-job's internal surface does; a cluster's public submit-job has its own key over its registry.
 */
@Factory
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class ModelVersionKeyFactory {
    @Singleton
    ModelVersionKey modelVersionKey(BeanProvider<ModelRegistry> registry) {
        return modelRef -> new RegistryModelVersionKey(registry.get()).of(modelRef);
    }
}
