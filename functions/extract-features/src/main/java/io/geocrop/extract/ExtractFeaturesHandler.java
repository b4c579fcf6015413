package io.geocrop.extract;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.events.EventSubscriber;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.events.TraceScope;
import io.geocrop.extraction.JobPlanner;
import io.geocrop.extraction.TileExtraction;
import io.geocrop.platform.metrics.GeoCropMetrics;
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
    private final GeoCropMetrics metrics;

    public ExtractFeaturesHandler(JobPlanner planner, TileExtraction tiles, GeoCropMetrics metrics) {
        this.planner = planner;
        this.tiles = tiles;
        this.metrics = metrics;
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
        // Trace context and log keys (job, tile, event) for everything done for this event, events emitted included.
        try (TraceScope scope = TraceScope.forEvent(event)) {
            return dispatch(event);
        }
    }

    private Outcome dispatch(CloudEvent event) throws Exception {
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
                if (result == TileExtraction.Result.WRITTEN) {
                    // Job tiles are always 512 x 512 pixels.
                    metrics.tileExtracted((long) ProcessingGrid.TILE_SIZE_PX * ProcessingGrid.TILE_SIZE_PX);
                }
                return Outcome.TILE_EXTRACTED;
            }
            default -> throw new InvalidEventException("extract-features does not handle " + inner.getType());
        }
    }
}
