package io.geocrop.score;

import io.geocrop.registry.mlflow.MlflowSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code geocrop.mlflow.*}: the MLflow tracking server models are registered in, if any. Credentials come from the
 * environment ({@code GEOCROP_MLFLOW_TOKEN}, or username and password) and never appear in logs.
 */
@ConfigurationProperties("geocrop.mlflow")
public record MlflowConfiguration(
        @Nullable String trackingUri,
        @Nullable String experiment,
        @Nullable String token,
        @Nullable String username,
        @Nullable String password,
        @Nullable Duration connectTimeout,
        @Nullable Duration requestTimeout,
        @Nullable Integer maxAttempts) {

    /** The client settings, or empty when no tracking URI is configured. */
    public Optional<MlflowSettings> settings() {
        return MlflowSettings.fromConfig(trackingUri, experiment, token, username, password, connectTimeout,
                requestTimeout, maxAttempts);
    }

    @Override
    public String toString() {
        return "MlflowConfiguration[trackingUri=" + trackingUri + ", experiment=" + experiment + "]";
    }
}
