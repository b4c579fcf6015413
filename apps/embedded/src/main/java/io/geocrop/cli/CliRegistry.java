package io.geocrop.cli;

import io.geocrop.registry.ModelRegistries;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistrySettings;
import io.geocrop.registry.mlflow.MlflowSettings;
import java.net.URI;
import java.nio.file.Path;

/**
 * The registry the embedded runtime and the functions read, as the CLI opens it: MLflow when
 * {@code GEOCROP_MLFLOW_TRACKING_URI} (or {@code MLFLOW_TRACKING_URI}) is set, otherwise the geocrop-models bucket of
 * the configured object store (local under GEOCROP_HOME, or S3).
 */
final class CliRegistry {
    private CliRegistry() {}

    static ModelRegistry open(Path home, String name, String alias) {
        String tracking = CliStorage.env("GEOCROP_MLFLOW_TRACKING_URI", CliStorage.env("MLFLOW_TRACKING_URI", null));
        if (tracking != null) {
            MlflowSettings mlflow = MlflowSettings.of(URI.create(tracking))
                    .withExperiment(CliStorage.env("GEOCROP_MLFLOW_EXPERIMENT", null));
            String token = CliStorage.env("GEOCROP_MLFLOW_TOKEN", CliStorage.env("MLFLOW_TRACKING_TOKEN", null));
            String user = CliStorage.env("GEOCROP_MLFLOW_USERNAME", CliStorage.env("MLFLOW_TRACKING_USERNAME", null));
            if (token != null) {
                mlflow = mlflow.withToken(token);
            } else if (user != null) {
                mlflow = mlflow.withBasicAuth(user, CliStorage.env("GEOCROP_MLFLOW_PASSWORD",
                        CliStorage.env("MLFLOW_TRACKING_PASSWORD", null)));
            }
            return ModelRegistries.create(new RegistrySettings(RegistrySettings.Backend.MLFLOW, name, alias, mlflow), null);
        }
        return ModelRegistries.create(new RegistrySettings(RegistrySettings.Backend.BUCKET, name, alias, null),
                CliStorage.objectStore(home));
    }
}
