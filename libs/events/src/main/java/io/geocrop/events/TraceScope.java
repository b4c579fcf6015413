package io.geocrop.events;

import io.cloudevents.CloudEvent;
import io.geocrop.storage.ObjectKeys;
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
     * The scope of handling {@code event}: its trace context (from the event inside a Redis stream envelope if it
     * is one, else the event's own; a new root when it has none or an invalid one), and its event, job and tile ids
     * in the MDC.
     */
    public static TraceScope forEvent(CloudEvent event) {
        CloudEvent inner = event;
        try {
            inner = RedisStreamEnvelope.unwrapIfNeeded(event);
        } catch (InvalidEventException e) {
            // A broken envelope is reported by the handler; the scope only loses the inner attributes.
        }
        TraceContext context = TraceContext.of(inner).or(() -> TraceContext.of(event)).orElseGet(TraceContext::root);
        Map<String, String> mdc = new LinkedHashMap<>();
        // Unknown keys are cleared (null), so an enclosing scope's job does not show on this event's lines.
        mdc.put(EVENT_ID, inner.getId());
        mdc.put(JOB_ID, JobReferences.jobIdOf(inner).map(UUID::toString).orElse(null));
        mdc.put(TILE_ID, tileIdOf(inner).orElse(null));
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

    // The tile a tile request or a feature tile's object-created event is about.
    private static Optional<String> tileIdOf(CloudEvent event) {
        try {
            if (EventType.TILE_REQUESTED.type().equals(event.getType())) {
                return Optional.of(GeoCropEvents.data(event, TileRequestedV1.class).tileId());
            }
            if (ForeignEventTypes.isS3(event.getType()) && event.getSubject() != null) {
                return ObjectKeys.parseFeatureTile(event.getSubject()).map(k -> k.tileId());
            }
        } catch (InvalidEventException | IllegalArgumentException e) {
            // Malformed data: the handler says so; the log keys just go without the tile.
        }
        return Optional.empty();
    }
}
