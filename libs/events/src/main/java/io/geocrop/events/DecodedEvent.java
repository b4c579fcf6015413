package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.geocrop.storage.FeatureGeoTiffKey;
import io.geocrop.storage.ObjectKeys;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One delivered event, decoded once by the function that takes it: the event as delivered, the event inside (a job
 * submission arrives in the RedisStreamSource's envelope), its catalogue type, its data (bound to the type's record
 * for GeoCrop's own events, the object an S3 object-created event names), and the job and tile it is about. The
 * handler dispatches on it and {@link TraceScope#forEvent(DecodedEvent)} takes its log keys from it, so no event is
 * parsed twice.
 *
 * @param delivered the event as it arrived (the envelope, for a RedisStreamSource event)
 * @param event     the event inside the envelope, or {@code delivered} itself
 * @param type      GeoCrop's catalogue entry of {@code event}, or null for a foreign event
 * @param data      the data record of a GeoCrop event, the {@link S3ObjectRef} of an S3 object-created event, else null
 * @param jobId     the job the event is about, or null
 * @param tileId    the job tile the event is about, or null
 */
public record DecodedEvent(CloudEvent delivered, CloudEvent event, EventType type, Object data, UUID jobId,
                           String tileId) {

    public DecodedEvent {
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(event, "event");
    }

    /**
     * Decodes {@code delivered}: unwraps a RedisStreamSource envelope, binds a GeoCrop event's data to its record and
     * reads the object of an S3 object-created event.
     *
     * @throws InvalidEventException if the envelope or the data is malformed (not worth a retry)
     */
    public static DecodedEvent decode(CloudEvent delivered) {
        CloudEvent event = RedisStreamEnvelope.unwrapIfNeeded(delivered);
        Optional<EventType> type = EventType.ofType(event.getType());
        if (type.isPresent()) {
            Record data = GeoCropEvents.data(event, type.get().dataClass());
            return switch (data) {
                case JobSubmittedV1 d -> new DecodedEvent(delivered, event, type.get(), d, d.jobId(), null);
                case TileRequestedV1 d -> new DecodedEvent(delivered, event, type.get(), d, d.jobId(), d.tileId());
                case JobCompletedV1 d -> new DecodedEvent(delivered, event, type.get(), d, d.jobId(), null);
                case JobFailedV1 d -> new DecodedEvent(delivered, event, type.get(), d, d.jobId(), null);
                default -> new DecodedEvent(delivered, event, type.get(), data, null, null);
            };
        }
        if (ForeignEventTypes.isS3(event.getType())) {
            S3ObjectRef object = isObjectCreated(event) ? S3Notifications.object(event) : null;
            // The subject is the object key (S3Notifications), for the events whose data is not read.
            String key = object != null ? object.key() : event.getSubject();
            Optional<FeatureGeoTiffKey> tile = Optional.ofNullable(key).flatMap(ObjectKeys::parseFeatureTile);
            return new DecodedEvent(delivered, event, null, object, tile.map(FeatureGeoTiffKey::jobId).orElse(null),
                    tile.map(FeatureGeoTiffKey::tileId).orElse(null));
        }
        return new DecodedEvent(delivered, event, null, null, null, null);
    }

    /** The id of the event (the inner one for an envelope). */
    public String id() {
        return event.getId();
    }

    /** True if this is GeoCrop's event of {@code expected} type. */
    public boolean is(EventType expected) {
        return type == expected;
    }

    /** True for an S3/MinIO object-created event ({@link #object()} is then present). */
    public boolean isS3ObjectCreated() {
        return data instanceof S3ObjectRef;
    }

    /** The object an S3 object-created event names. */
    public S3ObjectRef object() {
        return data(S3ObjectRef.class);
    }

    /**
     * The data as {@code dataClass}.
     *
     * @throws InvalidEventException if the event carries no data of that kind
     */
    public <T> T data(Class<T> dataClass) {
        if (!dataClass.isInstance(data)) {
            throw new InvalidEventException(GeoCropEvents.describe(event) + " carries no " + dataClass.getSimpleName());
        }
        return dataClass.cast(data);
    }

    private static boolean isObjectCreated(CloudEvent event) {
        return event.getType().startsWith(ForeignEventTypes.S3_PREFIX + "ObjectCreated:");
    }
}
