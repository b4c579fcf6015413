package io.geocrop.registry;

import io.geocrop.registry.mlflow.MlflowModelRegistry;
import io.geocrop.storage.ObjectStore;

import java.util.Objects;

/** Builds the configured {@link ModelRegistry}. */
public final class ModelRegistries {

    private ModelRegistries() {}

    /**
     * MLflow when {@link RegistrySettings#effectiveBackend()} says so (a tracking URI is set, or
     * {@code geocrop.models.registry=mlflow}), otherwise the {@code geocrop-models} bucket of {@code objectStore}.
     * Nothing is contacted here: the first publish or resolve does that.
     *
     * @param objectStore the store for the bucket registry; may be {@code null} when MLflow is used
     */
    public static ModelRegistry create(RegistrySettings settings, ObjectStore objectStore) {
        Objects.requireNonNull(settings, "settings");
        return switch (settings.effectiveBackend()) {
            case MLFLOW -> MlflowModelRegistry.create(settings.mlflow());
            case BUCKET, AUTO -> new ObjectStoreModelRegistry(
                    Objects.requireNonNull(objectStore, "objectStore (the bucket registry needs one)"));
        };
    }
}
