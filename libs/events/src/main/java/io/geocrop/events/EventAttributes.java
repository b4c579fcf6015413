package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.types.Time;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/** Reads a context attribute or extension of a CloudEvent by name, as the string a Trigger filter compares. */
final class EventAttributes {

    private EventAttributes() {}

    /** The attribute's string form, or empty if the event does not carry it. */
    static Optional<String> get(CloudEvent event, String name) {
        Object value = switch (name) {
            case "specversion" -> event.getSpecVersion().toString();
            case "id" -> event.getId();
            case "type" -> event.getType();
            case "source" -> event.getSource();
            case "subject" -> event.getSubject();
            case "datacontenttype" -> event.getDataContentType();
            case "dataschema" -> event.getDataSchema();
            case "time" -> event.getTime();
            default -> event.getExtension(name);
        };
        return Optional.ofNullable(value).map(EventAttributes::asString);
    }

    private static String asString(Object value) {
        if (value instanceof OffsetDateTime time) {
            return Time.writeTime(time);
        }
        if (value instanceof byte[] bytes) {
            // CloudEvents' canonical string form of a Binary attribute.
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
