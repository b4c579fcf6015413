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
 * </ul>
 */
package io.geocrop.events;
