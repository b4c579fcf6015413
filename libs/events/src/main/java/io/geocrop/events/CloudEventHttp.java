package io.geocrop.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The CloudEvents HTTP protocol binding, without a web framework: decodes a request in binary mode
 * ({@code ce-*} headers, data in the body with its Content-Type) or structured mode
 * ({@code application/cloudevents+json}, UTF-8), and encodes an event in either mode. A web layer passes its
 * header lookup and the body bytes in, and maps {@link InvalidEventException} to 400.
 *
 * <p>Only CloudEvents 1.0 is accepted, and batch mode is refused: Knative delivers one event per request.
 */
public final class CloudEventHttp {

    /** Media type of structured-mode JSON. */
    public static final String STRUCTURED_JSON = "application/cloudevents+json";
    /** Media type of batch mode, which is refused with a clear message. */
    public static final String BATCH_JSON = "application/cloudevents-batch+json";
    /** The only CloudEvents version accepted. */
    public static final String SPEC_VERSION = "1.0";

    /** Attributes every CloudEvent must carry, in the order errors report them. */
    private static final List<String> REQUIRED = List.of("id", "source", "specversion", "type");

    // What a header lookup without a list of names can still find: every context attribute and the
    // distributed-tracing extension.
    private static final List<String> KNOWN_HEADERS = List.of(
            "content-type", "ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time",
            "ce-dataschema", "ce-traceparent", "ce-tracestate", "traceparent", "tracestate");

    private static final JsonFormat JSON_FORMAT = new JsonFormat();

    private CloudEventHttp() {}

