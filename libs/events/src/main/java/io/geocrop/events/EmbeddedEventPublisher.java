package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.Objects;

/**
 * What functions publish to in embedded mode, mirroring {@link ClusterEventPublisher}: job submissions go
 * through the {@link EmbeddedJobStream} (as they go through Redis on a cluster), every other event straight
 * to the in-process broker (as {@code $K_SINK} points at the Broker on a cluster).
 */
public final class EmbeddedEventPublisher implements EventPublisher {

    private final EventPublisher jobStream;
    private final EventPublisher broker;

    /** Publishes to {@code broker}, job submissions via a default {@link EmbeddedJobStream} in front of it. */
    public EmbeddedEventPublisher(InProcessEventRouter broker) {
        this(new EmbeddedJobStream(broker), broker);
    }

    /** Publishes job submissions to {@code jobStream} and everything else to {@code broker}. */
    public EmbeddedEventPublisher(EventPublisher jobStream, EventPublisher broker) {
        this.jobStream = Objects.requireNonNull(jobStream, "jobStream");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * Publishes {@code event} through the job stream if it is a job submission, else straight to the broker, carrying
     * trace context ({@link TraceContext#ensureOn}) as on a cluster.
     */
    @Override
    public void publish(CloudEvent event) {
        event = TraceContext.ensureOn(event);
        if (EventType.JOB_SUBMITTED.type().equals(event.getType())) {
            jobStream.publish(event);
        } else {
            broker.publish(event);
        }
    }
}
