package io.geocrop.registry;

import io.geocrop.registry.mlflow.MlflowException;

/** What to check when a registry cannot be read, in the settings' environment-variable names (for 503 problems). */
public final class RegistryHints {
    private RegistryHints() {}

    /** A hint for a failure reading the registry: credentials on 401/403, else reachability or the object store. */
    public static String forFailure(RuntimeException e) {
        if (e instanceof MlflowException m && (m.status() == 401 || m.status() == 403)) {
            return "MLflow refused the credentials: check GEOCROP_MLFLOW_TOKEN, or GEOCROP_MLFLOW_USERNAME and"
                    + " GEOCROP_MLFLOW_PASSWORD";
        }
        if (e instanceof MlflowException) {
            return "check that GEOCROP_MLFLOW_TRACKING_URI names a running MLflow server (started with"
                    + " --serve-artifacts) reachable from here; GEOCROP_MLFLOW_REQUEST_TIMEOUT and"
                    + " GEOCROP_MLFLOW_MAX_ATTEMPTS bound the wait";
        }
        return "check the object store holding the geocrop-models bucket (GEOCROP_STORAGE_*), or set"
                + " GEOCROP_MLFLOW_TRACKING_URI to use MLflow";
    }
}
