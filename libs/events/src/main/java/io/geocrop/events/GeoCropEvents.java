package io.geocrop.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds GeoCrop's CloudEvents from the catalogue ({@link EventType}) and reads their data back into the
 * versioned records. Every event it makes has {@code datacontenttype: application/json} and the catalogue's
 * {@code dataschema}; data is written and read with one shared, once-configured Jackson mapper.
 */
public final class GeoCropEvents {

    /** The content type of every GeoCrop event's data. */
    public static final String JSON = "application/json";

    // Configured once: ISO-8601 dates, java.time support, and tolerant of unknown fields (forward
    // compatibility), but strict about missing or null fields the records need.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private GeoCropEvents() {}

    /**
     * The shared JSON mapper for event data. Do not reconfigure it: every reader and writer of event data
     * relies on the same settings.
     */
    public static ObjectMapper json() {
        return MAPPER;
    }

    /**
     * A new event of {@code type} with a random id and the current time.
     *
     * @param subject what the event is about (a job id for job events); may be null
     * @param data    an instance of {@link EventType#dataClass()}
     */
    public static CloudEvent create(EventType type, String subject, Object data) {
        return create(type, UUID.randomUUID().toString(), subject, data);
    }

    /**
     * A new event of {@code type} with the given id, for events that must be idempotent: re-emitting the
     * same logical event (a retried handler, the reconciler) with the same id lets receivers de-duplicate.
     * The event carries the distributed-tracing extension: {@code traceparent} (and {@code tracestate}) of a
     * child of the thread's {@link TraceScope}, or of a new trace outside any scope; it is not part of the
     * event's identity.
     */
    public static CloudEvent create(EventType type, String id, String subject, Object data) {
        Objects.requireNonNull(type, "type");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("event id must not be blank for " + type.type());
        }
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException("event " + type.type() + " carries "
                    + type.dataClass().getSimpleName() + " data, not "
                    + (data == null ? "null" : data.getClass().getName()));
        }
        // Trace context: a child of the work in progress on this thread (TraceScope), or a new trace.
        TraceContext trace = TraceContext.next();
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id)
                .withType(type.type())
                .withSource(type.source())
                .withSubject(subject)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType(JSON)
                .withDataSchema(type.dataSchema())
                .withData(toJson(data))
                .withExtension(TraceContext.TRACEPARENT, trace.traceparent());
        trace.tracestate().ifPresent(state -> builder.withExtension(TraceContext.TRACESTATE, state));
        return builder.build();
    }

    /**
     * Reads the event's JSON data as {@code dataClass}.
     *
     * @throws InvalidEventException naming the event id and type, and the field at fault, if the event has
     *     no data, is of a catalogue type whose data is another record, or its JSON does not fit the record
     */
    public static <T> T data(CloudEvent event, Class<T> dataClass) {
        Objects.requireNonNull(event, "event");
        String which = describe(event);
        Optional<EventType> known = EventType.ofType(event.getType());
        if (known.isPresent() && !known.get().dataClass().equals(dataClass)) {
            throw new InvalidEventException(which + " carries " + known.get().dataClass().getSimpleName()
                    + " data, not " + dataClass.getSimpleName());
        }
        if (event.getData() == null) {
            throw new InvalidEventException(which + " has no data; expected " + dataClass.getSimpleName() + " JSON");
        }
        byte[] bytes = event.getData().toBytes();
        try {
            T value = MAPPER.readValue(bytes, dataClass);
            if (value == null) {
                throw new InvalidEventException(which + " has JSON null as data; expected a "
                        + dataClass.getSimpleName() + " object");
            }
            return value;
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw new InvalidEventException(which + ": data does not fit " + dataClass.getSimpleName()
                    + (field.isEmpty() ? "" : " at field '" + field + "'") + ": " + e.getOriginalMessage(),
                    field.isEmpty() ? null : field, e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(which + ": data is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException(which + ": data could not be read: " + e.getMessage(), e);
        }
    }

    /** Serialises a data record with the shared mapper. */
    public static byte[] toJson(Object data) {
        try {
            return MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + data.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code "CloudEvent id=..., type=..."}, the way error messages name an event. */
    public static String describe(CloudEvent event) {
        return "CloudEvent id=" + event.getId() + ", type=" + event.getType();
    }

    // Jackson's path to the failing property, e.g. "results.cog" or "tiles[3]"; for a missing creator
    // property the path stops at the object, so the property name is appended.
    private static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                && e.getOriginalMessage() != null) {
            String m = e.getOriginalMessage();
            int start = m.indexOf("creator property '");
            if (start >= 0) {
                int from = start + "creator property '".length();
                int end = m.indexOf('\'', from);
                if (end > from) {
                    String name = m.substring(from, end);
                    // Older Jackson versions stop the path at the enclosing object; newer ones include the name.
                    if (path.equals(name) || path.endsWith("." + name)) {
                        return path;
                    }
                    return path.isEmpty() ? name : path + "." + name;
                }
            }
        }
        return path;
    }
}
