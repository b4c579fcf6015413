package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An event a subscriber did not accept after every retry, as the in-process router hands it to its
 * dead-letter handler (the cluster Broker sends the same events to its {@code deadLetterSink}).
 *
 * @param event     the event as it was delivered
 * @param trigger   the Trigger it was delivered through
 * @param service   the subscriber service that refused it
 * @param attempts  how many deliveries were tried
 * @param lastError what the last attempt threw
 */
public record DeadLetter(CloudEvent event, String trigger, String service, int attempts, Throwable lastError) {

    /** Knative's extension naming the destination that refused the event. */
    public static final String ERROR_DEST = "knativeerrordest";
    /** Knative's extension holding the destination's HTTP status. */
    public static final String ERROR_CODE = "knativeerrorcode";
    /** Knative's extension holding the destination's response body, base64, at most 1024 bytes before encoding. */
    public static final String ERROR_DATA = "knativeerrordata";

    private static final int ERROR_DATA_MAX_BYTES = 1024;

    /**
     * The event as a Knative Broker would POST it to the dead-letter sink: unchanged, plus
     * {@code knativeerrordest} ({@code http://<service>}), {@code knativeerrorcode} (500: in process a thrown
     * exception stands for a server error) and {@code knativeerrordata} (the last error, base64). A
     * dead-letter handler written for the cluster therefore works unchanged in embedded mode.
     */
    public CloudEvent toKnativeDeadLetterEvent() {
        byte[] error = String.valueOf(lastError).getBytes(StandardCharsets.UTF_8);
        if (error.length > ERROR_DATA_MAX_BYTES) {
            error = Arrays.copyOf(error, ERROR_DATA_MAX_BYTES);
        }
        return CloudEventBuilder.v1(event)
                .withExtension(ERROR_DEST, "http://" + service)
                .withExtension(ERROR_CODE, 500)
                .withExtension(ERROR_DATA, Base64.getEncoder().encodeToString(error))
                .build();
    }
}
