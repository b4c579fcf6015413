package io.geocrop.score;

import io.cloudevents.CloudEvent;
import io.geocrop.events.DecodedEvent;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.S3ObjectRef;
import io.geocrop.events.TraceScope;
import io.geocrop.scoring.ScoringService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.function.FunctionBean;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * score-tile's event handling, the function both {@link ScoreTileController} and {@link EmbeddedSubscription} call:
 * an S3/MinIO object-created event (CloudEvents S3 adapter mapping) names the object; {@link ScoringService} does the
 * rest. Each event is decoded once ({@link DecodedEvent}), and the trace scope is fed from that. Throwing asks the
 * broker to redeliver.
 */
@FunctionBean("score-tile")
public class ScoreTileHandler implements Function<CloudEvent, ScoreTileHandler.Scored> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreTileHandler.class);

    private final ScoringService scoring;

    public ScoreTileHandler(ScoringService scoring) {
        this.scoring = scoring;
    }

    /**
     * What was done with one event (the HTTP answer).
     *
     * @param outcome {@code scored}, {@code duplicate}, {@code ignored}, {@code failed-upload} or {@code failed-job}
     * @param result  the object written in {@code geocrop-results}, or null
     */
    @Serdeable
    public record Scored(String event, String outcome, String detail, @Nullable String result) {}

    /**
     * Handles one event.
     *
     * @throws InvalidEventException if it is not an S3 notification, or its record lacks the object
     * @throws UncheckedIOException  if storage failed (worth a retry)
     */
    @Override
    public Scored apply(CloudEvent delivered) {
        DecodedEvent event = DecodedEvent.decode(delivered);
        // Trace context and log keys (job, tile, event) for everything done for this event, events emitted included.
        try (TraceScope scope = TraceScope.forEvent(event)) {
            ScoringService.EventReport r = dispatch(event);
            return new Scored(event.id(), r.outcome().label(), r.detail(), r.result());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ScoringService.EventReport dispatch(DecodedEvent event) throws IOException {
        String type = event.event().getType();
        if (!ForeignEventTypes.isS3(type)) {
            throw new InvalidEventException("score-tile handles S3/MinIO object-created events ("
                    + ForeignEventTypes.S3_OBJECT_CREATED_PUT + "), not " + type);
        }
        if (!event.isS3ObjectCreated()) {
            return new ScoringService.EventReport(ScoringService.EventOutcome.IGNORED, "not an object-created event: " + type, null);
        }
        S3ObjectRef object = event.object();
        ScoringService.EventReport result = scoring.handle(object.bucket(), object.key());
        LOG.info("Event {} ({}/{}): {}: {}", event.id(), object.bucket(), object.key(), result.outcome().label(),
                result.detail());
        return result;
    }
}
