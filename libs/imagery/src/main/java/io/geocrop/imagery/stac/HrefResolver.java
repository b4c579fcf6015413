package io.geocrop.imagery.stac;

import java.net.URI;
import java.util.Map;

/**
 * Turns an asset {@code href} as written in a STAC item into the URL GeoCrop reads. The default,
 * {@link #s3ToHttps}, maps {@code s3://bucket/key} to the bucket's public HTTPS endpoint; a caller that reads
 * through its own S3 client or a mirror supplies another mapping.
 */
@FunctionalInterface
public interface HrefResolver {

    /**
     * @param href    the href exactly as the item has it (absolute, or relative to the item's self link)
     * @param context where the href comes from
     * @return the URL to read
     * @throws IllegalArgumentException if the href cannot be mapped (the parser names the item and asset)
     */
    URI resolve(String href, Context context);

    /**
     * Where an href comes from.
     *
     * @param itemId        the item's id
     * @param assetKey      the asset's key in the item
     * @param storageRegion the {@code storage:region} of the asset, else of the item; null when neither says
     * @param base          the item's absolute self link, against which relative hrefs resolve; null if none
     */
    record Context(String itemId, String assetKey, String storageRegion, URI base) {
    }

    /**
     * S3 hrefs to virtual-hosted HTTPS ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}, or path style
     * {@code https://s3.<region>.amazonaws.com/<bucket>/<key>} for bucket names with dots, which the S3
     * wildcard certificate does not cover). Relative hrefs are first resolved against the item's self link;
     * http(s) and other schemes pass unchanged (the asset allowlist decides whether they may be read).
     *
     * @param defaultRegion region for an s3 href whose item has no {@code storage:region}
     * @param bucketRegions regions known per bucket; they win over {@code storage:region}, because catalogues
     *                      that mirror another one copy its {@code storage:region} along with the rest (the DEA
     *                      collection-1 items say {@code us-west-2}, Earth Search's region, for DEA buckets)
     */
    static HrefResolver s3ToHttps(String defaultRegion, Map<String, String> bucketRegions) {
        return new S3HttpsResolver(defaultRegion, bucketRegions);
    }
}
