package io.geocrop.events;

import io.cloudevents.CloudEvent;

/**
 * Receives the events a Trigger routes to one service. Throwing means "not accepted": the broker retries
 * with backoff and finally dead-letters the event, so a handler must be idempotent.
 */
@FunctionalInterface
public interface EventSubscriber {

    /** Handles one event; any exception asks for redelivery. */
    void handle(CloudEvent event) throws Exception;
}
