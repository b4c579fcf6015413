package io.geocrop.events;

/**
 * An event could not be handed over to its destination (a Redis stream, the {@code K_SINK} URL, the
 * in-process broker). The message names the destination and the event; the cause is the transport error.
 */
public class EventDeliveryException extends RuntimeException {

    private final String destination;

    /** Delivery to {@code destination} failed as {@code message} says. */
    public EventDeliveryException(String destination, String message) {
        this(destination, message, null);
    }

    /** Delivery to {@code destination} failed as {@code message} says, because of {@code cause}. */
    public EventDeliveryException(String destination, String message, Throwable cause) {
        super(message, cause);
        this.destination = destination;
    }

    /** Where the event was going: a stream name, a URL, or a variable name such as {@code K_SINK}. */
    public String destination() {
        return destination;
    }
}
