package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;

/**
 * {@code geocrop.*} settings shared by every function.
 *
 * @param home     where the embedded runtime keeps its database and objects ({@code GEOCROP_HOME}); blank
 *                 means {@code ~/.geocrop}
 * @param modelRef the model that scores new jobs, {@code name@alias} or {@code name/version}; part of the
 *                 de-duplication key ({@code <geocrop.models.name>@<geocrop.models.alias>})
 */
@ConfigurationProperties("geocrop")
public record GeoCropSettings(@Nullable String home, String modelRef) {

    /** The home directory, defaulting to {@code ~/.geocrop}. */
    public Path resolvedHome() {
        return home == null || home.isBlank()
                ? Path.of(System.getProperty("user.home"), ".geocrop")
                : Path.of(home).toAbsolutePath();
    }
}
