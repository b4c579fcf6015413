package io.geocrop.render;

import io.geocrop.events.InProcessEventRouter;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Provider;

/**
 * In the embedded runtime, subscribes tile-render's function bean to the in-process router under the Service name of its Trigger, the internal surface
 * ({@code 340-trigger-job-completed.yaml}); the function (and the tile service) are resolved on the first event.
 */
@Context
@Requires(beans = InProcessEventRouter.class)
final class EmbeddedSubscription {
    EmbeddedSubscription(InProcessEventRouter router, Provider<PrerenderHandler> function) {
        router.register("tile-render-internal", event -> function.get().apply(event));
    }
}
