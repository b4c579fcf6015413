package io.geocrop.imagery.stac;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** The default {@link HrefResolver}: see {@link HrefResolver#s3ToHttps}. */
final class S3HttpsResolver implements HrefResolver {
    /** Bucket names per the S3 rules (lower case, digits, dots, hyphens; 3 to 63 characters). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /**
     * An AWS region id such as {@code af-south-1}. Checked because the region becomes part of a host name: an
     * item must not be able to point GeoCrop at another host through {@code storage:region}.
     */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private final String defaultRegion;
    private final Map<String, String> bucketRegions;

    S3HttpsResolver(String defaultRegion, Map<String, String> bucketRegions) {
        this.defaultRegion = requireRegion(defaultRegion, "default region");
        this.bucketRegions = Map.copyOf(bucketRegions);
        this.bucketRegions.forEach((bucket, region) -> requireRegion(region, "region of bucket " + bucket));
    }

    @Override
    public URI resolve(String href, Context context) {
        URI uri = parse(href);
        if (uri.getScheme() == null) {
            if (context.base() == null || !context.base().isAbsolute()) {
                throw new IllegalArgumentException("relative href '" + href + "' and no absolute self link"
                        + " to resolve it against");
            }
            uri = context.base().resolve(uri);
        }
        if (!"s3".equalsIgnoreCase(uri.getScheme())) {
            return uri;
        }
        String bucket = uri.getRawAuthority();
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + href + "' does not name a valid S3 bucket");
        }
        String key = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("'" + href + "' has no object key");
        }
        String region = bucketRegions.get(bucket);
        if (region == null) {
            region = context.storageRegion() != null ? context.storageRegion() : defaultRegion;
        }
        requireRegion(region, "storage:region");
        String url = bucket.indexOf('.') >= 0
                ? "https://s3." + region + ".amazonaws.com/" + bucket + "/" + key
                : "https://" + bucket + ".s3." + region + ".amazonaws.com/" + key;
        return parse(url + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String requireRegion(String region, String what) {
        Objects.requireNonNull(region, what);
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(what + " '" + region + "' is not an AWS region id like af-south-1");
        }
        return region;
    }

    private static URI parse(String href) {
        try {
            return new URI(href.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + href + "' is not a valid URI: " + e.getReason());
        }
    }

    @Override
    public String toString() {
        return "s3ToHttps[default " + defaultRegion + ", buckets " + bucketRegions + "]";
    }
}
