package io.geocrop.render;

import io.geocrop.events.InProcessEventRouter;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Provider;

/**
 * In the embedded runtime, subscribes tile-render to the in-process router under the Service name of its Trigger, the internal surface
 * ({@code 340-trigger-job-completed.yaml}); the tile service is resolved on the first event.
 */
@Context
@Requires(beans = InProcessEventRouter.class)
final class EmbeddedSubscription {
    EmbeddedSubscription(InProcessEventRouter router, Provider<TileService> tiles) {
        router.register("tile-render-internal", event -> PrerenderHandler.handle(tiles.get(), event));
    }
}
