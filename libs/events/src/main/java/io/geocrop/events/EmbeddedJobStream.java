package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.util.Objects;

/**
 * The embedded stand-in for the Redis stream plus Knative's RedisStreamSource: wraps each job submission
 * exactly as the adapter would (entry id {@code <millis>-<seq>}, type {@code dev.knative.sources.redisstream},
 * data = the entry's fields as a JSON array) and publishes the envelope to the in-process broker, so the
 * same Trigger ({@code extract-features-on-job-submitted}) matches in both modes and subscribers unwrap the
 * same way.
 */
public final class EmbeddedJobStream implements EventPublisher {

    /** The address part of the envelope's source in embedded mode (the cluster has the Redis URL there). */
    public static final String EMBEDDED_ADDRESS = "embedded://geocrop";

    private final EventPublisher broker;
    private final String stream;
    private final Clock clock;
    private long lastMillis = -1;
    private long sequence;

    /** A stream named {@link RedisStreamPublisher#DEFAULT_STREAM} feeding {@code broker}. */
    public EmbeddedJobStream(EventPublisher broker) {
        this(broker, RedisStreamPublisher.DEFAULT_STREAM, Clock.systemUTC());
    }

    /** A stream named {@code stream} feeding {@code broker}, with entry ids taken from {@code clock}. */
    public EmbeddedJobStream(EventPublisher broker, String stream, Clock clock) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Appends a job submission and hands its envelope to the broker.
     *
     * @throws IllegalArgumentException if {@code event} is not {@code io.geocrop.job.submitted.v1}: only job
     *     submissions travel through the stream
     */
    @Override
    public void publish(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        if (!EventType.JOB_SUBMITTED.type().equals(event.getType())) {
            throw new IllegalArgumentException("only " + EventType.JOB_SUBMITTED.type() + " events go through the job "
                    + "stream '" + stream + "', not " + GeoCropEvents.describe(event));
        }
        broker.publish(RedisStreamEnvelope.asRedisStreamSourceEvent(
                nextEntryId(), EMBEDDED_ADDRESS, stream, RedisStreamEnvelope.toFields(event)));
    }

    /** The stream name that appears in envelope sources. */
    public String stream() {
        return stream;
    }

    // Same scheme as Redis: milliseconds, then a sequence within the millisecond; never goes backwards even
    // if the clock does.
    private synchronized String nextEntryId() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else {
            sequence++;
        }
        return lastMillis + "-" + sequence;
    }
}
