package io.geocrop.scoring;

/**
 * A feature tile, an upload or a model that cannot be scored, with a reason a person can read: it names the object
 * and what is wrong with it ("has 12 bands; a feature GeoTIFF has 51"). Uploads turn it into an error object next to
 * where the result would be; job tiles turn it into a failed job.
 */
public class ScoringException extends RuntimeException {
    private final String object;
    private final String reason;

    /**
     * @param object what could not be scored, e.g. {@code geocrop-features/uploads/a.tif}
     * @param reason what is wrong, a sentence without the object's name
     */
    public ScoringException(String object, String reason) {
        this(object, reason, null);
    }

    public ScoringException(String object, String reason, Throwable cause) {
        super(object + ": " + reason, cause);
        this.object = object;
        this.reason = reason;
    }

    /** What could not be scored. */
    public String object() {
        return object;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}
