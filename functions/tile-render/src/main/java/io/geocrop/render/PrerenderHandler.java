package io.geocrop.render;

import io.cloudevents.CloudEvent;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.S3ObjectRef;
import io.geocrop.storage.Bucket;
import java.util.Optional;

/** What tile-render does with an object-created event, whether it came over HTTP or from the embedded router. */
final class PrerenderHandler {
    private PrerenderHandler() {}

    /**
     * Warms the cache with the low zooms of a job's result COG; any other event is acknowledged and ignored.
     *
     * @throws InvalidEventException if an S3 event's data is malformed
     */
    static PrerenderController.Outcome handle(TileService tiles, CloudEvent event) {
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
