package io.geocrop.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code FEATURE_ORDER_V1}: the names of the 51 features in their fixed order, and the hash a model records
 * to prove it was trained on this order.
 */
public final class FeatureOrder {

    /** The feature names in order, immutable. */
    public static final List<String> FEATURE_ORDER_V1 =
            Arrays.stream(Feature.values()).map(Feature::featureName).toList();

    /** Number of features (51). */
    public static final int COUNT = FEATURE_ORDER_V1.size();

    /**
     * Lower-case hex SHA-256 of the names joined by {@code "\n"} (UTF-8, no trailing newline). Scoring refuses
     * a model whose recorded hash differs.
     */
    public static final String HASH_V1 = hashOf(FEATURE_ORDER_V1);

    private FeatureOrder() {
    }

    /** The hash of any feature order, computed as for {@link #HASH_V1}. */
    public static String hashOf(List<String> names) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * Zero-based index of a feature name.
     *
     * @throws IllegalArgumentException if the name is not in {@code FEATURE_ORDER_V1}
     */
    public static int indexOf(String name) {
        int i = FEATURE_ORDER_V1.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown feature '" + name + "': not in FEATURE_ORDER_V1");
        }
        return i;
    }
}
