package io.geocrop.submit;

import io.geocrop.registry.ModelRegistries;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistrySettings;
import io.geocrop.registry.mlflow.MlflowSettings;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Builds submit-job's {@link ServingModelRegistry} and the de-duplication key over it from configuration. */
@Factory
@Requires(property = "geocrop.http.surface", value = "public")
@Requires(missingClasses = "io.geocrop.score.ScoreTileController")
final class ServingModelFactory {
    @Singleton
    ServingModelRegistry servingModelRegistry(ObjectStore store,
                                              @Value("${geocrop.models.name:geocrop-crop-type}") String name,
                                              @Value("${geocrop.models.alias:champion}") String alias,
                                              @Value("${geocrop.models.registry:auto}") String backend,
                                              @Nullable @Value("${geocrop.mlflow.tracking-uri:}") String trackingUri,
                                              @Nullable @Value("${geocrop.mlflow.token:}") String token,
                                              @Nullable @Value("${geocrop.mlflow.username:}") String username,
                                              @Nullable @Value("${geocrop.mlflow.password:}") String password,
                                              @Nullable @Value("${geocrop.mlflow.request-timeout:}") Duration requestTimeout,
                                              @Value("${geocrop.models.card-ttl:30s}") Duration ttl) {
        MlflowSettings mlflow = MlflowSettings.fromConfig(trackingUri, null, token, username, password,
                Duration.ofSeconds(5), requestTimeout, 2).orElse(null);
        ModelRegistry registry = ModelRegistries.create(
                new RegistrySettings(RegistrySettings.Backend.parse(backend), name, alias, mlflow), store);
        return new ServingModelRegistry(registry, name, alias, ttl);
    }

    /** De-duplication on the resolved version: after a promotion an identical request makes a new map. */
    @Singleton
    @Bean(typed = ModelVersionKey.class)
    ModelVersionKey servingVersionKey(ServingModelRegistry serving) {
        return new RegistryModelVersionKey(serving.registry(), serving.ttl());
    }
}
