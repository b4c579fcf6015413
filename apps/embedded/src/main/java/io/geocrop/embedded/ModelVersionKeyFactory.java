package io.geocrop.embedded;

import io.geocrop.platform.admission.AdmissionSettings;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.submit.ModelVersionKey;
import io.geocrop.submit.RegistryModelVersionKey;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Embedded job de-duplication keys on the version the alias points at, read from the registry score-tile scores with.
 * One reading is reused for {@code geocrop.admission.count-ttl} (1 s), the window in which an identical submission is
 * answered from memory anyway: a burst's profile (issue 17, docs/reliability.md "Bursts") showed every submission
 * listing the registry's aliases in the object store before admission was even asked, about 1.4 file-system errors
 * per request. A promotion is therefore seen by de-duplication at most that long late. The registry is looked up at
 * the first submission, not at start-up, so starting does no storage work. Only with the embedded transport: the same
 * jar run against cluster services (ClusterEnvironmentIT) keys on {@code name@alias}, as submit-job's internal surface
 * does; a cluster's public submit-job has its own key over its registry.
 */
@Factory
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class ModelVersionKeyFactory {
    @Singleton
    ModelVersionKey modelVersionKey(BeanProvider<ModelRegistry> registry, AdmissionSettings admission) {
        AtomicReference<RegistryModelVersionKey> key = new AtomicReference<>();
        return modelRef -> key.updateAndGet(k -> k != null ? k
                : new RegistryModelVersionKey(registry.get(), admission.countTtl())).of(modelRef);
    }
}
