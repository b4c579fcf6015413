package io.geocrop.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.storage.StoredObjectEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns S3 and MinIO bucket notifications into CloudEvents, one per record, following the CloudEvents AWS
 * S3 adapter mapping ({@code cloudevents/spec}, {@code cloudevents/adapters/aws-s3.md}):
 * <ul>
 *   <li>{@code id} = {@code responseElements.x-amz-request-id + "." + responseElements.x-amz-id-2}</li>
 *   <li>{@code source} = {@code eventSource + "." + awsRegion + "." + s3.bucket.name}
 *       (MinIO: {@code minio:s3..geocrop-features}, its region being empty)</li>
 *   <li>{@code type} = {@code com.amazonaws.s3.<eventName>}, MinIO's {@code s3:} prefix stripped so both
 *       give e.g. {@code com.amazonaws.s3.ObjectCreated:Put}</li>
 *   <li>{@code subject} = {@code s3.object.key}, URL-decoded; {@code time} = {@code eventTime};
 *       {@code datacontenttype} = {@code application/json}; no {@code dataschema}; data = the record</li>
 * </ul>
 * It also writes the webhook body MinIO would POST for a stored object ({@link #minioNotification}), so the
 * embedded storage's notifications go through the same mapping as MinIO's.
 */
public final class S3Notifications {

    /** MinIO's name for the event source. */
    public static final String MINIO_EVENT_SOURCE = "minio:s3";
    /** The notification S3 sends when notifications are configured; it carries no records. */
    public static final String TEST_EVENT = "s3:TestEvent";

    private static final DateTimeFormatter AMZ_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String EMBEDDED_PRINCIPAL = "geocrop-embedded";
    // MinIO puts a hash of its node name in x-amz-id-2: constant per deployment, so one value here.
    private static final String EMBEDDED_ID2 = sha256Hex("geocrop-embedded-storage");
    private static final String EMBEDDED_DEPLOYMENT_ID =
            UUID.nameUUIDFromBytes("geocrop-embedded-storage".getBytes(StandardCharsets.UTF_8)).toString();

    private S3Notifications() {}

    /**
     * One CloudEvent per record of a MinIO webhook body ({@code {"EventName","Key","Records":[...]}}) or an
     * AWS notification ({@code {"Records":[...]}}); none for an {@code s3:TestEvent}.
     *
     * @throws InvalidEventException naming the record and field at fault for malformed input
     */
    public static List<CloudEvent> toCloudEvents(byte[] notificationJson) {
        Objects.requireNonNull(notificationJson, "notificationJson");
        JsonNode root;
        try {
            root = GeoCropEvents.json().readTree(notificationJson);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("S3 notification body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException("S3 notification body could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("S3 notification body must be a JSON object");
        }
        JsonNode records = root.get("Records");
        if (records == null || records.isNull()) {
            if (TEST_EVENT.equals(root.path("Event").asText(null)) || TEST_EVENT.equals(root.path("EventName").asText(null))) {
                return List.of();
            }
            throw new InvalidEventException("S3 notification has no Records array and is not an " + TEST_EVENT, "Records", null);
        }
        if (!records.isArray()) {
            throw new InvalidEventException("S3 notification field Records must be an array", "Records", null);
        }
        List<CloudEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            events.add(toCloudEvent(records.get(i), "S3 notification Records[" + i + "]"));
        }
        return events;
    }

    /**
     * The object an S3 notification event is about, read from its data (the record).
     *
     * @throws InvalidEventException if the event is not an S3 notification or its record lacks the object
     */
    public static S3ObjectRef object(CloudEvent event) {
        String which = GeoCropEvents.describe(event);
        if (!ForeignEventTypes.isS3(event.getType())) {
            throw new InvalidEventException(which + " is not an S3 notification (type " + ForeignEventTypes.S3_PREFIX + "*)");
        }
        if (event.getData() == null) {
            throw new InvalidEventException(which + " has no data; expected the S3 record");
        }
        JsonNode record;
        try {
            record = GeoCropEvents.json().readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new InvalidEventException(which + ": data is not valid JSON: " + e.getMessage(), e);
        }
        String bucket = requiredText(record, which, "s3", "bucket", "name");
        String key = decodeKey(which, requiredText(record, which, "s3", "object", "key"));
        JsonNode object = record.path("s3").path("object");
        long size = object.path("size").isNumber() ? object.path("size").asLong() : -1;
        String eTag = object.path("eTag").isTextual() ? object.path("eTag").textValue().replace("\"", "") : null;
        return new S3ObjectRef(bucket, key, size, eTag);
    }

    /**
     * The JSON body MinIO POSTs to a webhook target for {@code event} ({@code eventName} with or without the
     * {@code s3:} prefix, e.g. {@code s3:ObjectCreated:Put}): {@code EventName}, {@code Key}
     * ({@code bucket/key}) and one record with eventVersion 2.0, eventSource {@code minio:s3}, the bucket,
     * the URL-encoded key, size, eTag, content type and a sequencer. Ids are derived from the object, so the
     * same write always gives the same CloudEvent id.
     */
    public static byte[] minioNotification(StoredObjectEvent event, String eventName) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(event.bucket(), "bucket");
        Objects.requireNonNull(event.key(), "key");
        Objects.requireNonNull(event.time(), "time");
        Objects.requireNonNull(eventName, "eventName");
        String name = eventName.startsWith("s3:") ? eventName : "s3:" + eventName;
        Instant time = event.time();
        long epochNanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();

        ObjectNode record = GeoCropEvents.json().createObjectNode();
        record.put("eventVersion", "2.0");
        record.put("eventSource", MINIO_EVENT_SOURCE);
        record.put("awsRegion", "");
        record.put("eventTime", AMZ_TIME.format(time));
        record.put("eventName", name);
        record.putObject("userIdentity").put("principalId", EMBEDDED_PRINCIPAL);
        ObjectNode request = record.putObject("requestParameters");
        request.put("principalId", EMBEDDED_PRINCIPAL);
        request.put("region", "");
        request.put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-id-2", EMBEDDED_ID2);
        response.put("x-amz-request-id", requestId(event, epochNanos));
        response.put("x-minio-deployment-id", EMBEDDED_DEPLOYMENT_ID);
        response.put("x-minio-origin-endpoint", "http://127.0.0.1");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "Config");
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", event.bucket());
        bucket.putObject("ownerIdentity").put("principalId", EMBEDDED_PRINCIPAL);
        bucket.put("arn", "arn:aws:s3:::" + event.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", queryEscape(event.key()));
        object.put("size", event.size());
        if (event.eTag() != null) {
            object.put("eTag", event.eTag());
        }
        if (event.contentType() != null) {
            object.put("contentType", event.contentType());
            object.putObject("userMetadata").put("content-type", event.contentType());
        }
        // MinIO's sequencer is the event time in nanoseconds, in upper-case hex.
        object.put("sequencer", Long.toHexString(epochNanos).toUpperCase(Locale.ROOT));
        ObjectNode source = record.putObject("source");
        source.put("host", "127.0.0.1");
        source.put("port", "");
        source.put("userAgent", "GeoCrop embedded storage");

        ObjectNode root = GeoCropEvents.json().createObjectNode();
        root.put("EventName", name);
        root.put("Key", event.bucket() + "/" + event.key());
        ArrayNode records = root.putArray("Records");
        records.add(record);
        return GeoCropEvents.toJson(root);
    }

    private static CloudEvent toCloudEvent(JsonNode record, String where) {
        if (record == null || !record.isObject()) {
            throw new InvalidEventException(where + " is not a JSON object");
        }
        String eventName = requiredText(record, where, "eventName");
        String type = ForeignEventTypes.S3_PREFIX + (eventName.startsWith("s3:") ? eventName.substring(3) : eventName);
        String eventSource = requiredText(record, where, "eventSource");
        String region = record.path("awsRegion").asText("");
        String bucket = requiredText(record, where, "s3", "bucket", "name");
        String rawKey = requiredText(record, where, "s3", "object", "key");
        String key = decodeKey(where, rawKey);
        String timeText = requiredText(record, where, "eventTime");
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(timeText);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(where + ": eventTime '" + timeText + "' is not an ISO-8601 time", "eventTime", e);
        }
        URI source;
        try {
            source = new URI(eventSource + "." + region + "." + bucket);
        } catch (URISyntaxException e) {
            throw new InvalidEventException(where + ": eventSource, awsRegion and bucket do not form a URI: "
                    + e.getMessage(), "eventSource", e);
        }
        return CloudEventBuilder.v1()
                .withId(eventId(record, eventSource, bucket, rawKey, timeText))
                .withType(type)
                .withSource(source)
                .withSubject(key)
                .withTime(time)
                .withDataContentType(GeoCropEvents.JSON)
                .withData(GeoCropEvents.toJson(record))
                .build();
    }

    // The adapter spec's id; a record without the response elements (hand-made, or a future S3 variant)
    // gets a name-based UUID of what identifies the write, so redeliveries still share one id.
    private static String eventId(JsonNode record, String eventSource, String bucket, String rawKey, String time) {
        JsonNode response = record.path("responseElements");
        String requestId = response.path("x-amz-request-id").asText("");
        String id2 = response.path("x-amz-id-2").asText("");
        if (!requestId.isEmpty() && !id2.isEmpty()) {
            return requestId + "." + id2;
        }
        String sequencer = record.path("s3").path("object").path("sequencer").asText("");
        String identity = String.join("\n", eventSource, bucket, rawKey, sequencer, time,
                record.path("eventName").asText(""));
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String requiredText(JsonNode node, String where, String... path) {
        JsonNode current = node;
        for (String step : path) {
            current = current.path(step);
        }
        if (!current.isTextual() || current.textValue().isEmpty()) {
            throw new InvalidEventException(where + " has no " + String.join(".", path), String.join(".", path), null);
        }
        return current.textValue();
    }

    // S3 and MinIO URL-encode keys as form values: spaces as '+' (AWS, MinIO) or %20 (some fixtures).
    private static String decodeKey(String where, String rawKey) {
        try {
            return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(where + ": s3.object.key '" + rawKey + "' is not URL-encoded correctly",
                    "s3.object.key", e);
        }
    }

    // Go's url.QueryEscape, which MinIO applies to keys: like URLEncoder except that '*' is escaped and
    // '~' is not.
    private static String queryEscape(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    // A MinIO-style request id (16 upper-case hex digits), derived from the write itself so the same
    // write always yields the same CloudEvent id and different writes never share one.
    private static String requestId(StoredObjectEvent event, long epochNanos) {
        String identity = String.join("\n", event.bucket(), event.key(), String.valueOf(event.eTag()),
                String.valueOf(event.size()), String.valueOf(epochNanos));
        return sha256Hex(identity).substring(0, 16).toUpperCase(Locale.ROOT);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
