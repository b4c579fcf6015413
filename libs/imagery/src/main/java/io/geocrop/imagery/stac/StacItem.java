package io.geocrop.imagery.stac;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One STAC item (a Sentinel-2 scene, or any other item a search returned), as {@link StacItemParser} reads it.
 * Optional properties are null when the item does not carry them.
 *
 * @param id                 the item id (e.g. {@code S2B_T37MGP_20240710T073012_L2A})
 * @param collection         the collection id, or null
 * @param datetime           the acquisition time
 * @param bbox               the WGS84 bounding box, or null
 * @param geometry           the footprint, or null
 * @param epsg               the EPSG code of the native grid ({@code proj:epsg}, or {@code proj:code} EPSG:n), or null
 * @param cloudCover         {@code eo:cloud_cover} in percent, or null
 * @param mgrsTile           the MGRS tile such as {@code 37MGP} (from {@code grid:code}, {@code mgrs:*},
 *                           {@code sentinel:*} or {@code s2:mgrs_tile}), or null
 * @param platform           {@code platform} ({@code sentinel-2a}, ...), or null
 * @param processingBaseline the ESA processing baseline ({@code 05.10}), or null
 * @param boaOffsetApplied   the item's {@code *:boa_offset_applied} flag, or null when it has none
 * @param bands              the GeoTIFF assets of the Sentinel-2 bands, by band, whatever the catalogue's
 *                           naming; empty for items that are not Sentinel-2
 * @param assets             every asset, by its key in the item, in the item's order
 */
public record StacItem(String id, String collection, Instant datetime, LonLatBox bbox, StacGeometry geometry,
                       Integer epsg, Double cloudCover, String mgrsTile, String platform,
                       String processingBaseline, Boolean boaOffsetApplied, Map<S2Band, StacAsset> bands,
                       Map<String, StacAsset> assets) {

    /** Validates the required parts and copies the maps. */
    public StacItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(datetime, "datetime");
        EnumMap<S2Band, StacAsset> bandCopy = new EnumMap<>(S2Band.class);
        bandCopy.putAll(bands);
        bands = Collections.unmodifiableMap(bandCopy);
        assets = Collections.unmodifiableMap(new LinkedHashMap<>(assets));
    }

    /** The asset of one band, if the item has it as a GeoTIFF. */
    public Optional<StacAsset> band(S2Band band) {
        return Optional.ofNullable(bands.get(band));
    }

    /** The asset of one band, or a {@link StacException} naming the item and the band. */
    public StacAsset requireBand(S2Band band) {
        StacAsset asset = bands.get(band);
        if (asset == null) {
            throw new StacException("STAC item " + id + " has no GeoTIFF asset for band " + band
                    + " (asset keys: " + assets.keySet() + ")");
        }
        return asset;
    }

    /** The wanted bands this item lacks, in the order asked; empty when it has them all. */
    public List<S2Band> missingBands(Collection<S2Band> wanted) {
        return wanted.stream().filter(b -> !bands.containsKey(b)).distinct().toList();
    }

    /** True when the item has every band GeoCrop reads ({@link S2Band#GEOCROP_BANDS}). */
    public boolean hasGeoCropBands() {
        return missingBands(S2Band.GEOCROP_BANDS).isEmpty();
    }
}
