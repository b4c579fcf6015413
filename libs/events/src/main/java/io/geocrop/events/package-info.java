/**
 * GeoCrop's event contract and transports.
 *
 * <p>Where things are:
 * <ul>
 *   <li><b>What events exist</b>: {@link io.geocrop.events.EventType} (type, source, data record, JSON Schema
 *       under {@code schemas/}), the data records {@code Job*V1}, and {@link io.geocrop.events.ForeignEventTypes}
 *       for types fixed by Knative sources and S3. Build and read events with
 *       {@link io.geocrop.events.GeoCropEvents}.</li>
 *   <li><b>HTTP in and out</b>: {@link io.geocrop.events.CloudEventHttp} (binary and structured mode, no web
 *       framework); {@link io.geocrop.events.S3Notifications} for MinIO/S3 webhook bodies.</li>
 *   <li><b>Routing</b>: {@link io.geocrop.events.KnativeTriggers} reads the Trigger filters and delivery
 *       settings from the Knative manifests ({@code knative/} on the classpath, copied from
 *       {@code knative/base}); {@link io.geocrop.events.InProcessEventRouter} is the embedded Broker that
 *       applies them.</li>
 *   <li><b>Publishing</b>: {@link io.geocrop.events.EventPublisher}. Embedded:
 *       {@link io.geocrop.events.EmbeddedEventPublisher} (job submissions through
 *       {@link io.geocrop.events.EmbeddedJobStream}, the rest to the router). Cluster:
 *       {@link io.geocrop.events.ClusterEventPublisher} (job submissions to
 *       {@link io.geocrop.events.RedisStreamPublisher}, the rest to {@link io.geocrop.events.KSinkPublisher}).</li>
 *   <li><b>Job submissions through Redis</b>: {@link io.geocrop.events.RedisStreamEnvelope} lays an event out as
 *       stream fields and unwraps the {@code dev.knative.sources.redisstream} event the RedisStreamSource
 *       sends; subscribers call {@link io.geocrop.events.RedisStreamEnvelope#unwrapIfNeeded}.</li>
 *   <li><b>Trace context and log keys</b>: {@link io.geocrop.events.TraceContext} (W3C {@code traceparent} and
 *       {@code tracestate}, carried as the CloudEvents distributed-tracing extension and as HTTP headers);
 *       {@link io.geocrop.events.TraceScope} is opened at each entry point (event handler, HTTP request) and gives
 *       events created inside it a child span of the same trace and log lines their {@code job_id},
 *       {@code tile_id}, {@code event_id} and {@code trace_id}.</li>
 * </ul>
 */
package io.geocrop.events;
