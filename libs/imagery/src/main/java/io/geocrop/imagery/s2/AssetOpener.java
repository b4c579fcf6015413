package io.geocrop.imagery.s2;

import io.geocrop.imagery.stac.StacAsset;
import io.geocrop.raster.ByteSource;
import java.io.IOException;

/**
 * Opens the bytes of a STAC asset for range reads. The cluster implementation reads DEA's COGs over HTTPS (hosts
 * on an allowlist); the embedded one reads the local simulated DEA the same way, over loopback HTTP.
 */
@FunctionalInterface
public interface AssetOpener {

    /**
     * A source for the asset's bytes; the caller closes it.
     *
     * @throws IOException if the asset cannot be reached (its host is refused, it does not exist, ...)
     */
    ByteSource open(StacAsset asset) throws IOException;
}
