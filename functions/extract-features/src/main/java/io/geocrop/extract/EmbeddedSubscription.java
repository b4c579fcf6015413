package io.geocrop.extract;

import io.geocrop.events.InProcessEventRouter;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Provider;

/**
 * In the embedded runtime, subscribes extract-features' function bean to the in-process router under the Service
 * name its Triggers name. The function is resolved on the first event, so start-up stays light.
 */
@Context
@Requires(beans = InProcessEventRouter.class)
final class EmbeddedSubscription {
    EmbeddedSubscription(InProcessEventRouter router, Provider<ExtractFeaturesHandler> function) {
        router.register("extract-features", event -> function.get().apply(event));
    }
}
