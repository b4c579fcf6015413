package io.geocrop.extract;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.util.List;

/**
 * {@code geocrop.imagery.*}: where the Sentinel-2 season comes from. {@code source} is {@code stac} (a STAC API,
 * Digital Earth Africa by default), the only source the function knows; the embedded runtime adds
 * {@code simulated} (a local Digital Earth Africa served over loopback HTTP, its default) with its own settings.
 *
 * @param source              {@code stac} ({@code simulated} only in the embedded runtime)
 * @param stacEndpoint        the STAC API root for {@code stac}
 * @param collection          the Sentinel-2 L2A collection
 * @param allowedAssetHosts   hosts COGs may be read from (besides loopback); empty = the defaults for DEA
 * @param concurrentDays      acquisition days one tile reads at once
 * @param parallelism         threads computing one tile's features
 * @param allowLoopbackAssets with {@code stac}: also read assets from loopback (a local STAC mirror); off, so a
 *                            catalogue href cannot make the pod GET its own ports (the queue-proxy's, for one)
 */
@ConfigurationProperties("geocrop.imagery")
public record ImagerySettings(
        @Bindable(defaultValue = "stac") String source,
        @Bindable(defaultValue = "https://explorer.digitalearth.africa/stac/") URI stacEndpoint,
        @Bindable(defaultValue = "s2_l2a") String collection,
        @Nullable List<String> allowedAssetHosts,
        @Bindable(defaultValue = "16") int concurrentDays,
        @Bindable(defaultValue = "2") int parallelism,
        @Bindable(defaultValue = "false") boolean allowLoopbackAssets) {
}
