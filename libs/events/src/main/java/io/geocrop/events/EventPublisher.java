package io.geocrop.events;

import io.cloudevents.CloudEvent;

/**
 * Hands a CloudEvent to the event transport: the Redis stream or {@code $K_SINK} on a cluster, the
 * in-process broker when everything runs in one JVM. Returning normally means the transport has taken the
 * event over; it does not mean any subscriber has handled it yet.
 */
@FunctionalInterface
public interface EventPublisher {

    /**
     * Publishes {@code event}.
     *
     * @throws EventDeliveryException if the event could not be handed over, naming the destination
     */
    void publish(CloudEvent event);
}
