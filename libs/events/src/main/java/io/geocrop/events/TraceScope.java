package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The trace context and log keys of the work a thread is doing: an entry point (an event handler, an HTTP
 * controller) opens a scope, every event created inside it carries a child of its {@link TraceContext} (see
 * {@link GeoCropEvents#create}, {@link TraceContext#ensureOn}), and every log line written inside it has
 * {@code trace_id} and, where known, {@code job_id}, {@code tile_id} and {@code event_id} in its MDC. Closing the
 * scope restores what the thread had before, so scopes nest and pooled threads do not leak a job into the next one.
 *
 * <pre>{@code
 * try (TraceScope scope = TraceScope.forEvent(event)) {
 *     handle(event);
 * }
 * }</pre>
 *
 * A scope belongs to the thread that opened it and must be closed there. Work handed to other threads does not
 * inherit it.
 */
public final class TraceScope implements AutoCloseable {

    /** MDC key of the job id. */
    public static final String JOB_ID = "job_id";
    /** MDC key of the job tile id ({@code <epsg>-<col>-<row>}). */
    public static final String TILE_ID = "tile_id";
    /** MDC key of the id of the event being handled. */
    public static final String EVENT_ID = "event_id";
    /** MDC key of the W3C trace id. */
    public static final String TRACE_ID = "trace_id";

    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    private final TraceContext context;
    private final TraceContext previousContext;
    private final Map<String, String> previousMdc = new LinkedHashMap<>();
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private TraceScope(TraceContext context, Map<String, String> mdc) {
        this.context = context;
        this.previousContext = CURRENT.get();
        CURRENT.set(context);
        put(TRACE_ID, context.traceId());
        mdc.forEach(this::put);
    }

    /**
     * The scope of handling an event its handler has decoded: its trace context (from the event inside a Redis
     * stream envelope, else the delivered one; a new root when neither has a valid one), and its event, job and tile
     * ids in the MDC, as the handler read them (nothing is parsed again here).
     */
    public static TraceScope forEvent(DecodedEvent decoded) {
        return forEvent(decoded.delivered(), decoded.event(), decoded.jobId(), decoded.tileId());
    }

    /**
     * The scope of handling {@code event} for a caller that does not decode it otherwise (the dead-letter sink):
     * decodes it as {@link DecodedEvent#decode} does; an event that does not decode keeps its trace context and id,
     * without job and tile.
     */
    public static TraceScope forEvent(CloudEvent event) {
        try {
            return forEvent(DecodedEvent.decode(event));
        } catch (InvalidEventException | IllegalArgumentException e) {
            // Malformed: the handler reports it; the scope only loses what the data would have said.
            return forEvent(event, event, null, null);
        }
    }

    private static TraceScope forEvent(CloudEvent delivered, CloudEvent inner, UUID jobId, String tileId) {
        TraceContext context = TraceContext.of(inner).or(() -> TraceContext.of(delivered)).orElseGet(TraceContext::root);
        Map<String, String> mdc = new LinkedHashMap<>();
        // Unknown keys are cleared (null), so an enclosing scope's job does not show on this event's lines.
        mdc.put(EVENT_ID, inner.getId());
        mdc.put(JOB_ID, jobId == null ? null : jobId.toString());
        mdc.put(TILE_ID, tileId);
        return new TraceScope(context, mdc);
    }

    /**
     * The scope of an HTTP request with these W3C headers (either may be null): the trace continues when
     * {@code traceparent} is valid, else a new one starts.
     */
    public static TraceScope forRequest(String traceparent, String tracestate) {
        return new TraceScope(TraceContext.parse(traceparent, tracestate).orElseGet(TraceContext::root), Map.of());
    }

    /**
     * A scope for work on one job inside the current trace (a new root outside any scope): adds {@code job_id} to
     * the MDC, e.g. once an HTTP request has created the job.
     */
    public static TraceScope forJob(UUID jobId) {
        return new TraceScope(TraceContext.current().orElseGet(TraceContext::root), Map.of(JOB_ID, jobId.toString()));
    }

    /** The trace context of this scope (what events created in it are children of). */
    public TraceContext context() {
        return context;
    }

    static Optional<TraceContext> currentContext() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Restores the thread's previous trace context and MDC values. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a TraceScope must be closed by the thread that opened it");
        }
        closed = true;
        if (previousContext == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previousContext);
        }
        previousMdc.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }

    private void put(String key, String value) {
        if (!previousMdc.containsKey(key)) {
            previousMdc.put(key, MDC.get(key));
        }
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
