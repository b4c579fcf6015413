package io.geocrop.imagery.stac;

import io.geocrop.raster.GeoTransform;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One asset of a STAC item, with what a reader needs: where it is, its grid and how to turn its digital numbers
 * (DN) into physical values.
 *
 * <p>{@code value = DN * scale + offset}; for a Sentinel-2 reflectance band that value is surface reflectance.
 * {@link StacItemParser} derives {@code scale} and {@code offset} by this rule:
 * <ol>
 *   <li>SCL: scale 1, offset 0. Its values are class codes.</li>
 *   <li>A reflectance band of an item that says {@code *:boa_offset_applied: true} (DEA
 *       {@code sentinel:boa_offset_applied}, Earth Search {@code earthsearch:boa_offset_applied}): offset 0,
 *       whatever {@code raster:bands} says. The provider has already removed ESA's +1000 DN
 *       {@code BOA_ADD_OFFSET} (processing baseline 04.00 and later), so the DN are on the old
 *       {@code DN / 10000} scale. Such items can still carry {@code raster:bands} offset -0.1 (Earth Search
 *       items do; Element 84 called the flag "the truth" and the offset a metadata error, earth-search issue
 *       9): applying it would subtract the offset a second time and bias every reflectance by -0.1.
 *       Scale: {@code raster:bands} scale, else 0.0001.</li>
 *   <li>Otherwise a reflectance band uses {@code raster:bands} scale and offset when given (DEA collection 1:
 *       scale 0.0001, offset -0.1, because its DN still carry the +1000), with scale 0.0001 and offset 0 for
 *       whichever is absent.</li>
 *   <li>Any other asset: {@code raster:bands} scale and offset, else 1 and 0.</li>
 * </ol>
 * What metadata cannot fix: some Earth Search items say {@code boa_offset_applied: false} although the offset
 * was applied (earth-search issue 66); only the pixel values can tell those apart.
 *
 * @param key          the asset's key in the item ({@code red}, {@code B04}, {@code red-jp2}, ...)
 * @param href         the URL to read, after the {@link HrefResolver} (s3:// mapped to https://)
 * @param originalHref the href as the item has it
 * @param mediaType    the media type ({@code image/tiff; application=geotiff; profile=cloud-optimized}), or null
 * @param roles        the asset roles ({@code data}, {@code reflectance}, {@code overview}, ...), maybe empty
 * @param gsd          pixel size in metres ({@code gsd}, else {@code raster:bands[0].spatial_resolution}), or null
 * @param projShape    {@code proj:shape} as {@code [rows, columns]}, or null
 * @param projTransform {@code proj:transform}, the six (or nine) affine coefficients {@code [a, b, c, d, e, f]}
 *                     with {@code x = a*col + b*row + c}, {@code y = d*col + e*row + f}; or null
 * @param nodata       the nodata value ({@code raster:bands[0].nodata}; 0 for a Sentinel-2 band that does not
 *                     say, as DEA's COGs use 0), or null when unknown
 * @param dataType     {@code raster:bands[0].data_type} ({@code uint16}, ...), or null
 * @param scale        DN to value multiplier, see the rule above
 * @param offset       added after scaling, see the rule above
 */
public record StacAsset(String key, URI href, String originalHref, String mediaType, List<String> roles,
                        Double gsd, List<Integer> projShape, List<Double> projTransform, Double nodata,
                        String dataType, double scale, double offset) {

    /** Validates the required parts and copies the lists. */
    public StacAsset {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(href, "href");
        Objects.requireNonNull(originalHref, "originalHref");
        roles = roles == null ? List.of() : List.copyOf(roles);
        projShape = projShape == null ? null : List.copyOf(projShape);
        projTransform = projTransform == null ? null : List.copyOf(projTransform);
        if (projShape != null && projShape.size() != 2) {
            throw new IllegalArgumentException("proj:shape of asset " + key + " must have 2 values, got " + projShape);
        }
        if (projTransform != null && projTransform.size() != 6 && projTransform.size() != 9) {
            throw new IllegalArgumentException("proj:transform of asset " + key + " must have 6 or 9 values, got "
                    + projTransform.size());
        }
        if (!Double.isFinite(scale) || scale == 0 || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("asset " + key + " has an unusable scale " + scale + " / offset "
                    + offset);
        }
    }

    /** True for a GeoTIFF (COG or not), by media type or, without one, by the file extension. */
    public boolean isGeoTiff() {
        if (mediaType != null) {
            String t = mediaType.toLowerCase(Locale.ROOT).strip();
            return t.startsWith("image/tiff") || t.startsWith("image/vnd.stac.geotiff");
        }
        String path = href.getPath() == null ? "" : href.getPath().toLowerCase(Locale.ROOT);
        return path.endsWith(".tif") || path.endsWith(".tiff");
    }

    /** The value of one DN: {@code DN * scale + offset}, or NaN for the nodata value. */
    public double toValue(double dn) {
        if (nodata != null && (dn == nodata || Double.isNaN(nodata) && Double.isNaN(dn))) {
            return Double.NaN;
        }
        return dn * scale + offset;
    }

    /** Raster width in pixels from {@code proj:shape}, if known. */
    public Optional<Integer> width() {
        return projShape == null ? Optional.empty() : Optional.of(projShape.get(1));
    }

    /** Raster height in pixels from {@code proj:shape}, if known. */
    public Optional<Integer> height() {
        return projShape == null ? Optional.empty() : Optional.of(projShape.get(0));
    }

    /** {@code proj:transform} as a GDAL-order {@link GeoTransform}, if known. */
    public Optional<GeoTransform> geoTransform() {
        if (projTransform == null) {
            return Optional.empty();
        }
        List<Double> t = projTransform;
        return Optional.of(new GeoTransform(t.get(2), t.get(0), t.get(1), t.get(5), t.get(3), t.get(4)));
    }
}
