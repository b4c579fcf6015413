package io.geocrop.events.dev;

import io.geocrop.events.EventDeliveryException;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.KSinkPublisher;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development stand-in for a Knative PingSource: every {@code interval} it POSTs a
 * {@code dev.knative.sources.ping} CloudEvent (binary mode, data {@code {"source":"dev-broker"}}) to a sink, in
 * GeoCrop submit-job's {@code /internal/reconcile}. A failed ping is logged and the next one comes on schedule, as
 * with Knative (the reconciler is idempotent, a missed round only delays it).
 */
public final class DevPingSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevPingSource.class);
    /** The source attribute of ping events, as Knative names a PingSource. */
    public static final URI SOURCE = URI.create("/apis/v1/namespaces/geocrop/pingsources/geocrop-reconciler");

    private final KSinkPublisher sink;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;

    /** Pings {@code sink} every {@code interval}, the first time after one interval. */
    public DevPingSource(URI sink, Duration interval) {
        this.sink = new KSinkPublisher(Objects.requireNonNull(sink, "sink"));
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("ping interval must be positive, got " + interval);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dev-ping").daemon(true).factory());
    }

    /** Starts the schedule. */
    public DevPingSource start() {
        scheduler.scheduleWithFixedDelay(this::ping, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Ping source (a stand-in for Knative's PingSource): {} every {}", sink.sink(), interval);
        return this;
    }

    /** Sends one ping now; false (logged) if the sink did not take it. */
    public boolean ping() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(ForeignEventTypes.PING)
                .withSource(SOURCE)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType(GeoCropEvents.JSON)
                .withData("{\"source\":\"dev-broker\"}".getBytes(StandardCharsets.UTF_8))
                .build();
        try {
            sink.publish(event);
            return true;
        } catch (EventDeliveryException e) {
            LOG.warn("Ping to {} failed: {}", sink.sink(), e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
