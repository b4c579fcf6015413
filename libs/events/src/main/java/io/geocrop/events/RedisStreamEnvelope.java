package io.geocrop.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.types.Time;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a CloudEvent travels through a Redis stream and Knative's RedisStreamSource, and back.
 *
 * <p>On the way in, the event becomes the field/value pairs of one stream entry ({@link #toFields}). The
 * RedisStreamSource adapter then sends each entry as a {@code dev.knative.sources.redisstream} event whose
 * id is the entry id and whose data is the JSON array {@code ["f1","v1","f2","v2",...]}
 * ({@link #asRedisStreamSourceEvent} builds exactly that). A subscriber gets the original event back with
 * {@link #unwrap} or {@link #unwrapIfNeeded}: same id, type, source, subject, time, dataschema and data.
 */
public final class RedisStreamEnvelope {

    /** Field holding the specversion. */
    public static final String SPECVERSION = "ce_specversion";
    /** Field holding the event id. */
    public static final String ID = "ce_id";
    /** Field holding the event type. */
    public static final String TYPE = "ce_type";
    /** Field holding the event source. */
    public static final String SOURCE = "ce_source";
    /** Field holding the event time (RFC 3339). */
    public static final String TIME = "ce_time";
    /** Field holding the event subject, if any. */
    public static final String SUBJECT = "ce_subject";
    /** Field holding the dataschema, if any. */
    public static final String DATASCHEMA = "ce_dataschema";
    /** Field holding the datacontenttype, if the event has data. */
    public static final String CONTENT_TYPE = "content_type";
    /** Field holding the data as UTF-8 text (JSON and other text content types). */
    public static final String DATA = "data";
    /** Field holding the data as base64, for content types that are not text. */
    public static final String DATA_BASE64 = "data_base64";

    private static final String EXTENSION_PREFIX = "ce_";
    private static final Set<String> CONTEXT_FIELDS = Set.of(SPECVERSION, ID, TYPE, SOURCE, TIME, SUBJECT, DATASCHEMA);

    private RedisStreamEnvelope() {}

    /**
     * The stream entry's fields and values, in order: {@code ce_specversion, ce_id, ce_type, ce_source,
     * ce_time}, then {@code ce_subject} and {@code ce_dataschema} if set, then one {@code ce_<name>} per
     * extension (so trace context survives the stream), then {@code content_type} and {@code data} (UTF-8
     * JSON) if the event has data.
     */
    public static List<String> toFields(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        List<String> fields = new ArrayList<>();
        add(fields, SPECVERSION, event.getSpecVersion().toString());
        add(fields, ID, event.getId());
        add(fields, TYPE, event.getType());
        add(fields, SOURCE, event.getSource().toString());
        if (event.getTime() != null) {
            add(fields, TIME, Time.writeTime(event.getTime()));
        }
        if (event.getSubject() != null) {
            add(fields, SUBJECT, event.getSubject());
        }
        if (event.getDataSchema() != null) {
            add(fields, DATASCHEMA, event.getDataSchema().toString());
        }
        for (String name : event.getExtensionNames()) {
            add(fields, EXTENSION_PREFIX + name, EventAttributes.get(event, name).orElseThrow());
        }
        if (event.getData() != null) {
            String contentType = event.getDataContentType() == null ? GeoCropEvents.JSON : event.getDataContentType();
            add(fields, CONTENT_TYPE, contentType);
            byte[] data = event.getData().toBytes();
            if (isText(contentType)) {
                add(fields, DATA, new String(data, StandardCharsets.UTF_8));
            } else {
                add(fields, DATA_BASE64, Base64.getEncoder().encodeToString(data));
            }
        }
        return fields;
    }

    /**
     * The event Knative's RedisStreamSource adapter sends for one stream entry: type
     * {@code dev.knative.sources.redisstream}, source {@code <sourceAddress>/<stream>}, id = the entry id,
     * datacontenttype {@code application/json}, data = the fields as a JSON array of strings.
     */
    public static CloudEvent asRedisStreamSourceEvent(String entryId, String sourceAddress, String stream, List<String> fields) {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(fields, "fields");
        return CloudEventBuilder.v1()
                .withId(entryId)
                .withType(ForeignEventTypes.REDIS_STREAM)
                .withSource(URI.create(sourceAddress + "/" + stream))
                .withDataContentType(GeoCropEvents.JSON)
                .withData(GeoCropEvents.toJson(fields))
                .build();
    }

    /** {@link #unwrap} for a redisstream envelope; any other event is returned as it is. */
    public static CloudEvent unwrapIfNeeded(CloudEvent event) {
        return ForeignEventTypes.REDIS_STREAM.equals(event.getType()) ? unwrap(event) : event;
    }

    /**
     * The original event inside a {@code dev.knative.sources.redisstream} envelope.
     *
     * @throws InvalidEventException naming the entry and the field at fault if the envelope is not of that
     *     type, its data is not a JSON array of strings in pairs, or a required field is missing or invalid
     */
    public static CloudEvent unwrap(CloudEvent redisStreamEvent) {
        Objects.requireNonNull(redisStreamEvent, "redisStreamEvent");
        String entry = "Redis stream entry " + redisStreamEvent.getId() + " from " + redisStreamEvent.getSource();
        if (!ForeignEventTypes.REDIS_STREAM.equals(redisStreamEvent.getType())) {
            throw new InvalidEventException(GeoCropEvents.describe(redisStreamEvent) + " is not a "
                    + ForeignEventTypes.REDIS_STREAM + " envelope");
        }
        Map<String, String> fields = fieldsOf(entry, redisStreamEvent);
        String specVersion = required(entry, fields, SPECVERSION);
        if (!CloudEventHttp.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException(entry + ": unsupported " + SPECVERSION + " '" + specVersion
                    + "': only 1.0 is accepted", SPECVERSION, null);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(required(entry, fields, ID))
                .withType(required(entry, fields, TYPE))
                .withSource(uri(entry, SOURCE, required(entry, fields, SOURCE)));
        String time = fields.get(TIME);
        if (time != null) {
            try {
                builder.withTime(Time.parseTime(time));
            } catch (DateTimeException e) {
                throw new InvalidEventException(entry + ": field " + TIME + " '" + time
                        + "' is not an RFC 3339 time", TIME, e);
            }
        }
        if (fields.get(SUBJECT) != null) {
            builder.withSubject(fields.get(SUBJECT));
        }
        if (fields.get(DATASCHEMA) != null) {
            builder.withDataSchema(uri(entry, DATASCHEMA, fields.get(DATASCHEMA)));
        }
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String name = f.getKey();
            if (name.startsWith(EXTENSION_PREFIX) && !CONTEXT_FIELDS.contains(name)) {
                String extension = name.substring(EXTENSION_PREFIX.length());
                try {
                    builder.withExtension(extension, f.getValue());
                } catch (RuntimeException e) {
                    throw new InvalidEventException(entry + ": field " + name + " is not a valid CloudEvents "
                            + "extension name: " + e.getMessage(), name, e);
                }
            }
        }
        String contentType = fields.get(CONTENT_TYPE);
        if (fields.containsKey(DATA) && fields.containsKey(DATA_BASE64)) {
            throw new InvalidEventException(entry + " has both " + DATA + " and " + DATA_BASE64, DATA, null);
        }
        if (fields.containsKey(DATA)) {
            builder.withData(contentType == null ? GeoCropEvents.JSON : contentType,
                    fields.get(DATA).getBytes(StandardCharsets.UTF_8));
        } else if (fields.containsKey(DATA_BASE64)) {
            try {
                builder.withData(contentType, Base64.getDecoder().decode(fields.get(DATA_BASE64)));
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException(entry + ": field " + DATA_BASE64 + " is not base64", DATA_BASE64, e);
            }
        } else if (contentType != null) {
            builder.withDataContentType(contentType);
        }
        try {
            return builder.build();
        } catch (RuntimeException e) {
            throw new InvalidEventException(entry + " does not hold a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> fieldsOf(String entry, CloudEvent envelope) {
        if (envelope.getData() == null) {
            throw new InvalidEventException(entry + " has no data; expected a JSON array of field/value strings");
        }
        JsonNode array;
        try {
            array = GeoCropEvents.json().readTree(envelope.getData().toBytes());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(entry + ": data is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException(entry + ": data could not be read: " + e.getMessage(), e);
        }
        if (array == null || !array.isArray()) {
            throw new InvalidEventException(entry + ": data must be a JSON array of field/value strings, not "
                    + (array == null ? "empty" : array.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (array.size() % 2 != 0) {
            throw new InvalidEventException(entry + ": data has " + array.size()
                    + " elements; field/value pairs need an even number");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i += 2) {
            JsonNode name = array.get(i);
            JsonNode value = array.get(i + 1);
            if (!name.isTextual() || !value.isTextual()) {
                throw new InvalidEventException(entry + ": data element " + (name.isTextual() ? i + 1 : i)
                        + " is not a string");
            }
            if (fields.putIfAbsent(name.textValue(), value.textValue()) != null) {
                throw new InvalidEventException(entry + ": field " + name.textValue() + " appears twice", name.textValue(), null);
            }
        }
        return fields;
    }

    private static String required(String entry, Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(entry + " is missing required field " + name, name, null);
        }
        return value;
    }

    private static URI uri(String entry, String field, String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidEventException(entry + ": field " + field + " '" + value + "' is not a URI", field, e);
        }
    }

    private static void add(List<String> fields, String name, String value) {
        fields.add(name);
        fields.add(value);
    }

    private static boolean isText(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.startsWith("text/") || media.equals("application/json") || media.endsWith("+json")
                || media.equals("application/xml") || media.endsWith("+xml");
    }
}
