package io.geocrop.score;

import io.geocrop.events.InProcessEventRouter;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Provider;

/**
 * In the embedded runtime, subscribes score-tile's function bean to the in-process router under the Service name of its Trigger
 * ({@code 330-trigger-feature-created.yaml}); the function (and the model) are resolved on the first event.
 */
@Context
@Requires(beans = InProcessEventRouter.class)
final class EmbeddedSubscription {
    EmbeddedSubscription(InProcessEventRouter router, Provider<ScoreTileHandler> function) {
        router.register("score-tile", event -> function.get().apply(event));
    }
}
