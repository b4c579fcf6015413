package io.geocrop.score;

import io.cloudevents.CloudEvent;
import io.geocrop.events.EventSubscriber;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.S3ObjectRef;
import io.geocrop.events.TraceScope;
import io.geocrop.scoring.ScoringService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * score-tile as a pure {@code handle(event)}: an S3/MinIO object-created event (CloudEvents S3 adapter mapping) names
 * the object; {@link ScoringService} does the rest. The HTTP controller and the embedded router both call this.
 * Throwing asks the broker to redeliver.
 */
@Singleton
public class ScoreTileHandler implements EventSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreTileHandler.class);

    private final ScoringService scoring;

    public ScoreTileHandler(ScoringService scoring) {
        this.scoring = scoring;
    }

    @Override
    public void handle(CloudEvent event) throws Exception {
        process(event);
    }

    /**
     * Handles one event.
     *
     * @throws InvalidEventException if it is not an S3 notification, or its record lacks the object
     */
    public ScoringService.Result process(CloudEvent event) throws Exception {
        // Trace context and log keys (job, tile, event) for everything done for this event, events emitted included.
        try (TraceScope scope = TraceScope.forEvent(event)) {
            return dispatch(event);
        }
    }

    private ScoringService.Result dispatch(CloudEvent event) throws Exception {
        if (!ForeignEventTypes.isS3(event.getType())) {
            throw new InvalidEventException("score-tile handles S3/MinIO object-created events ("
                    + ForeignEventTypes.S3_OBJECT_CREATED_PUT + "), not " + event.getType());
        }
        if (!event.getType().startsWith(ForeignEventTypes.S3_PREFIX + "ObjectCreated:")) {
            return new ScoringService.Result(ScoringService.Outcome.IGNORED,
                    "not an object-created event: " + event.getType(), null);
        }
        S3ObjectRef object = S3Notifications.object(event);
        ScoringService.Result result = scoring.handle(object.bucket(), object.key());
        LOG.info("Event {} ({}/{}): {}: {}", event.getId(), object.bucket(), object.key(), result.outcome().label(),
                result.detail());
        return result;
    }
}