    /**
     * Decodes a request from a header lookup ({@code header.apply(name)} gives the value or null; the name
     * is passed in lower case and the lookup should ignore case). Since the lookup cannot list headers, only
     * the context attributes and the {@code traceparent}/{@code tracestate} extensions are read in binary
     * mode; use {@link #decode(Map, byte[])} to keep every extension. An event without a valid
     * {@code traceparent} extension takes the request's W3C {@code traceparent}/{@code tracestate} headers.
     *
     * @throws InvalidEventException naming the missing or bad attribute, the unsupported specversion or mode,
     *     or the JSON error
     */
    public static CloudEvent decode(Function<String, String> header, byte[] body) {
        Objects.requireNonNull(header, "header");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : KNOWN_HEADERS) {
            String value = header.apply(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return decodeHeaders(headers, body);
    }

    /**
     * Decodes a request from all its headers (any case; for a header sent several times the first value
     * counts), keeping every {@code ce-*} extension in binary mode.
     *
     * @throws InvalidEventException as {@link #decode(Function, byte[])}
     */
    public static CloudEvent decode(Map<String, ? extends Collection<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Map<String, String> single = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null && !values.isEmpty() && !single.containsKey(name)) {
                single.put(name, values.iterator().next());
            }
        });
        Map<String, String> lower = new LinkedHashMap<>();
        single.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        return decodeHeaders(lower, body);
    }

    /**
     * Encodes {@code event} in binary mode: attributes as {@code ce-*} headers, data as the body, and the event's
     * trace context also as the W3C {@code traceparent}/{@code tracestate} headers (for tracing proxies and Brokers).
     */
    public static EncodedRequest encodeBinary(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        Map<String, String> headers = new LinkedHashMap<>();
        byte[][] body = {new byte[0]};
        HttpMessageFactory.createWriter((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            headers.put(lower, lower.startsWith("ce-") ? percentEncode(value) : value);
        }, bytes -> body[0] = bytes == null ? new byte[0] : bytes).writeBinary(event);
        putTraceHeaders(event, headers);
        return new EncodedRequest(headers, body[0]);
    }

    /**
     * Encodes {@code event} in structured mode: the whole event as one JSON document, UTF-8; its trace context also
     * as the W3C {@code traceparent}/{@code tracestate} headers.
     */
    public static EncodedRequest encodeStructured(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        byte[] body = JSON_FORMAT.serialize(event);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", STRUCTURED_JSON + "; charset=utf-8");
        putTraceHeaders(event, headers);
        return new EncodedRequest(headers, body);
    }

    private static void putTraceHeaders(CloudEvent event, Map<String, String> headers) {
        TraceContext.of(event).ifPresent(trace -> {
            headers.put(TraceContext.TRACEPARENT, trace.traceparent());
            trace.tracestate().ifPresent(state -> headers.put(TraceContext.TRACESTATE, state));
        });
    }

    /**
     * The event with the request's W3C trace context when it carries no valid distributed-tracing extension of its
     * own: a sender that traces over HTTP (a Broker, a proxy, a plain client) but does not set the extension still
     * hands its trace on. A valid extension wins: it is the context the event was created in.
     */
    private static CloudEvent withRequestTrace(CloudEvent event, Map<String, String> headers) {
        if (TraceContext.of(event).isPresent()) {
            return event;
        }
        return TraceContext.parse(headers.get(TraceContext.TRACEPARENT), headers.get(TraceContext.TRACESTATE))
                .map(trace -> trace.applyTo(event))
                .orElse(event);
    }

    // headers: lower-case names to values.
    private static CloudEvent decodeHeaders(Map<String, String> headers, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        String contentType = headers.get("content-type");
        String mediaType = contentType == null ? null
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (BATCH_JSON.equals(mediaType)) {
            throw new InvalidEventException("CloudEvents batch mode (" + BATCH_JSON + ") is not supported: "
                    + "send one event per request, in binary or structured mode");
        }
        if (mediaType != null && mediaType.startsWith("application/cloudevents")) {
            if (!STRUCTURED_JSON.equals(mediaType)) {
                throw new InvalidEventException("structured CloudEvents format '" + mediaType
                        + "' is not supported; use " + STRUCTURED_JSON + " or binary mode");
            }
            checkUtf8(contentType);
            return withRequestTrace(decodeStructured(bytes), headers);
        }
        return withRequestTrace(decodeBinary(headers, bytes), headers);
    }

    private static CloudEvent decodeBinary(Map<String, String> headers, byte[] body) {
        String specVersion = headers.get("ce-specversion");
        if (specVersion == null) {
            boolean anyCe = headers.keySet().stream().anyMatch(h -> h.startsWith("ce-"));
            throw new InvalidEventException(anyCe
                    ? "binary-mode CloudEvent is missing required attribute 'specversion' (header ce-specversion)"
                    : "request is not a CloudEvent: no ce-specversion header (binary mode) and Content-Type '"
                            + headers.get("content-type") + "' is not " + STRUCTURED_JSON + " (structured mode)",
                    "specversion", null);
        }
        checkSpecVersion(specVersion.trim());
        for (String attribute : REQUIRED) {
            String value = headers.get("ce-" + attribute);
            if (value == null || value.isBlank()) {
                throw new InvalidEventException("binary-mode CloudEvent" + idSuffix(headers.get("ce-id"))
                        + " is missing required attribute '" + attribute + "' (header ce-" + attribute + ")",
                        attribute, null);
            }
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        headers.forEach((name, value) -> decoded.put(name, name.startsWith("ce-") ? percentDecode(value) : value));
        try {
            return HttpMessageFactory.createReader(decoded, body).toEvent();
        } catch (CloudEventRWException | IllegalArgumentException e) {
            throw new InvalidEventException("binary-mode CloudEvent" + idSuffix(headers.get("ce-id"))
                    + " has an invalid attribute: " + e.getMessage(), e);
        }
    }

    private static CloudEvent decodeStructured(byte[] body) {
        JsonNode tree;
        try {
            tree = GeoCropEvents.json().readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("structured CloudEvent body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException("structured CloudEvent body could not be read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidEventException("structured CloudEvent body is empty");
        }
        if (tree.isArray()) {
            throw new InvalidEventException("structured CloudEvent body is a JSON array: batch mode ("
                    + BATCH_JSON + ") is not supported; send one event per request");
        }
        if (!tree.isObject()) {
            throw new InvalidEventException("structured CloudEvent body must be a JSON object, not "
                    + tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        JsonNode id = tree.get("id");
        String idText = id != null && id.isTextual() ? id.textValue() : null;
        JsonNode specVersion = tree.get("specversion");
        if (specVersion == null || !specVersion.isTextual()) {
            throw new InvalidEventException("structured CloudEvent" + idSuffix(idText)
                    + " is missing required attribute 'specversion' (a string)", "specversion", null);
        }
        checkSpecVersion(specVersion.textValue());
        for (String attribute : REQUIRED) {
            JsonNode value = tree.get(attribute);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw new InvalidEventException("structured CloudEvent" + idSuffix(idText)
                        + " is missing required attribute '" + attribute + "' (a non-empty string)", attribute, null);
            }
        }
        try {
            return JSON_FORMAT.deserialize(body);
        } catch (EventDeserializationException | CloudEventRWException | IllegalArgumentException e) {
            throw new InvalidEventException("structured CloudEvent" + idSuffix(idText)
                    + " is invalid: " + rootMessage(e), e);
        }
    }

    private static void checkSpecVersion(String specVersion) {
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("unsupported CloudEvents specversion '" + specVersion
                    + "': only " + SPEC_VERSION + " is accepted", "specversion", null);
        }
    }

    private static void checkUtf8(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                String name = pair[1].trim().replace("\"", "");
                Charset charset;
                try {
                    charset = Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    charset = null;
                }
                if (!StandardCharsets.UTF_8.equals(charset)) {
                    throw new InvalidEventException("structured CloudEvent charset '" + name
                            + "' is not supported; send UTF-8");
                }
            }
        }
    }

    /**
     * Percent-encodes a {@code ce-*} header value as the CloudEvents HTTP binding (1.0.2, section 3.1.3.2)
     * requires: space, double quote, percent and everything outside printable ASCII, as UTF-8 bytes. The
     * SDK writer does not do it, and HTTP stacks mangle or reject raw non-ASCII header values.
     */
    static String percentEncode(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 0x21 && b <= 0x7e && b != '"' && b != '%';
            if (!plain && out == null) {
                out = new StringBuilder(bytes.length + 16).append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (out != null) {
                if (plain) {
                    out.append((char) b);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /**
     * Reverses {@link #percentEncode}. A {@code %} not followed by two hex digits is kept as it is, so values
     * from senders that do not encode still arrive intact unless they happen to look encoded.
     */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(value.charAt(i + 1), 16) << 4 | Character.digit(value.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String idSuffix(String id) {
        return id == null || id.isBlank() ? "" : " id=" + id;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
