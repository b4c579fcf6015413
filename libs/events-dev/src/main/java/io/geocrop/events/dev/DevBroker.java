package io.geocrop.events.dev;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.DeadLetter;
import io.geocrop.events.DeliverySpec;
import io.geocrop.events.EncodedRequest;
import io.geocrop.events.EventDeliveryException;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.events.TriggerDelivery;
import io.geocrop.events.TriggerRule;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development stand-in for a Knative Eventing Broker, for running the functions as separate processes on one
 * machine without Kubernetes. <b>It is not Knative</b>: it has no persistence (an event accepted at the ingress
 * lives in this process's memory until delivered), no multi-tenancy, no auth, and one process only. What it does
 * keep from Knative is the part the functions depend on:
 *
 * <ul>
 *   <li>an HTTP ingress ({@code POST /}, the URL functions get as {@code K_SINK}) that accepts CloudEvents in
 *       binary or structured mode and answers 202 once the event is taken over;</li>
 *   <li>routing by the very Trigger filters of {@code knative/} ({@link KnativeTriggers}), each Trigger's
 *       {@code subscriber.ref} Service name resolved through a table of base URLs, plus the subscriber
 *       {@code uri} path;</li>
 *   <li>delivery as a binary-mode POST, retried as the Trigger's or Broker's {@code spec.delivery} says (retry
 *       count, linear or exponential backoff from the ISO-8601 {@code backoffDelay}) on network errors and on
 *       HTTP 404, 408, 409, 429 and 5xx, as Knative's dispatcher does; other answers are final;</li>
 *   <li>after the last failed attempt (or a final 4xx), the event goes to the dead-letter sink with Knative's
 *       {@code knativeerrordest}, {@code knativeerrorcode} and {@code knativeerrordata} extensions;</li>
 *   <li>a subscriber's reply, if it is a CloudEvent, is published back into the broker.</li>
 * </ul>
 *
 * <p>Delivery is at least once: a subscriber that handled an event but died before answering gets it again.
 * Subscribers de-duplicate (event ids, deterministic object keys, the job store's idempotent counters).
 */
public final class DevBroker implements EventPublisher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevBroker.class);
    private static final int MAX_INGRESS_BYTES = 1 << 20;
    private static final int ERROR_DATA_MAX_BYTES = 1024;
    /** HTTP statuses Knative's dispatcher retries (besides network errors). */
    private static final Set<Integer> RETRYABLE = Set.of(404, 408, 409, 429);

    private final Map<String, URI> subscribers;
    private final URI deadLetterOverride;
    private final Duration requestTimeout;
    private final int maxConcurrentPerService;
    private final HttpClient client;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Set<String> warnedServices = ConcurrentHashMap.newKeySet();
    private final Stats stats = new Stats();
    private final Map<String, java.time.Instant> firstDelivered = new ConcurrentHashMap<>();
    private final List<Consumer<CloudEvent>> taps;
    private final TriggerDelivery<Attempt> engine;
    private HttpServer server;

    private DevBroker(Builder b) {
        this.subscribers = Map.copyOf(b.subscribers);
        this.deadLetterOverride = b.deadLetterSink;
        this.requestTimeout = b.requestTimeout;
        this.maxConcurrentPerService = b.maxConcurrentPerService;
        this.taps = List.copyOf(b.taps);
        this.engine = b.engine("the development broker", "dev-broker-", new HttpSubscribers());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(engine.executor())
                .build();
    }

    /** A broker over {@code triggers}. */
    public static Builder builder(List<TriggerRule> triggers) {
        return new Builder(triggers);
    }

    /** A broker over the manifests' Triggers, retrying as their (or their Broker's) {@code spec.delivery} says. */
    public static Builder fromManifests(KnativeTriggers manifests) {
        return new Builder(manifests.triggers()).delivery(manifests::deliveryFor);
    }

    /**
     * Parses a subscriber table {@code name=url,name=url} (whitespace around entries ignored), e.g.
     * {@code extract-features=http://127.0.0.1:8081,score-tile=http://127.0.0.1:8082}.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code name=absolute-http-url}
     */
    public static Map<String, URI> parseSubscribers(String table) {
        Map<String, URI> out = new LinkedHashMap<>();
        if (table == null || table.isBlank()) {
            return out;
        }
        for (String entry : table.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException("subscriber entry '" + trimmed + "' must be <service>=<base URL>");
            }
            String name = trimmed.substring(0, eq).trim();
            URI url = httpUrl("subscriber '" + name + "'", trimmed.substring(eq + 1).trim());
            if (out.put(name, url) != null) {
                throw new IllegalArgumentException("subscriber '" + name + "' is listed twice");
            }
        }
        return out;
    }

    /** Starts the ingress on {@code host:port} (port 0: any free port) and returns this broker. */
    public DevBroker start(String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        http.setExecutor(engine.executor());
        http.createContext("/", this::serve);
        http.start();
        this.server = http;
        LOG.info("Development broker (a stand-in for Knative Eventing) listening on {}; triggers {}; subscribers {}",
                ingress(), engine.triggers().stream().map(TriggerRule::name).toList(), subscribers);
        return this;
    }

    /** The ingress URL, what functions get as {@code K_SINK}. */
    public URI ingress() {
        if (server == null) {
            throw new IllegalStateException("the broker is not started");
        }
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** The Trigger rules this broker routes by. */
    public List<TriggerRule> triggers() {
        return engine.triggers();
    }

    /**
     * When service {@code service} first accepted an event from this broker (the end of that delivery): with the
     * service's process start time, its cold start to first event handled.
     */
    public Optional<java.time.Instant> firstDelivered(String service) {
        return Optional.ofNullable(firstDelivered.get(service));
    }

    /** Counters since start. */
    public Stats stats() {
        return stats;
    }

    /**
     * Routes {@code event} to every matching Trigger's subscriber and returns at once; deliveries run in the
     * background. What the ingress does with each accepted request.
     *
     * @throws EventDeliveryException only if the broker is closed
     */
    @Override
    public void publish(CloudEvent event) {
        engine.requireOpen(event);
        stats.accepted.incrementAndGet();
        for (Consumer<CloudEvent> tap : taps) {
            tap.accept(event);
        }
        engine.route(event);
    }

    /**
     * Waits until no delivery is running or waiting to retry.
     *
     * @return true if idle, false if {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return engine.awaitIdle(timeout);
    }

    /** Stops the ingress, lets running deliveries finish for the shutdown grace, then interrupts them. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        // Deliveries interrupted after the grace are lost: this broker keeps nothing on disk.
        engine.close();
        client.close();
    }

    // ---- ingress ----

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(method) && ("/health".equals(path) || "/health/readiness".equals(path)
                    || "/health/liveness".equals(path))) {
                reply(exchange, 200, "application/json", stats.toJson(engine.closed() ? "DOWN" : "UP"));
                return;
            }
            if (!"POST".equals(method)) {
                exchange.getResponseHeaders().add("Allow", "POST");
                reply(exchange, 405, "text/plain", "POST CloudEvents to this broker's ingress\n");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_INGRESS_BYTES + 1);
            }
            if (body.length > MAX_INGRESS_BYTES) {
                reply(exchange, 413, "text/plain", "event larger than " + MAX_INGRESS_BYTES + " bytes\n");
                return;
            }
            CloudEvent event;
            try {
                event = CloudEventHttp.decode(exchange.getRequestHeaders(), body);
            } catch (InvalidEventException e) {
                stats.rejected.incrementAndGet();
                reply(exchange, 400, "text/plain", e.getMessage() + "\n");
                return;
            }
            try {
                publish(event);
            } catch (EventDeliveryException e) {
                reply(exchange, 503, "text/plain", e.getMessage() + "\n");
                return;
            }
            exchange.sendResponseHeaders(202, -1);
        } catch (RuntimeException e) {
            LOG.error("Development broker ingress failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ---- delivery ----

    /** Subscribers are Knative Services reached over HTTP through the subscriber table. */
    private final class HttpSubscribers implements TriggerDelivery.Subscribers<Attempt> {
        @Override
        public Optional<TriggerDelivery.Destination<Attempt>> resolve(TriggerRule trigger, CloudEvent event) {
            URI base = subscribers.get(trigger.subscriberService());
            if (base == null) {
                stats.unroutable.incrementAndGet();
                if (warnedServices.add(trigger.subscriberService())) {
                    LOG.warn("Trigger {} matches {} but service '{}' has no URL in the subscriber table; such events "
                            + "are dropped (as a Trigger whose subscriber is not ready)", trigger.name(),
                            GeoCropEvents.describe(event), trigger.subscriberService());
                }
                return Optional.empty();
            }
            URI target = DevBroker.resolve(base, trigger.subscriberPath());
            return Optional.of(new TriggerDelivery.Destination<>() {
                @Override
                public Attempt attempt(CloudEvent e) {
                    return post(target, e);
                }

                @Override
                public String describe() {
                    return target.toString();
                }
            });
        }

        @Override
        public TriggerDelivery.Gate gate(TriggerRule trigger) {
            return TriggerDelivery.Gate.of(
                    permits.computeIfAbsent(trigger.subscriberService(), s -> new Semaphore(maxConcurrentPerService)));
        }

        @Override
        public Attempt interrupted(String why) {
            return Attempt.failed(-1, why);
        }

        @Override
        public void delivered(CloudEvent event, TriggerRule trigger, TriggerDelivery.Destination<Attempt> to,
                              int attempts, Attempt last) {
            stats.delivered.incrementAndGet();
            firstDelivered.putIfAbsent(trigger.subscriberService(), java.time.Instant.now());
            last.reply().ifPresent(DevBroker.this::publishReply);
        }

        @Override
        public void attemptFailed(CloudEvent event, TriggerRule trigger, TriggerDelivery.Destination<Attempt> to,
                                  int attempt, int maxAttempts, Attempt result) {
            if (result.retryable() && attempt < maxAttempts) {
                stats.retries.incrementAndGet();
            }
            LOG.info("Attempt {}/{} to deliver {} to {} via trigger {} failed: {}", attempt, maxAttempts,
                    GeoCropEvents.describe(event), to.describe(), trigger.name(), result.describe());
        }

        @Override
        public void exhausted(CloudEvent event, TriggerRule trigger, TriggerDelivery.Destination<Attempt> to,
                              DeliverySpec spec, int attempts, Attempt last) {
            deadLetter(event, trigger, URI.create(to.describe()), spec, attempts, last);
        }
    }

    private record Attempt(boolean ok, boolean retryable, int status, byte[] body, Optional<CloudEvent> reply)
            implements TriggerDelivery.Attempt {
        static Attempt failed(int status, String message) {
            return new Attempt(false, status < 0, status, message.getBytes(StandardCharsets.UTF_8), Optional.empty());
        }

        @Override
        public boolean accepted() {
            return ok;
        }

        @Override
        public String describe() {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (text.length() > 300) {
                text = text.substring(0, 300) + "...";
            }
            return (status < 0 ? "" : "HTTP " + status + (text.isEmpty() ? "" : ": ")) + text;
        }
    }

    private Attempt post(URI target, CloudEvent event) {
        EncodedRequest encoded = CloudEventHttp.encodeBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.body()));
        encoded.headers().forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return Attempt.failed(-1, "cannot reach " + target + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, false, -1, ("interrupted while delivering to " + target)
                    .getBytes(StandardCharsets.UTF_8), Optional.empty());
        }
        int status = response.statusCode();
        byte[] body = response.body() == null ? new byte[0] : response.body();
        if (status >= 200 && status <= 299) {
            return new Attempt(true, false, status, body, replyOf(response.headers().map(), body, target));
        }
        return new Attempt(false, status >= 500 || RETRYABLE.contains(status), status, body, Optional.empty());
    }

    // Knative publishes a subscriber's reply into the Broker when the response is itself a CloudEvent.
    private static Optional<CloudEvent> replyOf(Map<String, List<String>> headers, byte[] body, URI target) {
        boolean binary = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("ce-specversion"));
        boolean structured = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("content-type")
                && h.getValue().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).startsWith(CloudEventHttp.STRUCTURED_JSON)));
        if (!binary && !structured) {
            return Optional.empty();
        }
        try {
            return Optional.of(CloudEventHttp.decode(headers, body));
        } catch (InvalidEventException e) {
            LOG.warn("Reply from {} looks like a CloudEvent but is not valid ({}); ignored", target, e.getMessage());
            return Optional.empty();
        }
    }

    private void publishReply(CloudEvent reply) {
        try {
            publish(reply);
        } catch (EventDeliveryException e) {
            LOG.warn("Reply {} not routed: {}", GeoCropEvents.describe(reply), e.getMessage());
        }
    }

    private void deadLetter(CloudEvent event, TriggerRule trigger, URI target, DeliverySpec spec, int attempts, Attempt last) {
        stats.deadLettered.incrementAndGet();
        Optional<URI> sink = deadLetterSink(spec);
        String why = last == null ? "no attempt was made" : last.describe();
        if (sink.isEmpty()) {
            LOG.error("Dead letter: {} was not accepted by {} (trigger {}) after {} attempts ({}); no dead-letter sink "
                    + "is configured, so it is dropped", GeoCropEvents.describe(event), target, trigger.name(), attempts, why);
            return;
        }
        byte[] data = last == null ? new byte[0] : last.body();
        if (data.length > ERROR_DATA_MAX_BYTES) {
            data = Arrays.copyOf(data, ERROR_DATA_MAX_BYTES);
        }
        CloudEventBuilder letter = CloudEventBuilder.v1(event)
                .withExtension(DeadLetter.ERROR_DEST, target.toString())
                .withExtension(DeadLetter.ERROR_DATA, Base64.getEncoder().encodeToString(data));
        if (last != null && last.status() > 0) {
            letter.withExtension(DeadLetter.ERROR_CODE, last.status());
        }
        CloudEvent deadLetter = letter.build();
        LOG.warn("Dead letter: {} was not accepted by {} (trigger {}) after {} attempts ({}); sending it to {}",
                GeoCropEvents.describe(event), target, trigger.name(), attempts, why, sink.get());
        // The sink gets the same retry policy; if it refuses too, the event is lost (logged), as in Knative.
        int sinkAttempts = spec.retry() + 1;
        for (int i = 1; i <= sinkAttempts; i++) {
            Attempt result = post(sink.get(), deadLetter);
            if (result.ok()) {
                return;
            }
            if (i == sinkAttempts || !result.retryable()) {
                LOG.error("Dead-letter sink {} refused {} ({}); the event is lost", sink.get(),
                        GeoCropEvents.describe(event), result.describe());
                return;
            }
            try {
                Thread.sleep(spec.delayBeforeRetry(i));
            } catch (InterruptedException e) {
                LOG.error("Broker shut down before {} reached the dead-letter sink; the event is lost",
                        GeoCropEvents.describe(event));
                return;
            }
        }
    }

    private Optional<URI> deadLetterSink(DeliverySpec spec) {
        if (deadLetterOverride != null) {
            return Optional.of(deadLetterOverride);
        }
        if (spec.deadLetterService() == null) {
            return Optional.empty();
        }
        URI base = subscribers.get(spec.deadLetterService());
        if (base == null) {
            if (warnedServices.add("dead-letter:" + spec.deadLetterService())) {
                LOG.warn("The dead-letter sink is service '{}', which has no URL in the subscriber table",
                        spec.deadLetterService());
            }
            return Optional.empty();
        }
        return Optional.of(resolve(base, spec.deadLetterPath() == null ? "/" : spec.deadLetterPath()));
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }

    private static URI httpUrl(String what, String value) {
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + value + "' is not a URL", e);
        }
        if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException(what + ": '" + value + "' must be an absolute http(s) URL");
        }
        return url;
    }

    /** What the broker did since it started. */
    public static final class Stats {
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong retries = new AtomicLong();
        private final AtomicLong deadLettered = new AtomicLong();
        private final AtomicLong unroutable = new AtomicLong();

        /** Events taken over (ingress or {@link #publish}). */
        public long accepted() {
            return accepted.get();
        }

        /** Ingress requests that were not valid CloudEvents. */
        public long rejected() {
            return rejected.get();
        }

        /** Successful deliveries (one per event and Trigger). */
        public long delivered() {
            return delivered.get();
        }

        /** Attempts after the first. */
        public long retries() {
            return retries.get();
        }

        /** Events sent to the dead-letter sink (or dropped for lack of one). */
        public long deadLettered() {
            return deadLettered.get();
        }

        /** Matches whose service has no URL in the subscriber table. */
        public long unroutable() {
            return unroutable.get();
        }

        String toJson(String status) {
            return "{\"status\":\"" + status + "\",\"accepted\":" + accepted() + ",\"rejected\":" + rejected()
                    + ",\"delivered\":" + delivered() + ",\"retries\":" + retries() + ",\"dead_lettered\":"
                    + deadLettered() + ",\"unroutable\":" + unroutable() + "}";
        }

        @Override
        public String toString() {
            return toJson("UP");
        }
    }

    /** Settings of a {@link DevBroker}. */
    public static final class Builder extends TriggerDelivery.Settings<Builder> {
        private final Map<String, URI> subscribers = new LinkedHashMap<>();
        private URI deadLetterSink;
        private Duration requestTimeout = Duration.ofMinutes(10);
        private int maxConcurrentPerService = 8;
        private final List<Consumer<CloudEvent>> taps = new ArrayList<>();

        private Builder(List<TriggerRule> triggers) {
            super(triggers);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The base URL of Knative Service {@code service} (what its Triggers' {@code subscriber.ref} names). */
        public Builder subscriber(String service, URI baseUrl) {
            subscribers.put(Objects.requireNonNull(service, "service"), httpUrl("subscriber '" + service + "'",
                    Objects.requireNonNull(baseUrl, "baseUrl").toString()));
            return this;
        }

        /** Several subscribers at once, e.g. from {@link #parseSubscribers}. */
        public Builder subscribers(Map<String, URI> table) {
            table.forEach(this::subscriber);
            return this;
        }

        /**
         * Where dead letters go, overriding the manifests' {@code deadLetterSink} (which is otherwise resolved
         * through the subscriber table: {@code submit-job} + {@code /internal/dead-letter}).
         */
        public Builder deadLetterSink(URI sink) {
            this.deadLetterSink = sink == null ? null : httpUrl("dead-letter sink", sink.toString());
            return this;
        }

        /** How long one delivery may take before it counts as failed (default 10 min: a tile takes a while). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Deliveries in flight to one service at once (default 8), like a Knative Service's concurrency. */
        public Builder maxConcurrentPerService(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentPerService must be >= 1, got " + max);
            }
            this.maxConcurrentPerService = max;
            return this;
        }

        /** Sees every event the broker accepts, before routing (diagnostics and tests). */
        public Builder tap(Consumer<CloudEvent> tap) {
            taps.add(Objects.requireNonNull(tap, "tap"));
            return this;
        }

        /** Builds the broker; call {@link DevBroker#start} to open its ingress. */
        public DevBroker build() {
            return new DevBroker(this);
        }
    }
}
