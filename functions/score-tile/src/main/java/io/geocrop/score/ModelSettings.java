package io.geocrop.score;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code geocrop.models.*}: which model scores, and where it is registered.
 *
 * @param name     registered model name
 * @param alias    alias of the serving version
 * @param registry {@code auto} (MLflow when {@code geocrop.mlflow.tracking-uri} is set, else the
 *                 {@code geocrop-models} bucket), {@code bucket} or {@code mlflow}
 */
@ConfigurationProperties("geocrop.models")
public record ModelSettings(
        @Bindable(defaultValue = "geocrop-crop-type") String name,
        @Bindable(defaultValue = "champion") String alias,
        @Nullable @Bindable(defaultValue = "auto") String registry) {}
