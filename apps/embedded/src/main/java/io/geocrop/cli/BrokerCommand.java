package io.geocrop.cli;

import io.geocrop.events.dev.DevBroker;
import io.geocrop.events.dev.DevPingSource;
import io.geocrop.events.dev.DevRedisStreamSource;
import io.geocrop.events.KnativeTriggers;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code geocrop broker}: the development broker, for running the functions as separate processes on one machine.
 * A stand-in for Knative Eventing, not a replacement: events live in this process's memory until delivered.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs the development broker: a stand-in for Knative Eventing (Broker, Triggers,",
                "RedisStreamSource, PingSource) for functions started as separate processes (java -jar).",
                "",
                "It routes CloudEvents POSTed to its ingress (give the functions K_SINK=http://<host>:<port>/) by",
                "the Trigger filters of knative/, delivers them over HTTP with the Broker's retry/backoff and",
                "dead-letter sink, reads the Redis job stream as the RedisStreamSource does, and pings",
                "submit-job's /internal/reconcile. It keeps nothing on disk and is not meant for production:",
                "on a cluster, Knative Eventing does all of this.",
                "",
                "Example:",
                "  geocrop broker --port 8090 --subscribers submit-job=http://127.0.0.1:8080,\\",
                "      extract-features=http://127.0.0.1:8081,score-tile=http://127.0.0.1:8082,\\",
                "      tile-render=http://127.0.0.1:8083 --ping-url http://127.0.0.1:8080/internal/reconcile"})
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:GEOCROP_BROKER_HOST:-127.0.0.1}",
            description = "Address the ingress listens on (default: ${DEFAULT-VALUE}; env GEOCROP_BROKER_HOST).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "${env:GEOCROP_BROKER_PORT:-8090}",
            description = "Ingress port, what K_SINK points to (default: ${DEFAULT-VALUE}; env GEOCROP_BROKER_PORT).")
    int port;

    @Option(names = "--subscribers", defaultValue = "${env:GEOCROP_BROKER_SUBSCRIBERS:-}",
            description = "Knative Service name to base URL: name=url,name=url (env GEOCROP_BROKER_SUBSCRIBERS).")
    String subscribers;

    @Option(names = "--dead-letter", defaultValue = "${env:GEOCROP_BROKER_DEAD_LETTER:-}",
            description = "Dead-letter sink URL (default: the Broker manifest's, submit-job /internal/dead-letter "
                    + "through the subscriber table; env GEOCROP_BROKER_DEAD_LETTER).")
    String deadLetter;

    @Option(names = "--redis-uri", defaultValue = "${env:GEOCROP_REDIS_URI:-redis://127.0.0.1:6379}",
            description = "Redis holding the job stream (default: ${DEFAULT-VALUE}; env GEOCROP_REDIS_URI).")
    String redisUri;

    @Option(names = "--stream", defaultValue = "${env:GEOCROP_JOB_STREAM:-geocrop:jobs}",
            description = "The job stream (default: ${DEFAULT-VALUE}; env GEOCROP_JOB_STREAM).")
    String stream;

    @Option(names = "--group", defaultValue = DevRedisStreamSource.DEFAULT_GROUP,
            description = "Consumer group on the job stream (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--no-redis", description = "Do not read the job stream.")
    boolean noRedis;

    @Option(names = "--claim-idle", defaultValue = "PT30S",
            description = "Re-claim stream entries pending longer than this, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration claimIdle;

    @Option(names = "--retry", description = "Override the manifests' spec.delivery.retry.")
    Integer retry;

    @Option(names = "--backoff-delay", description = "Override the manifests' spec.delivery.backoffDelay, ISO-8601.")
    Duration backoffDelay;

    @Option(names = "--ping-url", defaultValue = "${env:GEOCROP_BROKER_PING_URL:-}",
            description = "POST a Knative ping event here on schedule, e.g. http://127.0.0.1:8080/internal/reconcile "
                    + "(env GEOCROP_BROKER_PING_URL).")
    String pingUrl;

    @Option(names = "--ping-interval", defaultValue = "${env:GEOCROP_BROKER_PING_INTERVAL:-PT1M}",
            description = "How often to ping, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration pingInterval;

    @Override
    public Integer call() throws Exception {
        Map<String, URI> table;
        try {
            table = DevBroker.parseSubscribers(subscribers);
        } catch (IllegalArgumentException e) {
            throw new CliException("--subscribers: " + e.getMessage(), 2);
        }
        if (table.isEmpty()) {
            throw new CliException("--subscribers (or GEOCROP_BROKER_SUBSCRIBERS) must name at least one service, "
                    + "e.g. extract-features=http://127.0.0.1:8081", 2);
        }
        DevBroker.Builder builder = DevBroker.fromManifests(KnativeTriggers.fromClasspath()).subscribers(table);
        if (retry != null || backoffDelay != null) {
            builder.retry(retry == null ? 5 : retry, backoffDelay == null ? Duration.ofSeconds(1) : backoffDelay);
        }
        if (deadLetter != null && !deadLetter.isBlank()) {
            builder.deadLetterSink(URI.create(deadLetter.trim()));
        }
        DevBroker broker = builder.build().start(host, port);
        DevRedisStreamSource source = noRedis ? null : DevRedisStreamSource.builder(redisUri, stream, broker)
                .group(group).claimIdle(claimIdle).build().start();
        DevPingSource ping = pingUrl == null || pingUrl.isBlank() ? null
                : new DevPingSource(URI.create(pingUrl.trim()), pingInterval).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ping != null) {
                ping.close();
            }
            if (source != null) {
                source.close();
            }
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.printf("GeoCrop development broker (a stand-in for Knative Eventing) at %s; K_SINK=%s. "
                + "Press Ctrl+C to stop.%n", broker.ingress(), broker.ingress());
        stopped.await();
        return 0;
    }
}
