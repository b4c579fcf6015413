package io.geocrop.render;

import io.cloudevents.CloudEvent;
import io.geocrop.events.DecodedEvent;
import io.geocrop.events.EventType;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.JobCompletedV1;
import io.geocrop.events.S3ObjectRef;
import io.geocrop.events.TraceScope;
import io.geocrop.storage.Bucket;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.function.FunctionBean;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * tile-render's event handling, the function both {@link PrerenderController} (the Trigger
 * {@code 340-trigger-job-completed.yaml} over HTTP) and {@link EmbeddedSubscription} call: a job-completed event,
 * or an object-created event of a result COG or a baseline, warms the cache with its low zooms. Each event is
 * decoded once ({@link DecodedEvent}), and the trace scope is fed from that.
 */
@FunctionBean("tile-render-prerender")
public final class PrerenderHandler implements Function<CloudEvent, PrerenderHandler.Prerender> {
    private final TileService tiles;

    PrerenderHandler(TileService tiles) {
        this.tiles = tiles;
    }

    /**
     * What was pre-rendered for one event (the HTTP answer).
     *
     * @param ignored why nothing was rendered, or null
     */
    @Serdeable
    public record Prerender(String event, @Nullable List<String> layers, int tiles, @Nullable String ignored) {}

    /**
     * Warms the cache with the low zooms of a completed job's result COG (job-completed names it; an object-created
     * event of a result COG or a baseline works too); any other event is acknowledged and ignored.
     *
     * @throws InvalidEventException if the event's data is malformed
     */
    @Override
    public Prerender apply(CloudEvent delivered) {
        DecodedEvent event = DecodedEvent.decode(delivered);
        try (TraceScope scope = TraceScope.forEvent(event)) {
            return prerender(event);
        }
    }

    private Prerender prerender(DecodedEvent event) {
        if (event.is(EventType.JOB_COMPLETED)) {
            JobCompletedV1 completed = event.data(JobCompletedV1.class);
            return tiles.prerender(Bucket.RESULTS, completed.resultKey())
                    .map(d -> new Prerender(event.id(), d.layers(), d.tiles(), null))
                    .orElseGet(() -> new Prerender(event.id(), null, 0,
                            "job " + completed.jobId() + ": no result COG at " + completed.resultKey()));
        }
        if (!event.isS3ObjectCreated()) {
            return new Prerender(event.id(), null, 0, "not an object-created event: " + event.event().getType());
        }
        S3ObjectRef object = event.object();
        Optional<Bucket> bucket = Bucket.ofName(object.bucket());
        Optional<TileService.Prerendered> done = bucket.flatMap(b -> tiles.prerender(b, object.key()));
        return done.map(d -> new Prerender(event.id(), d.layers(), d.tiles(), null))
                .orElseGet(() -> new Prerender(event.id(), null, 0,
                        "not a job result COG (or gone): " + object.bucket() + "/" + object.key()));
    }
}
