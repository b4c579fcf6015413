package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events to a Redis stream with {@code XADD}, as {@link RedisStreamEnvelope#toFields} lays them
 * out; Knative's RedisStreamSource forwards each entry to the Broker. The cluster path for job submissions.
 */
public final class RedisStreamPublisher implements EventPublisher, AutoCloseable {

    /** The stream job submissions are appended to (the RedisStreamSource manifest reads it). */
    public static final String DEFAULT_STREAM = "geocrop:jobs";

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamPublisher.class);
    private static final Duration CONNECT_AND_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final StatefulRedisConnection<String, String> connection;
    private final RedisClient ownedClient;
    private final String stream;
    private final long approximateMaxLength;
    private final String destination;

    /**
     * Publishes over a connection owned by the caller (in the functions, micronaut-redis's connection to
     * {@code redis.servers.geocrop}).
     *
     * @param approximateMaxLength trim the stream to about this many entries on each append; 0 = never trim
     */
    public RedisStreamPublisher(StatefulRedisConnection<String, String> connection, String stream, long approximateMaxLength) {
        this(connection, null, stream, approximateMaxLength, "Redis stream '" + stream + "'");
    }

    private RedisStreamPublisher(StatefulRedisConnection<String, String> connection, RedisClient ownedClient,
            String stream, long approximateMaxLength, String destination) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.ownedClient = ownedClient;
        this.stream = Objects.requireNonNull(stream, "stream");
        if (approximateMaxLength < 0) {
            throw new IllegalArgumentException("approximateMaxLength must be >= 0, got " + approximateMaxLength);
        }
        this.approximateMaxLength = approximateMaxLength;
        this.destination = destination;
    }

    /**
     * Connects to {@code redisUri} (e.g. {@code redis://redis.geocrop.svc.cluster.local:6379}) with 5 s
     * timeouts; the publisher owns that connection and {@link #close()} releases it. For tools and tests outside a
     * Micronaut context: the functions publish over micronaut-redis's connection (platform's {@code EventsFactory}).
     *
     * @throws EventDeliveryException if Redis cannot be reached
     */
    public static RedisStreamPublisher connect(String redisUri, String stream, long approximateMaxLength) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(CONNECT_AND_COMMAND_TIMEOUT);
        String where = "Redis stream '" + stream + "' at " + uri.getHost() + ":" + uri.getPort();
        RedisClient client = RedisClient.create(uri);
        try {
            return new RedisStreamPublisher(client.connect(), client, stream, approximateMaxLength, where);
        } catch (RedisException e) {
            client.shutdown();
            throw new EventDeliveryException(where, "cannot connect to " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@code event} and returns the stream entry id Redis assigned.
     *
     * @throws EventDeliveryException naming the stream if the XADD fails
     */
    public String append(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        List<String> fields = RedisStreamEnvelope.toFields(event);
        XAddArgs args = new XAddArgs();
        if (approximateMaxLength > 0) {
            args.maxlen(approximateMaxLength).approximateTrimming(true);
        }
        try {
            String entryId = connection.sync().xadd(stream, args, fields.toArray());
            LOG.debug("Appended {} to {} as entry {}", GeoCropEvents.describe(event), destination, entryId);
            return entryId;
        } catch (RedisException e) {
            throw new EventDeliveryException(destination, "cannot append " + GeoCropEvents.describe(event)
                    + " to " + destination + ": " + e.getMessage(), e);
        }
    }

    /** {@link #append} without the entry id. */
    @Override
    public void publish(CloudEvent event) {
        append(event);
    }

    /** The stream name. */
    public String stream() {
        return stream;
    }

    /** Closes the connection if this publisher opened it; a caller's connection is left open. */
    @Override
    public void close() {
        if (ownedClient != null) {
            connection.close();
            ownedClient.shutdown();
        }
    }
}
