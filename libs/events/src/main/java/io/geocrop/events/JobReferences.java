package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.geocrop.storage.ObjectKeys;
import java.util.Optional;
import java.util.UUID;

/**
 * Which job an event is about, whatever its kind: GeoCrop's own job events carry {@code job_id}, a Redis stream
 * envelope carries a job submission, and an S3 object-created event names a feature tile key
 * ({@code jobs/<job_id>/<tile>.tif}). Used by the dead-letter sink to fail the right job.
 */
public final class JobReferences {
    private JobReferences() {}

    /** The job the event belongs to, or empty if it names none (for example an upload outside any job). */
    public static Optional<UUID> jobIdOf(CloudEvent event) {
        CloudEvent inner;
        try {
            inner = RedisStreamEnvelope.unwrapIfNeeded(event);
        } catch (InvalidEventException e) {
            return Optional.empty();
        }
        Optional<EventType> type = EventType.ofType(inner.getType());
        try {
            if (type.isPresent()) {
                return Optional.of(switch (type.get()) {
                    case JOB_SUBMITTED -> GeoCropEvents.data(inner, JobSubmittedV1.class).jobId();
                    case TILE_REQUESTED -> GeoCropEvents.data(inner, TileRequestedV1.class).jobId();
                    case JOB_COMPLETED -> GeoCropEvents.data(inner, JobCompletedV1.class).jobId();
                    case JOB_FAILED -> GeoCropEvents.data(inner, JobFailedV1.class).jobId();
                });
            }
        } catch (InvalidEventException e) {
            return Optional.empty();
        }
        if (ForeignEventTypes.isS3(inner.getType()) && inner.getSubject() != null) {
            return ObjectKeys.parseFeatureTile(inner.getSubject()).map(k -> k.jobId());
        }
        return Optional.empty();
    }

    /**
     * The job tile the event is about: a tile request's tile, or the tile of a feature file's S3 notification; empty
     * for job-level events (submitted, completed, failed) and anything else. Used by the dead-letter sink to mark the
     * tile, not the job.
     */
    public static Optional<String> tileIdOf(CloudEvent event) {
        CloudEvent inner;
        try {
            inner = RedisStreamEnvelope.unwrapIfNeeded(event);
            if (EventType.TILE_REQUESTED.type().equals(inner.getType())) {
                return Optional.of(GeoCropEvents.data(inner, TileRequestedV1.class).tileId());
            }
            if (ForeignEventTypes.isS3(inner.getType()) && inner.getSubject() != null) {
                return ObjectKeys.parseFeatureTile(inner.getSubject()).map(k -> k.tileId());
            }
        } catch (InvalidEventException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
