package io.geocrop.registry;

import io.geocrop.registry.mlflow.MlflowSettings;

import java.util.Locale;

/**
 * Which registry serves models and under which name and alias ({@code geocrop.models.*}, {@code geocrop.mlflow.*}).
 *
 * @param backend   {@link Backend#AUTO} (MLflow when {@code mlflow} is set, else the bucket), or forced
 * @param modelName registered model name the functions serve (default {@value #DEFAULT_MODEL_NAME})
 * @param alias     alias they serve (default {@value ModelRegistry#DEFAULT_ALIAS})
 * @param mlflow    the MLflow server, or {@code null} when no tracking URI is configured
 */
public record RegistrySettings(Backend backend, String modelName, String alias, MlflowSettings mlflow) {

    /** The model name served unless configured otherwise. */
    public static final String DEFAULT_MODEL_NAME = "geocrop-crop-type";

    /** Where models live ({@code geocrop.models.registry}). */
    public enum Backend {
        /** MLflow when a tracking URI is set, otherwise the bucket. */
        AUTO,
        /** The {@code geocrop-models} bucket of the configured object store. */
        BUCKET,
        /** MLflow's tracking server and model registry. */
        MLFLOW;

        /**
         * Reads {@code auto}, {@code bucket} or {@code mlflow} (any case); {@code null} or blank is {@link #AUTO}.
         *
         * @throws IllegalArgumentException naming the key and the allowed values
         */
        public static Backend parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("geocrop.models.registry must be auto, bucket or mlflow, got \""
                        + value + "\"");
            }
        }
    }

    public RegistrySettings {
        backend = backend == null ? Backend.AUTO : backend;
        modelName = RegistryNames.requireModelName(modelName == null || modelName.isBlank() ? DEFAULT_MODEL_NAME : modelName);
        alias = RegistryNames.requireAlias(alias == null || alias.isBlank() ? ModelRegistry.DEFAULT_ALIAS : alias);
        if (backend == Backend.MLFLOW && mlflow == null) {
            throw new IllegalArgumentException("geocrop.models.registry is mlflow but geocrop.mlflow.tracking-uri "
                    + "(GEOCROP_MLFLOW_TRACKING_URI or MLFLOW_TRACKING_URI) is not set");
        }
    }

    /** The embedded default: the bucket, {@value #DEFAULT_MODEL_NAME}, {@value ModelRegistry#DEFAULT_ALIAS}. */
    public static RegistrySettings defaults() {
        return new RegistrySettings(Backend.AUTO, null, null, null);
    }

    /** The backend {@link ModelRegistries#create} will build. */
    public Backend effectiveBackend() {
        return backend != Backend.AUTO ? backend : mlflow != null ? Backend.MLFLOW : Backend.BUCKET;
    }
}
