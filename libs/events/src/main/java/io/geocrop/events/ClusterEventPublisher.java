package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.Objects;
import java.util.function.Function;

/**
 * What functions publish to on a cluster: job submissions are appended to the Redis stream (the
 * RedisStreamSource brings them to the Broker), every other event is POSTed to {@code $K_SINK}.
 */
public final class ClusterEventPublisher implements EventPublisher {

    private final EventPublisher jobStream;
    private final EventPublisher sink;

    /**
     * Job submissions to {@code jobStream}, the rest to {@code sink}.
     *
     * @param sink the {@code $K_SINK} publisher, or null if the service has no sink (then publishing anything
     *             but a job submission fails with a clear message)
     */
    public ClusterEventPublisher(EventPublisher jobStream, EventPublisher sink) {
        this.jobStream = Objects.requireNonNull(jobStream, "jobStream");
        this.sink = sink;
    }

    /** Job submissions to {@code jobStream}, the rest to {@code $K_SINK} as read from {@code environment}. */
    public static ClusterEventPublisher fromEnvironment(EventPublisher jobStream, Function<String, String> environment) {
        return new ClusterEventPublisher(jobStream, KSinkPublisher.fromEnvironment(environment).orElse(null));
    }

    /**
     * Publishes {@code event} to the stream or the sink, carrying trace context ({@link TraceContext#ensureOn}).
     *
     * @throws EventDeliveryException if the destination refuses it, or {@code K_SINK} is not set for an
     *     event that has to go there
     */
    @Override
    public void publish(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        // Every event leaves with trace context (S3 notifications and foreign events have none of their own).
        event = TraceContext.ensureOn(event);
        if (EventType.JOB_SUBMITTED.type().equals(event.getType())) {
            jobStream.publish(event);
        } else if (sink == null) {
            throw new EventDeliveryException(KSinkPublisher.K_SINK, KSinkPublisher.K_SINK + " is not set: cannot "
                    + "send " + GeoCropEvents.describe(event) + " onward; bind this service to the Broker with a "
                    + "SinkBinding (or set " + KSinkPublisher.K_SINK + ")");
        } else {
            sink.publish(event);
        }
    }
}
