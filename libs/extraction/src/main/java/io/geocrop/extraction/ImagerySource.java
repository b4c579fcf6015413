package io.geocrop.extraction;

import io.geocrop.domain.Season;
import io.geocrop.imagery.s2.AssetOpener;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.StacItem;
import java.util.List;

/**
 * Where the Sentinel-2 season comes from: a STAC API and the COGs its items point to. The cluster reads Digital
 * Earth Africa; the embedded runtime reads its local simulated DEA through the very same client and HTTP code,
 * only the endpoint differs.
 */
public interface ImagerySource extends AssetOpener {

    /**
     * The season's Sentinel-2 L2A items whose footprint meets {@code box}, with every band GeoCrop reads, by
     * acquisition time then id.
     *
     * @throws io.geocrop.imagery.stac.StacException if the catalogue fails after retries or answers nonsense
     */
    List<StacItem> search(LonLatBox box, Season season);

    /** Where the imagery comes from, for logs and failure reasons (no credentials). */
    String describe();
}
