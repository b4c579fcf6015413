package io.geocrop.events.dev;

import io.geocrop.events.EventPublisher;
import io.geocrop.events.RedisStreamEnvelope;
import io.cloudevents.CloudEvent;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development stand-in for Knative's RedisStreamSource adapter (knative-extensions/eventing-redis), run by
 * the development broker: reads the job stream with {@code XREADGROUP} in a consumer group, wraps each entry
 * exactly as the adapter does ({@link RedisStreamEnvelope#asRedisStreamSourceEvent}: type
 * {@code dev.knative.sources.redisstream}, source {@code <address>/<stream>}, id = the entry id, data = the
 * fields as a JSON array), hands it to the sink and only then {@code XACK}s it.
 *
 * <p>What it does about faults:
 * <ul>
 *   <li>an entry whose hand-over failed stays pending and is re-claimed with {@code XAUTOCLAIM} once it has been
 *       idle for {@code claimIdle}, as are entries another (crashed) consumer of the group left pending;</li>
 *   <li>Redis going away: the loop backs off and retries; when Redis is back without the group (a restart without
 *       persistence), the group is created again from the start of the stream ({@code 0}, with {@code MKSTREAM}),
 *       so every entry added after the restart is delivered. (Entries Redis itself lost are not: the job store's
 *       reconciler re-emits those jobs.)</li>
 * </ul>
 * Delivery is at least once; the subscribers de-duplicate.
 *
 * <p>{@link Builder#likeKnativeAdapter()} models what the real adapter does instead (eventing-redis 1.19, read from
 * its source): it creates its group at {@code $} (only entries added from then on) and destroys it on shutdown
 * ({@code XGROUP DESTROY} on SIGTERM), so entries added while it restarts are never delivered. The e2e restarts such
 * a source to prove the reconciler's QUEUED pass recovers those submissions.
 */
public final class DevRedisStreamSource implements AutoCloseable {

    /** The consumer group of the RedisStreamSource manifest ({@code 200-redis-stream-source.yaml}). */
    public static final String DEFAULT_GROUP = "geocrop-jobs-to-broker";

    private static final Logger LOG = LoggerFactory.getLogger(DevRedisStreamSource.class);

    private final RedisURI uri;
    private final String address;
    private final String stream;
    private final String group;
    private final String consumer;
    private final EventPublisher sink;
    private final int batch;
    private final Duration block;
    private final Duration claimIdle;
    private final Duration maxBackoff;
    private final boolean likeKnativeAdapter;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();
    private final AtomicLong groupsCreated = new AtomicLong();
    private RedisClient client;
    private Thread loop;
    private volatile boolean running;

    private DevRedisStreamSource(Builder b) {
        this.uri = RedisURI.create(b.redisUri);
        // Command timeout above the XREADGROUP block time, so a blocking read is not cut short.
        this.uri.setTimeout(b.block.plusSeconds(5));
        this.address = redisAddress(uri);
        this.stream = b.stream;
        this.group = b.group;
        this.consumer = b.consumer;
        this.sink = b.sink;
        this.batch = b.batch;
        this.block = b.block;
        this.claimIdle = b.claimIdle;
        this.maxBackoff = b.maxBackoff;
        this.likeKnativeAdapter = b.likeKnativeAdapter;
    }

    /** A source reading {@code stream} at {@code redisUri} and handing each entry to {@code sink}. */
    public static Builder builder(String redisUri, String stream, EventPublisher sink) {
        return new Builder(redisUri, stream, sink);
    }

    /** Starts the read loop on its own thread. */
    public synchronized DevRedisStreamSource start() {
        if (running) {
            return this;
        }
        client = RedisClient.create(uri);
        running = true;
        loop = Thread.ofPlatform().name("redis-stream-source-" + stream).daemon(true).start(this::run);
        LOG.info("Redis stream source (a stand-in for Knative's RedisStreamSource) reading {} at {} as {}/{}",
                stream, address, group, consumer);
        return this;
    }

    /** Entries handed to the sink and acknowledged. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Entries taken over from the pending list with XAUTOCLAIM. */
    public long reclaimed() {
        return reclaimed.get();
    }

    /** How often the consumer group had to be created (1 at first start, +1 after each Redis restart that lost it). */
    public long groupsCreated() {
        return groupsCreated.get();
    }

    /** The address that appears in each envelope's source ({@code redis://host:port}, no credentials). */
    public String address() {
        return address;
    }

    private void run() {
        StatefulRedisConnection<String, String> connection = null;
        boolean groupReady = false;
        long backoffMillis = 100;
        long nextClaim = 0;
        boolean warned = false;
        while (running) {
            try {
                if (connection == null || !connection.isOpen()) {
                    connection = client.connect();
                }
                RedisCommands<String, String> redis = connection.sync();
                if (!groupReady) {
                    createGroup(redis);
                    groupReady = true;
                }
                if (System.nanoTime() >= nextClaim) {
                    claimPending(redis);
                    nextClaim = System.nanoTime() + Math.max(claimIdle.toNanos() / 2, 100_000_000L);
                }
                List<StreamMessage<String, String>> messages = redis.xreadgroup(Consumer.from(group, consumer),
                        XReadArgs.Builder.block(block).count(batch), XReadArgs.StreamOffset.lastConsumed(stream));
                for (StreamMessage<String, String> message : messages) {
                    forward(redis, message);
                }
                if (warned) {
                    LOG.info("Redis stream source: Redis at {} is reachable again", address);
                    warned = false;
                }
                backoffMillis = 100;
            } catch (RedisCommandExecutionException e) {
                if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
                    // Redis lost the group (restarted without persistence, or the stream was deleted): make it again.
                    LOG.warn("Redis stream source: consumer group {} of {} is gone ({}); creating it again",
                            group, stream, e.getMessage());
                    groupReady = false;
                } else {
                    warned = backOff(warned, e, backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
                }
            } catch (RedisException e) {
                if (!running) {
                    break;
                }
                warned = backOff(warned, e, backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
            } catch (RuntimeException e) {
                LOG.error("Redis stream source: unexpected failure; retrying", e);
                warned = backOff(true, e, backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
            }
        }
        if (connection != null) {
            if (likeKnativeAdapter) {
                destroyGroup(connection);
            }
            connection.close();
        }
    }

    // The real adapter's shutdown: the group and its pending entries go; a new start begins at $.
    private void destroyGroup(StatefulRedisConnection<String, String> connection) {
        try {
            connection.sync().xgroupDestroy(stream, group);
            LOG.info("Redis stream source: destroyed consumer group {} of {} on shutdown (as Knative's adapter does)",
                    group, stream);
        } catch (RedisException e) {
            LOG.warn("Redis stream source: could not destroy group {} of {}: {}", group, stream, e.getMessage());
        }
    }

    private boolean backOff(boolean warned, Exception e, long millis) {
        if (!warned) {
            LOG.warn("Redis stream source: cannot read {} at {} ({}); retrying with backoff", stream, address, e.getMessage());
        } else {
            LOG.debug("Redis stream source: still failing: {}", e.getMessage());
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return true;
    }

    private void createGroup(RedisCommands<String, String> redis) {
        try {
            // From 0, not $: a group created after a Redis restart must still see the entries added since. The
            // real adapter uses $ (likeKnativeAdapter).
            String from = likeKnativeAdapter ? "$" : "0";
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, from), group, XGroupCreateArgs.Builder.mkstream());
            groupsCreated.incrementAndGet();
            LOG.info("Redis stream source: created consumer group {} on {} from {}", group, stream,
                    likeKnativeAdapter ? "its end ($)" : "the start of the stream");
        } catch (RedisCommandExecutionException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void claimPending(RedisCommands<String, String> redis) {
        String start = "0-0";
        do {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(Consumer.from(group, consumer), claimIdle, start).count(batch));
            for (StreamMessage<String, String> message : claimed.getMessages()) {
                reclaimed.incrementAndGet();
                LOG.info("Redis stream source: re-claimed pending entry {} of {} (idle over {})", message.getId(),
                        stream, claimIdle);
                forward(redis, message);
            }
            start = claimed.getId();
        } while (running && !"0-0".equals(start));
    }

    private void forward(RedisCommands<String, String> redis, StreamMessage<String, String> message) {
        if (message.getBody() == null || message.getBody().isEmpty()) {
            // A deleted entry still listed as pending: nothing to send, just clear it.
            redis.xack(stream, group, message.getId());
            return;
        }
        List<String> fields = new ArrayList<>(message.getBody().size() * 2);
        message.getBody().forEach((k, v) -> {
            fields.add(k);
            fields.add(v);
        });
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent(message.getId(), address, stream, fields);
        try {
            sink.publish(envelope);
        } catch (RuntimeException e) {
            // Not acknowledged: it stays pending and XAUTOCLAIM hands it over again after claimIdle.
            LOG.warn("Redis stream source: the sink did not take entry {} ({}); it stays pending", message.getId(),
                    e.getMessage());
            return;
        }
        redis.xack(stream, group, message.getId());
        forwarded.incrementAndGet();
    }

    /** Stops the loop (it finishes the current read, at most the block time) and closes the connection. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = loop;
        }
        if (t != null) {
            try {
                t.join(block.plusSeconds(6).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    // The envelope source must be a valid URI without credentials: redis://host:port.
    private static String redisAddress(RedisURI uri) {
        return "redis://" + uri.getHost() + ":" + uri.getPort();
    }

    /** Settings of a {@link DevRedisStreamSource}. */
    public static final class Builder {
        private final String redisUri;
        private final String stream;
        private final EventPublisher sink;
        private String group = DEFAULT_GROUP;
        private String consumer = "dev-broker-" + ManagementFactory.getRuntimeMXBean().getPid();
        private int batch = 16;
        private Duration block = Duration.ofSeconds(1);
        private Duration claimIdle = Duration.ofSeconds(30);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private boolean likeKnativeAdapter;

        private Builder(String redisUri, String stream, EventPublisher sink) {
            this.redisUri = Objects.requireNonNull(redisUri, "redisUri");
            this.stream = Objects.requireNonNull(stream, "stream");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** The consumer group (default {@value #DEFAULT_GROUP}, as the manifest). */
        public Builder group(String group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** This reader's consumer name within the group (default {@code dev-broker-<pid>}). */
        public Builder consumer(String consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /** Entries read per call (default 16). */
        public Builder batch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            this.batch = batch;
            return this;
        }

        /** How long one XREADGROUP waits for new entries (default 1 s). */
        public Builder block(Duration block) {
            this.block = Objects.requireNonNull(block, "block");
            return this;
        }

        /** How long an entry must have been pending before it is re-claimed (default 30 s). */
        public Builder claimIdle(Duration claimIdle) {
            this.claimIdle = Objects.requireNonNull(claimIdle, "claimIdle");
            return this;
        }

        /** The longest pause between retries while Redis is unreachable (default 2 s). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Behave as Knative's adapter: group created at {@code $}, destroyed by {@link DevRedisStreamSource#close()},
         * so entries added while the source is stopped are skipped.
         */
        public Builder likeKnativeAdapter() {
            this.likeKnativeAdapter = true;
            return this;
        }

        /** Builds the source; {@link DevRedisStreamSource#start()} starts reading. */
        public DevRedisStreamSource build() {
            return new DevRedisStreamSource(this);
        }
    }
}
