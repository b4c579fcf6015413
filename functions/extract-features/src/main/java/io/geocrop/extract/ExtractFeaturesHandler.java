package io.geocrop.extract;

import io.cloudevents.CloudEvent;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.events.DecodedEvent;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TileRequestedV1;
import io.geocrop.events.TraceScope;
import io.geocrop.extraction.JobPlanner;
import io.geocrop.extraction.TileExtraction;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.micronaut.function.FunctionBean;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * extract-features' event handling, the function both {@link ExtractFeaturesController} (Knative's Triggers over
 * HTTP) and {@link EmbeddedSubscription} (the in-process router) call: a job submission (inside the
 * RedisStreamSource's envelope, as both Triggers deliver it) is planned, a tile request is extracted. Each event is
 * decoded once ({@link DecodedEvent}), and the trace scope is fed from that. Throwing asks the broker to redeliver.
 */
@FunctionBean("extract-features")
public class ExtractFeaturesHandler implements Function<CloudEvent, ExtractFeaturesHandler.Handled> {
    private static final Logger LOG = LoggerFactory.getLogger(ExtractFeaturesHandler.class);

    private final JobPlanner planner;
    private final TileExtraction tiles;
    private final GeoCropMetrics metrics;

    public ExtractFeaturesHandler(JobPlanner planner, TileExtraction tiles, GeoCropMetrics metrics) {
        this.planner = planner;
        this.tiles = tiles;
        this.metrics = metrics;
    }

    /**
     * What was done with one event (the HTTP answer).
     *
     * @param event   the event's id (the inner one for an envelope)
     * @param outcome {@code planned} or {@code tile_extracted}
     */
    @Serdeable
    public record Handled(String event, String outcome) {}

    /**
     * Handles one event.
     *
     * @throws InvalidEventException if the event is not one extract-features takes, or its data is malformed
     * @throws UncheckedIOException  if storage or the imagery failed (worth a retry)
     */
    @Override
    public Handled apply(CloudEvent delivered) {
        DecodedEvent event = DecodedEvent.decode(delivered);
        // Trace context and log keys (job, tile, event) for everything done for this event, events emitted included.
        try (TraceScope scope = TraceScope.forEvent(event)) {
            return new Handled(event.id(), dispatch(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String dispatch(DecodedEvent event) throws IOException {
        if (event.type() == null) {
            throw new InvalidEventException("extract-features does not handle events of type " + event.event().getType());
        }
        switch (event.type()) {
            case JOB_SUBMITTED -> {
                planner.plan(event.data(JobSubmittedV1.class));
                return "planned";
            }
            case TILE_REQUESTED -> {
                TileExtraction.ExtractionOutcome result = tiles.extract(event.data(TileRequestedV1.class));
                LOG.debug("Tile event {}: {}", event.id(), result);
                if (result == TileExtraction.ExtractionOutcome.WRITTEN) {
                    // Job tiles are always 512 x 512 pixels.
                    metrics.tileExtracted((long) ProcessingGrid.TILE_SIZE_PX * ProcessingGrid.TILE_SIZE_PX);
                }
                return "tile_extracted";
            }
            default -> throw new InvalidEventException("extract-features does not handle " + event.event().getType());
        }
    }
}
