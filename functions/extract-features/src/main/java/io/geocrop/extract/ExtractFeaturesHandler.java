package io.geocrop.extract;

import io.cloudevents.CloudEvent;
import io.geocrop.events.EventSubscriber;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.extraction.JobPlanner;
import io.geocrop.extraction.TileExtraction;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * extract-features as a pure {@code handle(event)}: a job submission (inside the RedisStreamSource's envelope,
 * as both Triggers deliver it) is planned, a tile request is extracted. The HTTP controller and the embedded
 * router both call this. Throwing asks the broker to redeliver.
 */
@Singleton
public class ExtractFeaturesHandler implements EventSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(ExtractFeaturesHandler.class);

    private final JobPlanner planner;
    private final TileExtraction tiles;

    public ExtractFeaturesHandler(JobPlanner planner, TileExtraction tiles) {
        this.planner = planner;
        this.tiles = tiles;
    }

    /** What the handler did with an event, for the HTTP answer and the logs. */
    public enum Outcome { PLANNED, TILE_EXTRACTED }

    @Override
    public void handle(CloudEvent event) throws Exception {
        process(event);
    }

    /**
     * Handles one event.
     *
     * @throws InvalidEventException if the event is not one extract-features takes, or its data is malformed
     */
    public Outcome process(CloudEvent event) throws Exception {
        CloudEvent inner = RedisStreamEnvelope.unwrapIfNeeded(event);
        Optional<EventType> type = EventType.ofType(inner.getType());
        if (type.isEmpty()) {
            throw new InvalidEventException("extract-features does not handle events of type " + inner.getType());
        }
        switch (type.get()) {
            case JOB_SUBMITTED -> {
                planner.plan(GeoCropEvents.data(inner, JobSubmittedV1.class));
                return Outcome.PLANNED;
            }
            case TILE_REQUESTED -> {
                TileExtraction.Result result = tiles.extract(GeoCropEvents.data(inner, TileRequestedV1.class));
                LOG.debug("Tile event {}: {}", inner.getId(), result);
                return Outcome.TILE_EXTRACTED;
            }
            default -> throw new InvalidEventException("extract-features does not handle " + inner.getType());
        }
    }
}
