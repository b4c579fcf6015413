package io.geocrop.storage;

/** The object-storage buckets of GeoCrop (brief section 5). */
public enum Bucket {
    /** Model artifacts and model cards. */
    MODELS("geocrop-models"),
    /** Dynamic World baseline COGs under {@code dw/zim/summer/<year>/}. */
    BASELINES("geocrop-baselines"),
    /** Job results under {@code results/<job_id>/}. */
    RESULTS("geocrop-results"),
    /** Training CSVs and labels. */
    DATASETS("geocrop-datasets"),
    /** Per-tile feature GeoTIFFs; may expire. Objects created here are scored. */
    FEATURES("geocrop-features");

    private final String bucketName;

    Bucket(String bucketName) {
        this.bucketName = bucketName;
    }

    /** The bucket's name in object storage. */
    public String bucketName() {
        return bucketName;
    }

    /** Finds a bucket by its storage name. */
    public static java.util.Optional<Bucket> ofName(String name) {
        for (Bucket b : values()) {
            if (b.bucketName.equals(name)) {
                return java.util.Optional.of(b);
            }
        }
        return java.util.Optional.empty();
    }
}
