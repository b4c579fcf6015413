package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;

/**
 * {@code geocrop.*} settings shared by every function.
 *
 * @param home     where the embedded runtime keeps its database, objects and caches ({@code GEOCROP_HOME})
 * @param modelRef the model that scores new jobs, {@code name@alias} or {@code name/version}; part of the
 *                 de-duplication key ({@code GEOCROP_MODEL_REF})
 */
@ConfigurationProperties("geocrop")
public record GeoCropSettings(Path home, String modelRef) {}
