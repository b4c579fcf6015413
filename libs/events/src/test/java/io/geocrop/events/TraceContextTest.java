package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** W3C Trace Context parsing and formatting, child spans, and the thread's scope (context and MDC). */
class TraceContextTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";
    static final String VALID = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void parsesAndFormatsTheW3cExample() {
        TraceContext ctx = TraceContext.parse(VALID).orElseThrow();
        assertEquals(TRACE, ctx.traceId());
        assertEquals(SPAN, ctx.spanId());
        assertTrue(ctx.sampled());
        assertEquals(VALID, ctx.traceparent());
        assertTrue(ctx.tracestate().isEmpty());
    }

    @Test
    void keepsTheUnsampledFlagAndTrimsWhitespace() {
        TraceContext ctx = TraceContext.parse("  00-" + TRACE + "-" + SPAN + "-00\t").orElseThrow();
        assertFalse(ctx.sampled());
        assertEquals("00-" + TRACE + "-" + SPAN + "-00", ctx.traceparent());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is forbidden
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version not hex
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper-case trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", // upper-case span id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", // flags not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 is exactly 55 chars
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", // dash in the wrong place
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", // wrong separators
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // too short
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", // future version: more only after a dash
        "not a traceparent"})
    void rejectsInvalidValues(String value) {
        assertTrue(TraceContext.parse(value).isEmpty(), value);
    }

    @Test
    void readsAFutureVersionAsVersion00() {
        TraceContext ctx = TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-09-what-the-future-adds").orElseThrow();
        assertTrue(ctx.sampled(), "bit 0 of 09 is the sampled flag; the other bits are not propagated");
        assertEquals(VALID, ctx.traceparent());
        assertEquals(VALID, TraceContext.parse("01-" + TRACE + "-" + SPAN + "-01").orElseThrow().traceparent());
    }

    @Test
    void keepsAValidTracestateAndDropsAnInvalidOne() {
        assertEquals("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
                TraceContext.parse(VALID, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").orElseThrow().traceState());
        assertEquals("tenant@vendor=x, ,b=1", TraceContext.parse(VALID, "tenant@vendor=x, ,b=1").orElseThrow().traceState(),
                "multi-tenant keys and empty members are allowed");
        assertNull(TraceContext.parse(VALID, "Rojo=1").orElseThrow().traceState(), "keys are lower case");
        assertNull(TraceContext.parse(VALID, "rojo").orElseThrow().traceState(), "a member is key=value");
        assertNull(TraceContext.parse(VALID, "a=1,b=x=y").orElseThrow().traceState(), "= is not allowed in values");
        assertNull(TraceContext.parse(VALID, "a=" + "x".repeat(600)).orElseThrow().traceState(), "too long");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        }
        assertNull(TraceContext.parse(VALID, many.toString()).orElseThrow().traceState(), "at most 32 members");
        assertNull(TraceContext.parse(VALID, "  ").orElseThrow().traceState());
    }

    @Test
    void theConstructorRefusesInvalidIds() {
        assertThrows(IllegalArgumentException.class, () -> new TraceContext("0".repeat(32), SPAN, true, null));
        assertThrows(IllegalArgumentException.class, () -> new TraceContext(TRACE, "0".repeat(16), true, null));
        assertThrows(IllegalArgumentException.class, () -> new TraceContext(TRACE.toUpperCase(), SPAN, true, null));
        assertThrows(IllegalArgumentException.class, () -> new TraceContext(TRACE, SPAN + "0", true, null));
    }

    @Test
    void rootsAreValidAndDistinctAndChildrenKeepTheTrace() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            TraceContext root = TraceContext.root();
            assertEquals(root, TraceContext.parse(root.traceparent()).orElseThrow(), "a root formats to a valid value");
            assertTrue(root.sampled());
            traces.add(root.traceId());
        }
        assertEquals(200, traces.size());
        TraceContext parent = TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00", "a=1").orElseThrow();
        TraceContext child = parent.child();
        assertEquals(TRACE, child.traceId());
        assertNotEquals(SPAN, child.spanId());
        assertFalse(child.sampled(), "the sampling decision travels with the trace");
        assertEquals("a=1", child.traceState());
        assertNotEquals(child.spanId(), parent.child().spanId());
    }

    @Test
    void eventsCreatedInAScopeAreChildrenOfItAndOutsideOneStartATrace() {
        CloudEvent outside = TestEvents.sampleEvent(EventType.JOB_FAILED);
        TraceContext own = TraceContext.of(outside).orElseThrow();
        try (TraceScope scope = TraceScope.forRequest(VALID, "vendor=abc")) {
            CloudEvent inside = TestEvents.sampleEvent(EventType.JOB_FAILED);
            TraceContext ctx = TraceContext.of(inside).orElseThrow();
            assertEquals(TRACE, ctx.traceId());
            assertNotEquals(SPAN, ctx.spanId());
            assertEquals("vendor=abc", inside.getExtension(TraceContext.TRACESTATE));
            assertEquals(scope.context(), TraceContext.current().orElseThrow());
        }
        assertNotEquals(TRACE, own.traceId());
        assertTrue(TraceContext.current().isEmpty(), "closing the scope clears the thread");
    }

    @Test
    void ensureOnKeepsAValidContextAndReplacesAMissingOrInvalidOne() {
        CloudEvent bare = CloudEventBuilder.v1().withId("1").withType("t").withSource(java.net.URI.create("/s")).build();
        CloudEvent stamped;
        try (TraceScope ignored = TraceScope.forRequest(VALID, null)) {
            stamped = TraceContext.ensureOn(bare);
        }
        assertEquals(TRACE, TraceContext.of(stamped).orElseThrow().traceId());
        assertSame(stamped, TraceContext.ensureOn(stamped));
        CloudEvent invalid = CloudEventBuilder.v1(bare).withExtension(TraceContext.TRACEPARENT, "00-zz").build();
        CloudEvent fixed = TraceContext.ensureOn(invalid);
        assertTrue(TraceContext.of(fixed).isPresent());
        assertNotEquals("00-zz", fixed.getExtension(TraceContext.TRACEPARENT));
    }

    @Test
    void anEventScopeSetsTheLogKeysAndNestedScopesRestoreThem() {
        UUID job = UUID.randomUUID();
        CloudEvent tile = GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-1", job.toString(),
                TestEvents.sampleData(EventType.TILE_REQUESTED, job));
        String trace = TraceContext.of(tile).orElseThrow().traceId();
        MDC.put(TraceScope.JOB_ID, "outer");
        try (TraceScope outer = TraceScope.forEvent(tile)) {
            assertEquals(trace, outer.context().traceId());
            assertEquals(job.toString(), MDC.get(TraceScope.JOB_ID));
            assertEquals("32736-1234-5678", MDC.get(TraceScope.TILE_ID));
            assertEquals("tile-1", MDC.get(TraceScope.EVENT_ID));
            assertEquals(trace, MDC.get(TraceScope.TRACE_ID));
            CloudEvent foreign = CloudEventBuilder.v1().withId("x").withType("t").withSource(java.net.URI.create("/s")).build();
            try (TraceScope inner = TraceScope.forEvent(foreign)) {
                assertNotEquals(trace, inner.context().traceId(), "an event without context starts a new trace");
                assertNull(MDC.get(TraceScope.JOB_ID), "the outer job does not leak onto an event of no job");
                assertNull(MDC.get(TraceScope.TILE_ID));
            }
            assertEquals(job.toString(), MDC.get(TraceScope.JOB_ID));
            assertEquals(trace, TraceContext.current().orElseThrow().traceId());
            UUID other = UUID.randomUUID();
            try (TraceScope forJob = TraceScope.forJob(other)) {
                assertEquals(trace, forJob.context().traceId(), "a job scope stays in the current trace");
                assertEquals(other.toString(), MDC.get(TraceScope.JOB_ID));
            }
        } finally {
            assertEquals("outer", MDC.get(TraceScope.JOB_ID), "what the thread had before comes back");
            assertNull(MDC.get(TraceScope.TRACE_ID));
            MDC.remove(TraceScope.JOB_ID);
        }
    }

    @Test
    void anEnvelopedSubmissionIsTracedByTheEventInside() {
        CloudEvent submitted;
        try (TraceScope ignored = TraceScope.forRequest(VALID, null)) {
            submitted = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        }
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1-0", "redis://r:6379", "geocrop:jobs",
                RedisStreamEnvelope.toFields(submitted));
        assertNull(envelope.getExtension(TraceContext.TRACEPARENT), "the adapter's envelope has its own attributes");
        try (TraceScope scope = TraceScope.forEvent(envelope)) {
            assertEquals(TRACE, scope.context().traceId());
            assertEquals(submitted.getId(), MDC.get(TraceScope.EVENT_ID));
            assertEquals(GeoCropEvents.data(submitted, JobSubmittedV1.class).jobId().toString(), MDC.get(TraceScope.JOB_ID));
        }
    }

    @Test
    void aScopeIsClosedByItsOwnThread() throws Exception {
        TraceScope scope = TraceScope.forRequest(null, null);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                scope.close();
            } catch (Throwable e) {
                error.set(e);
            }
        });
        other.join();
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        scope.close();
        assertTrue(TraceContext.current().isEmpty());
    }
}
