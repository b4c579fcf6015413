package io.geocrop.embedded;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;

/**
 * The simulated Digital Earth Africa's settings, under {@code geocrop.imagery.*} beside extract-features' own
 * ({@code ImagerySettings}): only the embedded runtime reads them.
 *
 * @param simulationSeed seed of the simulated landscape and weather (same seed, same imagery)
 * @param simulationDir  where simulated COGs are cached; empty = {@code <home>/imagery}
 * @param simulationPort the simulated DEA's loopback port; 0 = the port this home used last time (remembered in
 *                       {@code <home>/simulated-dea.port}, so a resumed job's recorded asset hrefs still answer), or a
 *                       free one on the first start
 */
@ConfigurationProperties("geocrop.imagery")
public record SimulatedImagerySettings(
        @Bindable(defaultValue = "42") long simulationSeed,
        @Nullable String simulationDir,
        @Bindable(defaultValue = "0") int simulationPort) {

    /** The cache folder: {@link #simulationDir} when set, otherwise {@code <home>/imagery}. */
    public Path cacheDir(Path home) {
        return simulationDir == null || simulationDir.isBlank() ? home.resolve("imagery")
                : Path.of(simulationDir).toAbsolutePath();
    }
}
