package io.geocrop.render;

import io.cloudevents.CloudEvent;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobCompletedV1;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.S3ObjectRef;
import io.geocrop.events.TraceScope;
import io.geocrop.storage.Bucket;
import java.util.Optional;

/**
 * What tile-render does with a job-completed event (Trigger {@code 340-trigger-job-completed.yaml}) or an
 * object-created event, whether it came over HTTP or from the embedded router.
 */
final class PrerenderHandler {
    private PrerenderHandler() {}

    /**
     * Warms the cache with the low zooms of a completed job's result COG (job-completed names it; an
     * object-created event of a result COG or a baseline works too); any other event is acknowledged and ignored.
     *
     * @throws InvalidEventException if the event's data is malformed
     */
    static PrerenderController.Outcome handle(TileService tiles, CloudEvent event) {
        try (TraceScope scope = TraceScope.forEvent(event)) {
            return prerender(tiles, event);
        }
    }

    private static PrerenderController.Outcome prerender(TileService tiles, CloudEvent event) {
        if (EventType.JOB_COMPLETED.type().equals(event.getType())) {
            JobCompletedV1 completed = GeoCropEvents.data(event, JobCompletedV1.class);
            return tiles.prerender(Bucket.RESULTS, completed.resultKey())
                    .map(d -> new PrerenderController.Outcome(event.getId(), d.layers(), d.tiles(), null))
                    .orElseGet(() -> new PrerenderController.Outcome(event.getId(), null, 0,
                            "job " + completed.jobId() + ": no result COG at " + completed.resultKey()));
        }
        if (!ForeignEventTypes.isS3(event.getType()) || !event.getType().contains("ObjectCreated")) {
            return new PrerenderController.Outcome(event.getId(), null, 0, "not an object-created event: " + event.getType());
        }
        S3ObjectRef object = S3Notifications.object(event);
        Optional<Bucket> bucket = Bucket.ofName(object.bucket());
        Optional<TileService.Prerendered> done = bucket.flatMap(b -> tiles.prerender(b, object.key()));
        return done.map(d -> new PrerenderController.Outcome(event.getId(), d.layers(), d.tiles(), null))
                .orElseGet(() -> new PrerenderController.Outcome(event.getId(), null, 0,
                        "not a job result COG (or gone): " + object.bucket() + "/" + object.key()));
    }
}
