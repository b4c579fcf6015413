package io.geocrop.events;

import java.util.Map;

/**
 * An HTTP request body and the headers that go with it, as {@link CloudEventHttp} encodes a CloudEvent.
 *
 * @param headers header names (lower case) to values, in the order they were written; includes
 *                {@code content-type} when the event has a data content type (binary) or always (structured)
 * @param body    the request body; empty, never null, for an event without data
 */
public record EncodedRequest(Map<String, String> headers, byte[] body) {

    /** Makes the header map unmodifiable; keeps the body as given. */
    public EncodedRequest {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
    }

    /** The value of header {@code name} (any case), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
