package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends events onward to {@code $K_SINK} (the Broker, injected by a SinkBinding or a source) as binary-mode
 * CloudEvents over HTTP POST. The W3C {@code traceparent}/{@code tracestate} headers are set from the event's
 * distributed-tracing extension so a trace continues through the Broker.
 */
public final class KSinkPublisher implements EventPublisher {

    /** The environment variable Knative sets to the sink URL. */
    public static final String K_SINK = "K_SINK";

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI sink;
    private final HttpClient client;
    private final Duration requestTimeout;

    /** A publisher to {@code sink} with a 5 s connect and 30 s request timeout. */
    public KSinkPublisher(URI sink) {
        this(sink, HttpClient.newBuilder()
                // HTTP/1.1: Knative's ingress and the Broker accept it everywhere, and it avoids h2c upgrades.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .build(), DEFAULT_REQUEST_TIMEOUT);
    }

    /** A publisher to {@code sink} using {@code client}, each request limited to {@code requestTimeout}. */
    public KSinkPublisher(URI sink, HttpClient client, Duration requestTimeout) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (!sink.isAbsolute() || sink.getHost() == null) {
            throw new IllegalArgumentException(K_SINK + " must be an absolute http(s) URL, got '" + sink + "'");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** A publisher to the URL in {@code K_SINK}, if the variable is set and not blank. */
    public static Optional<KSinkPublisher> fromEnvironment(Function<String, String> environment) {
        String value = environment.apply(K_SINK);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KSinkPublisher(URI.create(value.trim())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(K_SINK + " '" + value + "' is not a valid URL: " + e.getMessage(), e);
        }
    }

    /** Where events are sent. */
    public URI sink() {
        return sink;
    }

    /**
     * POSTs {@code event} in binary mode.
     *
     * @throws EventDeliveryException naming the URL, and the status for a non-2xx answer
     */
    @Override
    public void publish(CloudEvent event) {
        EncodedRequest encoded = CloudEventHttp.encodeBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(sink)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.body()));
        // The encoding also sets the W3C traceparent/tracestate headers from the event's extension.
        encoded.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EventDeliveryException(sink.toString(), "cannot POST " + GeoCropEvents.describe(event)
                    + " to " + K_SINK + " " + sink + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException(sink.toString(), "interrupted while POSTing "
                    + GeoCropEvents.describe(event) + " to " + K_SINK + " " + sink, e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String body = response.body() == null ? "" : response.body().strip();
            throw new EventDeliveryException(sink.toString(), K_SINK + " " + sink + " answered HTTP " + status
                    + " to " + GeoCropEvents.describe(event)
                    + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body)));
        }
    }
}
