package io.geocrop.platform;

import io.geocrop.events.InProcessEventRouter;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;

/**
 * Stops the embedded broker first when the application stops (Micronaut publishes {@link ShutdownEvent} before it
 * destroys any bean): running deliveries get the shutdown grace with the job store, the object store and the
 * imagery source still open, so a tile either finishes or is cut short by an interruption, never failed by a resource
 * that closed under it. What is cut short resumes on the next start ({@link EmbeddedReconcilerSchedule}).
 */
@Singleton
@Requires(property = "geocrop.events.transport", value = "embedded", defaultValue = "embedded")
final class EmbeddedBrokerShutdown implements ApplicationEventListener<ShutdownEvent> {
    private final InProcessEventRouter router;

    EmbeddedBrokerShutdown(InProcessEventRouter router) {
        this.router = router;
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        router.close();
    }
}
