package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a {@code traceparent}
 * ({@code 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}) and the optional vendor {@code tracestate}.
 * GeoCrop carries it on every event as the CloudEvents distributed-tracing extension (attributes
 * {@code traceparent} and {@code tracestate}) and on HTTP as the W3C headers of the same names, so one trace id
 * follows a job from {@code POST /jobs} through every event it causes. GeoCrop records no spans itself; the ids
 * correlate logs ({@code trace_id} in the MDC) and let a tracing Broker continue the trace.
 *
 * <p>Parsing follows the W3C rules: version {@code ff} and non-hex versions are invalid; version {@code 00} must be
 * exactly 55 characters; a higher version may carry more after a {@code -} and is read as version 00; ids are
 * lower-case hex and must not be all zeros. An invalid {@code tracestate} is dropped, never the trace itself.
 * What GeoCrop writes is always version 00 with only the sampled flag kept.
 *
 * @param traceId    32 lower-case hex digits, not all zero
 * @param spanId     16 lower-case hex digits, not all zero: the span that is the parent of the receiver's work
 * @param sampled    the sampled flag
 * @param traceState the vendor {@code tracestate} list as received, or null
 */
public record TraceContext(String traceId, String spanId, boolean sampled, String traceState) {

    /** The extension attribute (and HTTP header) holding the trace parent. */
    public static final String TRACEPARENT = "traceparent";
    /** The extension attribute (and HTTP header) holding the vendor trace state. */
    public static final String TRACESTATE = "tracestate";

    private static final String VERSION_00 = "00";
    private static final int TRACEPARENT_LENGTH = 55;
    private static final int TRACESTATE_MAX_LENGTH = 512;
    private static final int TRACESTATE_MAX_MEMBERS = 32;
    private static final Pattern TRACESTATE_MEMBER = Pattern.compile(
            "(?:[a-z0-9][_0-9a-z\\-*/]{0,255}|[a-z0-9][_0-9a-z\\-*/]{0,240}@[a-z][_0-9a-z\\-*/]{0,13})"
                    + "=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

    /** Checks the ids; a {@code traceState} that is not a valid W3C list is dropped. */
    public TraceContext {
        if (!isHex(traceId, 32) || isZero(traceId)) {
            throw new IllegalArgumentException("trace id must be 32 lower-case hex digits, not all zero: " + traceId);
        }
        if (!isHex(spanId, 16) || isZero(spanId)) {
            throw new IllegalArgumentException("span id must be 16 lower-case hex digits, not all zero: " + spanId);
        }
        traceState = validTraceState(traceState);
    }

    /**
     * The context in a {@code traceparent} value, or empty if it is missing or invalid (then a receiver starts a new
     * trace, as the W3C rules say).
     */
    public static Optional<TraceContext> parse(String traceparent) {
        return parse(traceparent, null);
    }

    /** {@link #parse(String)} with the {@code tracestate} that came with it (dropped if invalid). */
    public static Optional<TraceContext> parse(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Optional.empty();
        }
        String value = traceparent.strip();
        if (value.length() < TRACEPARENT_LENGTH) {
            return Optional.empty();
        }
        String version = value.substring(0, 2);
        if (!isHex(version, 2) || version.equals("ff")) {
            return Optional.empty();
        }
        if (version.equals(VERSION_00) ? value.length() != TRACEPARENT_LENGTH
                : value.length() > TRACEPARENT_LENGTH && value.charAt(TRACEPARENT_LENGTH) != '-') {
            return Optional.empty();
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return Optional.empty();
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!isHex(traceId, 32) || isZero(traceId) || !isHex(spanId, 16) || isZero(spanId) || !isHex(flags, 2)) {
            return Optional.empty();
        }
        boolean sampled = (Integer.parseInt(flags, 16) & 0x01) != 0;
        return Optional.of(new TraceContext(traceId, spanId, sampled, tracestate));
    }

    /** A new trace: random ids, sampled (so a tracing backend downstream keeps it). */
    public static TraceContext root() {
        return new TraceContext(randomHex(16), randomHex(8), true, null);
    }

    /** The same trace with a new span id: what an event or request this one causes carries. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8), sampled, traceState);
    }

    /** The {@code traceparent} value, version 00. */
    public String traceparent() {
        return VERSION_00 + "-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
    }

    /** The {@code tracestate} value, if any. */
    public Optional<String> tracestate() {
        return Optional.ofNullable(traceState);
    }

    /** The context the event carries in its distributed-tracing extension, or empty if none or invalid. */
    public static Optional<TraceContext> of(CloudEvent event) {
        Object parent = event.getExtension(TRACEPARENT);
        if (parent == null) {
            return Optional.empty();
        }
        Object state = event.getExtension(TRACESTATE);
        return parse(parent.toString(), state == null ? null : state.toString());
    }

    /** A copy of {@code event} carrying this context in its distributed-tracing extension. */
    public CloudEvent applyTo(CloudEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1(event).withExtension(TRACEPARENT, traceparent());
        if (traceState != null) {
            builder.withExtension(TRACESTATE, traceState);
        } else {
            builder.withoutExtension(TRACESTATE);
        }
        return builder.build();
    }

    /**
     * The context of the work in progress on this thread ({@link TraceScope}), or empty outside any scope.
     */
    public static Optional<TraceContext> current() {
        return TraceScope.currentContext();
    }

    /**
     * What an event emitted now carries: a child of the {@link #current()} context, or a new root when there is none.
     */
    public static TraceContext next() {
        return current().map(TraceContext::child).orElseGet(TraceContext::root);
    }

    /**
     * {@code event} as published: unchanged if it already carries a valid trace context, else a copy carrying
     * {@link #next()} (an invalid {@code traceparent} is replaced).
     */
    public static CloudEvent ensureOn(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        return of(event).isPresent() ? event : next().applyTo(event);
    }

    @Override
    public String toString() {
        return traceparent();
    }

    private static String validTraceState(String tracestate) {
        if (tracestate == null) {
            return null;
        }
        String value = tracestate.strip();
        if (value.isEmpty() || value.length() > TRACESTATE_MAX_LENGTH) {
            return null;
        }
        int members = 0;
        for (String member : value.split(",", -1)) {
            String m = member.strip();
            if (m.isEmpty()) {
                continue; // empty list members are allowed and ignored
            }
            if (++members > TRACESTATE_MAX_MEMBERS || !TRACESTATE_MEMBER.matcher(m).matches()) {
                return null;
            }
        }
        return members == 0 ? null : value;
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    // Random, never all zero (an all-zero id is invalid).
    private static String randomHex(int bytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder out = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i += 8) {
            long v;
            do {
                v = random.nextLong();
            } while (v == 0);
            String hex = String.format("%016x", v);
            out.append(hex, 0, Math.min(16, (bytes - i) * 2));
        }
        return out.toString();
    }
}
