package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.geocrop.storage.StoredObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * One trace id from an HTTP request through every hop of a job in the embedded runtime: the submission (wrapped as
 * the RedisStreamSource would), the tile request extract-features emits, the object-created notification of the
 * feature tile (S3 events have no context of their own: the publisher stamps the current one), and the job-completed
 * event score-tile emits. Routed by the real Trigger manifests; each handler opens its scope from the event as the
 * functions do.
 */
class TracePropagationTest {

    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String REQUEST = "00-" + TRACE + "-b7ad6b7169203331-01";

    record Seen(String traceparent, String mdcTrace, String mdcJob) {}

    @Test
    void theTraceOfTheRequestFollowsTheJobThroughEveryEvent() throws Exception {
        UUID job = UUID.randomUUID();
        String tileId = "32736-1234-5678";
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        try (InProcessEventRouter router = InProcessEventRouter.fromManifests(KnativeTriggers.fromClasspath()).build()) {
            EventPublisher publisher = new EmbeddedEventPublisher(router);
            router.register("extract-features", event -> {
                try (TraceScope scope = TraceScope.forEvent(event)) {
                    CloudEvent inner = RedisStreamEnvelope.unwrapIfNeeded(event);
                    seen.put(inner.getType(), new Seen(String.valueOf(inner.getExtension("traceparent")),
                            MDC.get(TraceScope.TRACE_ID), MDC.get(TraceScope.JOB_ID)));
                    if (inner.getType().equals(EventType.JOB_SUBMITTED.type())) {
                        publisher.publish(GeoCropEvents.create(EventType.TILE_REQUESTED, "tile-requested-" + job, job.toString(),
                                new TileRequestedV1(job, tileId, 2024, List.of("S2A_X"), Instant.now())));
                    } else {
                        // What the local object store's listener does when the feature tile is written.
                        byte[] notification = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features",
                                "jobs/" + job + "/" + tileId + ".tif", 10, "abc", "image/tiff", Instant.now()),
                                "s3:ObjectCreated:Put");
                        S3Notifications.toCloudEvents(notification).forEach(publisher::publish);
                    }
                }
            });
            router.register("score-tile", event -> {
                try (TraceScope scope = TraceScope.forEvent(event)) {
                    seen.put("s3", new Seen(String.valueOf(event.getExtension("traceparent")),
                            MDC.get(TraceScope.TRACE_ID), MDC.get(TraceScope.JOB_ID)));
                    publisher.publish(GeoCropEvents.create(EventType.JOB_COMPLETED, "job-completed-" + job, job.toString(),
                            new JobCompletedV1(job, "results/" + job + "/crop-map.tif", Map.of(), Instant.now())));
                }
            });
            router.register("tile-render-internal", event -> {
                try (TraceScope scope = TraceScope.forEvent(event)) {
                    seen.put(event.getType(), new Seen(String.valueOf(event.getExtension("traceparent")),
                            MDC.get(TraceScope.TRACE_ID), MDC.get(TraceScope.JOB_ID)));
                }
            });

            // submit-job: POST /jobs with a traceparent header.
            try (TraceScope request = TraceScope.forRequest(REQUEST, null)) {
                publisher.publish(GeoCropEvents.create(EventType.JOB_SUBMITTED, "job-submitted-" + job, "jobs/" + job,
                        new JobSubmittedV1(job, 31.05, -17.83, 1000, 2024, "m@champion", Instant.now())));
            }
            assertTrue(router.awaitIdle(Duration.ofSeconds(20)));
        }

        assertEquals(Set.of(EventType.JOB_SUBMITTED.type(), EventType.TILE_REQUESTED.type(), "s3",
                EventType.JOB_COMPLETED.type()), seen.keySet(), "every hop ran");
        Set<String> spans = new HashSet<>();
        for (Map.Entry<String, Seen> hop : seen.entrySet()) {
            TraceContext ctx = TraceContext.parse(hop.getValue().traceparent()).orElseThrow(() ->
                    new AssertionError(hop.getKey() + " carries no valid traceparent: " + hop.getValue()));
            assertEquals(TRACE, ctx.traceId(), hop.getKey());
            assertEquals(TRACE, hop.getValue().mdcTrace(), hop.getKey() + " logs the trace id");
            assertEquals(job.toString(), hop.getValue().mdcJob(), hop.getKey() + " logs the job id");
            assertNotEquals("b7ad6b7169203331", ctx.spanId(), "each event is a new span");
            spans.add(ctx.spanId());
        }
        assertEquals(4, spans.size(), "a new span id per event: " + seen);
    }
}
