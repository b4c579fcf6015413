package io.geocrop.events;

import java.net.URI;
import java.util.Optional;

/**
 * The catalogue of GeoCrop's own CloudEvents: the one place that names every event type, the source that
 * emits it, the record its JSON data binds to, and the versioned JSON Schema of that data.
 *
 * <p>A type name ends with its data version ({@code .v1}); a change that is not backward compatible gets a
 * new constant with a new type, record and schema, so old and new events can be in flight together.
 */
public enum EventType {
    /** A job was accepted and recorded; extract-features plans and computes its tiles. */
    JOB_SUBMITTED("io.geocrop.job.submitted.v1", "/geocrop/submit-job", JobSubmittedV1.class),
    /** One tile of a planned job; extract-features computes its features (the planner's fan-out). */
    TILE_REQUESTED("io.geocrop.tile.requested.v1", "/geocrop/extract-features", TileRequestedV1.class),
    /** The last tile of a job was scored and the job's COG assembled. */
    JOB_COMPLETED("io.geocrop.job.completed.v1", "/geocrop/score-tile", JobCompletedV1.class),
    /** A job gave up, with a human-readable reason. Emitted by whichever component failed it. */
    JOB_FAILED("io.geocrop.job.failed.v1", "/geocrop/jobs", JobFailedV1.class);

    /** Base of every {@link #dataSchema()} URI; the schema files carry the same URI as their {@code $id}. */
    public static final String DATA_SCHEMA_PREFIX = "urn:geocrop:schema:";

    private final String type;
    private final URI source;
    private final Class<? extends Record> dataClass;

    EventType(String type, String source, Class<? extends Record> dataClass) {
        this.type = type;
        this.source = URI.create(source);
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code io.geocrop.job.submitted.v1}. */
    public String type() {
        return type;
    }

    /** The CloudEvents {@code source} attribute of events of this type. */
    public URI source() {
        return source;
    }

    /** The record the event's JSON data binds to. */
    public Class<? extends Record> dataClass() {
        return dataClass;
    }

    /** Classpath location of the data's JSON Schema, e.g. {@code schemas/io.geocrop.job.submitted.v1.json}. */
    public String schemaPath() {
        return "schemas/" + type + ".json";
    }

    /** The CloudEvents {@code dataschema} attribute: the {@code $id} of the schema at {@link #schemaPath()}. */
    public URI dataSchema() {
        return URI.create(DATA_SCHEMA_PREFIX + type);
    }

    /** The catalogue entry for a CloudEvents type, if GeoCrop defines it. */
    public static Optional<EventType> ofType(String type) {
        for (EventType t : values()) {
            if (t.type.equals(type)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
