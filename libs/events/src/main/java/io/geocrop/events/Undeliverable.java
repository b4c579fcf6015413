package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.time.Instant;

/**
 * An event that matched a Trigger whose subscriber service is not registered in this JVM, kept by the
 * in-process router for diagnostics.
 *
 * @param event   the event
 * @param trigger the matching Trigger
 * @param service the subscriber service that had no registered handler
 * @param at      when it was published
 */
public record Undeliverable(CloudEvent event, String trigger, String service, Instant at) {}
