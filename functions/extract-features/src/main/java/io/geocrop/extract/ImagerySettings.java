package io.geocrop.extract;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.util.List;

/**
 * {@code geocrop.imagery.*}: where the Sentinel-2 season comes from. {@code source} is {@code simulated} (the
 * embedded default: a local Digital Earth Africa generated for any AOI, served over loopback HTTP) or {@code stac}
 * (a real STAC API, Digital Earth Africa by default).
 *
 * @param source              {@code simulated} or {@code stac}
 * @param stacEndpoint        the STAC API root for {@code stac}
 * @param collection          the Sentinel-2 L2A collection
 * @param allowedAssetHosts   hosts COGs may be read from (besides loopback); empty = the defaults for DEA
 * @param simulationSeed      seed of the simulated landscape and weather (same seed, same imagery)
 * @param simulationDir       where simulated COGs are cached; empty = {@code <home>/imagery}
 * @param concurrentDays      acquisition days one tile reads at once
 * @param parallelism         threads computing one tile's features
 * @param allowLoopbackAssets with {@code stac}: also read assets from loopback (a local STAC mirror); off, so a
 *                            catalogue href cannot make the pod GET its own ports (the queue-proxy's, for one)
 */
@ConfigurationProperties("geocrop.imagery")
public record ImagerySettings(
        @Bindable(defaultValue = "simulated") String source,
        @Bindable(defaultValue = "https://explorer.digitalearth.africa/stac/") URI stacEndpoint,
        @Bindable(defaultValue = "s2_l2a") String collection,
        @Nullable List<String> allowedAssetHosts,
        @Bindable(defaultValue = "42") long simulationSeed,
        @Nullable String simulationDir,
        @Bindable(defaultValue = "16") int concurrentDays,
        @Bindable(defaultValue = "2") int parallelism,
        @Bindable(defaultValue = "false") boolean allowLoopbackAssets) {

    /** Whether the embedded simulated DEA is the source. */
    public boolean simulated() {
        return "simulated".equalsIgnoreCase(source);
    }
}
