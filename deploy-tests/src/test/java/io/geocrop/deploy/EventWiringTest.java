package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.geocrop.events.DeliverySpec;
import io.geocrop.events.EventType;
import io.geocrop.events.ForeignEventTypes;
import io.geocrop.events.KnativeTriggers;
import io.geocrop.events.RedisStreamEnvelope;
import io.geocrop.events.S3Notifications;
import io.geocrop.events.TriggerRule;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event wiring in knative/ against the code: every event the code emits reaches, the way the cluster
 * carries it, a Trigger whose subscriber Service exists, handles that type and has the POST route the Trigger
 * names; every subscriber, sink and binding names a Service that exists.
 */
class EventWiringTest {
    private static KnativeTriggers triggers;
    private static Map<String, JsonNode> services;
    private static Kustomize.Result base;

    @BeforeAll
    static void load() {
        triggers = KnativeTriggers.fromDirectory(Repo.path("knative/base"));
        base = Deployables.render("knative/base");
        services = new LinkedHashMap<>();
        base.ofKind("Service").forEach(r -> services.put(r.name(), r.doc()));
    }

    @Test
    void everyFunctionHasAKnativeServiceAndEveryServiceRunsAFunction() {
        assertEquals(Set.copyOf(Deployables.FUNCTIONS), Set.copyOf(Deployables.SERVICES.values()));
        Set<String> all = new java.util.LinkedHashSet<>(Deployables.SERVICES.keySet());
        all.add(Deployables.WEB); // the web app's Service: static files and a proxy, no function
        assertEquals(all, services.keySet());
    }

    @Test
    void everyTriggerSourceAndSinkTargetsAnInternalServiceWithItsOidcAudience() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Resource r : base.resources()) {
            for (JsonNode ref : r.doc().findParents("ref")) {
                JsonNode target = ref.path("ref");
                if (!"Service".equals(target.path("kind").asText()) || !target.path("apiVersion").asText().startsWith("serving.knative.dev")) {
                    continue;
                }
                String name = target.path("name").asText();
                String where = r.kind() + " " + r.name() + " -> " + name;
                if (!Deployables.INTERNAL_SERVICES.contains(name)) {
                    problems.add(where + ": events must go to a cluster-local internal Service");
                    continue;
                }
                String audience = KnativeServicesTest.env(services.get(name)).get("GEOCROP_INTERNAL_OIDC_AUDIENCE");
                if (audience == null || !audience.equals(ref.path("audience").asText())) {
                    problems.add(where + ": audience '" + ref.path("audience").asText() + "' is not the Service's "
                            + "GEOCROP_INTERNAL_OIDC_AUDIENCE '" + audience + "' (the sender's OIDC token would be refused)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyObjectCreatedKindReachesScoreTileWhateverMinioRegion() {
        List<String> problems = new ArrayList<>();
        for (String kind : List.of("Put", "Post", "Copy", "CompleteMultipartUpload")) {
            for (String region : List.of("", "us-east-1", "af-south-1")) {
                byte[] body = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features",
                        "uploads/tile.tif", 55_000_000, "0123abcd", "image/tiff", Instant.parse("2026-01-01T00:00:00Z")),
                        "s3:ObjectCreated:" + kind);
                String json = new String(body, StandardCharsets.UTF_8).replace("\"awsRegion\":\"\"", "\"awsRegion\":\"" + region + "\"");
                CloudEvent event = S3Notifications.toCloudEvents(json.getBytes(StandardCharsets.UTF_8)).getFirst();
                List<String> subscribers = triggers.matching(event).stream().map(TriggerRule::subscriberService).toList();
                if (!subscribers.equals(List.of("score-tile"))) {
                    problems.add(kind + " in region '" + region + "' (" + event.getType() + ", " + event.getSource() + ") reaches " + subscribers);
                }
            }
        }
        assertEquals(List.of(), problems);
        // Removals and other buckets reach nobody.
        byte[] removed = S3Notifications.minioNotification(new StoredObjectEvent("geocrop-features", "jobs/x.tif", 1, "e",
                "image/tiff", Instant.parse("2026-01-01T00:00:00Z")), "s3:ObjectRemoved:Delete");
        assertEquals(List.of(), triggers.matching(S3Notifications.toCloudEvents(removed).getFirst()));
        assertEquals(List.of(), triggers.matching(s3Event("geocrop-results", "results/x/crop-map.tif")));
    }

    @Test
    void theSourceScanFindsTheKnownEmitters() {
        // Guards the scan itself: these two are emitted today (submit-job, extract-features' planner).
        Set<String> emitted = Code.emittedEventTypes();
        assertTrue(emitted.containsAll(Set.of("JOB_SUBMITTED", "TILE_REQUESTED")), emitted.toString());
    }

    @Test
    void everyEmittedEventTypeReachesASubscriberThatHandlesIt() {
        List<String> problems = new ArrayList<>();
        for (String name : Code.emittedEventTypes()) {
            EventType type = EventType.valueOf(name);
            problems.addAll(routingProblems(type.type(), asDeliveredToTheBroker(type), name));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void objectCreatedNotificationsOfEveryNotifyingBucketReachASubscriber() {
        Set<String> notifying = minioNotifiedBuckets();
        assertFalse(notifying.isEmpty(), "the MinIO setup configures no bucket notification");
        List<String> problems = new ArrayList<>();
        for (String bucket : notifying) {
            CloudEvent event = s3Event(bucket, "jobs/00000000-0000-0000-0000-000000000001/0_0.tif");
            List<String> p = routingProblems(event.getType(), event, "s3:ObjectCreated:Put in " + bucket);
            problems.addAll(p);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyTriggerOnBucketNotificationsHasTheBucketNotifying() {
        Set<String> notifying = minioNotifiedBuckets();
        for (Bucket bucket : Bucket.values()) {
            CloudEvent event = s3Event(bucket.bucketName(), "any/key.tif");
            if (!triggers.matching(event).isEmpty()) {
                assertTrue(notifying.contains(bucket.bucketName()), "Triggers "
                        + triggers.matching(event).stream().map(TriggerRule::name).toList() + " wait for objects in "
                        + bucket.bucketName() + ", but infra/k8s/320-minio-setup-configmap.yaml does not subscribe it");
            }
        }
    }

    @Test
    void everyTriggerSubscriberIsAServiceWithThatPostRoute() {
        assertFalse(triggers.triggers().isEmpty());
        List<String> problems = new ArrayList<>();
        for (TriggerRule t : triggers.triggers()) {
            problems.addAll(endpointProblems("Trigger " + t.name(), t.subscriberService(), t.subscriberPath()));
            assertEquals("geocrop", t.broker(), t.name());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyTriggerFilterIsCommented() {
        for (Kustomize.Resource r : base.ofKind("Trigger")) {
            String text = Repo.read(Repo.path(r.origin()));
            int filter = Math.max(text.indexOf("\n  filter:"), text.indexOf("\n  filters:"));
            int subscriber = text.indexOf("\n  subscriber:");
            assertTrue(filter > 0 && subscriber > filter, r.origin() + ": filter must precede subscriber");
            assertTrue(text.substring(filter, subscriber).lines().anyMatch(l -> l.strip().startsWith("#")),
                    r.origin() + ": the Trigger's filter has no comment saying what it selects and why");
        }
    }

    @Test
    void deadLettersGoToAnExistingRoute() {
        DeliverySpec delivery = triggers.brokerDelivery("geocrop").orElseThrow();
        assertTrue(delivery.retry() >= 3, "the Broker retries too little: " + delivery);
        assertEquals(DeliverySpec.BackoffPolicy.EXPONENTIAL, delivery.backoffPolicy());
        assertNotNull(delivery.deadLetterService(), "the Broker has no dead-letter sink");
        assertEquals(List.of(), endpointProblems("Broker dead-letter sink", delivery.deadLetterService(), delivery.deadLetterPath()));
    }

    @Test
    void thePingSourceWakesTheReconcilerRouteOfAnExistingService() {
        List<Kustomize.Resource> pings = base.ofKind("PingSource");
        assertEquals(1, pings.size());
        JsonNode sink = pings.getFirst().doc().path("spec").path("sink");
        assertEquals("Service", sink.path("ref").path("kind").asText());
        assertEquals(List.of(), endpointProblems("PingSource", sink.path("ref").path("name").asText(), sink.path("uri").asText()));
    }

    @Test
    void everyFunctionThatPublishesHasASinkBindingToTheBroker() {
        Map<String, JsonNode> bindings = new LinkedHashMap<>();
        for (Kustomize.Resource r : base.ofKind("SinkBinding")) {
            JsonNode subject = r.doc().path("spec").path("subject");
            assertEquals("serving.knative.dev/v1", subject.path("apiVersion").asText(), r.origin());
            assertEquals("Service", subject.path("kind").asText(), r.origin());
            assertTrue(services.containsKey(subject.path("name").asText()), r.origin() + ": no such Service");
            JsonNode sink = r.doc().path("spec").path("sink").path("ref");
            assertEquals("Broker", sink.path("kind").asText(), r.origin());
            assertTrue(triggers.brokers().contains(sink.path("name").asText()), r.origin() + ": no such Broker");
            bindings.put(subject.path("name").asText(), r.doc());
        }
        // Every function that publishes has K_SINK on the Service that publishes: its internal surface (events,
        // webhook, reconciler) where it has two. The public submit-job only XADDs job submissions to Redis.
        for (String fn : Deployables.FUNCTIONS) {
            if (Code.functionSource(fn).contains("EventPublisher")) {
                String publisher = Deployables.INTERNAL_SERVICES.stream().filter(s -> Deployables.functionOf(s).equals(fn))
                        .findFirst().orElseThrow(() -> new AssertionError(fn + " has no internal Service"));
                assertTrue(bindings.containsKey(publisher), publisher + " publishes events but no SinkBinding gives it K_SINK");
            }
        }
        for (String bound : bindings.keySet()) {
            assertTrue(Deployables.INTERNAL_SERVICES.contains(bound), bound + ": K_SINK belongs on internal surfaces only");
        }
    }

    @Test
    void theRedisStreamSourceReadsTheStreamSubmitJobWritesOnTheClusterRedis() {
        JsonNode source = base.ofKind("RedisStreamSource").getFirst().doc().path("spec");
        String stream = source.path("stream").asText();
        String address = source.path("address").asText();
        // The code's default stream (application.yml) and submit-job's setting.
        String yml = Repo.read(Repo.path("libs/platform/src/main/resources/application.yml"));
        Matcher m = Pattern.compile("stream: \\$\\{GEOCROP_JOB_STREAM:`?([^`}]+)`?}").matcher(yml);
        assertTrue(m.find(), "application.yml no longer defines geocrop.events.stream");
        assertEquals(m.group(1), stream);
        String submitStream = KnativeServicesTest.env(services.get("submit-job")).get("GEOCROP_JOB_STREAM");
        assertTrue(submitStream == null || submitStream.equals(stream), submitStream);
        // Every Service reaches Redis as its function's own ACL user: the URI (with the password) is that user's
        // Secret; the source reads the same Redis, a Service that exists in infra/k8s on that port.
        for (String svc : Deployables.SERVICE_NAMES) {
            assertEquals("secret:geocrop-redis-" + Deployables.functionOf(svc) + "/uri",
                    KnativeServicesTest.env(services.get(svc)).get("GEOCROP_REDIS_URI"), svc);
        }
        URI uri = URI.create(address);
        assertEquals("redis", uri.getScheme());
        assertTrue(KnativeServicesTest.platformServiceExists(uri.getHost(), uri.getPort()), address);
        JsonNode sink = source.path("sink").path("ref");
        assertEquals("Broker", sink.path("kind").asText());
        assertTrue(triggers.brokers().contains(sink.path("name").asText()));
    }

    @Test
    void minioNotifiesSubmitJobsWebhookWithTheSharedToken() {
        JsonNode minio = Deployables.render("infra/k8s").ofKind("StatefulSet").stream()
                .filter(r -> r.name().equals("minio")).findFirst().orElseThrow().doc();
        Map<String, JsonNode> env = new LinkedHashMap<>();
        minio.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.path("name").asText(), e));
        URI endpoint = URI.create(env.get("MINIO_NOTIFY_WEBHOOK_ENDPOINT_GEOCROP").path("value").asText());
        String service = endpoint.getHost().split("\\.")[0];
        assertEquals(List.of(), endpointProblems("MinIO webhook", service, endpoint.getPath()));
        JsonNode token = env.get("MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_GEOCROP").path("valueFrom").path("secretKeyRef");
        assertEquals("submit-job-internal", service, "MinIO notifies the cluster-local internal surface");
        JsonNode webhook = KnativeServicesTest.envEntry(services.get(service), "GEOCROP_INTERNAL_TOKEN")
                .path("valueFrom").path("secretKeyRef");
        assertFalse(webhook.isMissingNode(), service + " reads no GEOCROP_INTERNAL_TOKEN");
        assertEquals(webhook, token, "MinIO and submit-job-internal must read the same internal token secret");
        assertTrue(Repo.read(Repo.path("infra/k8s/320-minio-setup-configmap.yaml")).contains("arn:minio:sqs::GEOCROP:webhook"));
    }

    // ---- the checks catch broken wiring ----

    @Test
    void aTriggerToAMissingServiceIsReported() {
        assertEquals(List.of("Trigger x: subscriber Service 'score-tiles' does not exist"),
                endpointProblems("Trigger x", "score-tiles", "/"));
    }

    @Test
    void aTriggerToAMissingRouteIsReported() {
        List<String> problems = endpointProblems("Trigger x", "tile-render", "/render");
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("Trigger x: tile-render has no POST route /render (it has ["), problems.getFirst());
        assertTrue(problems.getFirst().contains("/prerender"), problems.getFirst());
    }

    @Test
    void anEventNoTriggerSelectsIsReported() {
        CloudEvent orphan = CloudEventBuilder.v1().withId("1").withType("io.geocrop.nobody.listens.v1")
                .withSource(URI.create("/test")).build();
        assertEquals(List.of("NOBODY: no Trigger selects io.geocrop.nobody.listens.v1 as the Broker receives it"),
                routingProblems(orphan.getType(), orphan, "NOBODY"));
    }

    // ---- helpers ----

    /** The event as the Broker receives it in a cluster (ClusterEventPublisher's two paths). */
    static CloudEvent asDeliveredToTheBroker(EventType type) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("wiring-test-" + type.name())
                .withType(type.type())
                .withSource(type.source())
                .withSubject("jobs/00000000-0000-0000-0000-000000000001")
                .withDataContentType("application/json")
                .withData("{}".getBytes(StandardCharsets.UTF_8))
                .build();
        if (type == EventType.JOB_SUBMITTED) {
            // XADD to the stream, then Knative's RedisStreamSource wraps the entry for the Broker.
            JsonNode source = Deployables.render("knative/base").ofKind("RedisStreamSource").getFirst().doc().path("spec");
            return RedisStreamEnvelope.asRedisStreamSourceEvent("1700000000000-0", source.path("address").asText(),
                    source.path("stream").asText(), RedisStreamEnvelope.toFields(event));
        }
        return event; // K_SINK = the Broker
    }

    private static List<String> routingProblems(String type, CloudEvent delivered, String what) {
        List<TriggerRule> matched = triggers.matching(delivered);
        if (matched.isEmpty()) {
            return List.of(what + ": no Trigger selects " + delivered.getType() + " as the Broker receives it");
        }
        List<String> problems = new ArrayList<>();
        for (TriggerRule t : matched) {
            problems.addAll(endpointProblems("Trigger " + t.name(), t.subscriberService(), t.subscriberPath()));
            if (services.containsKey(t.subscriberService()) && !handles(t.subscriberService(), type)) {
                problems.add("Trigger " + t.name() + ": " + t.subscriberService() + " does not handle " + type);
            }
        }
        return problems;
    }

    /** The function's code names the type it handles: the EventType constant, or the S3 mapping. */
    private static boolean handles(String function, String type) {
        String source = Code.functionSource(Deployables.functionOf(function));
        return EventType.ofType(type).map(t -> Pattern.compile("\\b" + t.name() + "\\b").matcher(source).find())
                .orElseGet(() -> ForeignEventTypes.isS3(type) && source.contains("S3Notifications"));
    }

    static List<String> endpointProblems(String who, String service, String path) {
        if (!services.containsKey(service)) {
            return List.of(who + ": subscriber Service '" + service + "' does not exist");
        }
        String route = path == null || path.isBlank() ? "/" : Code.join(path, "");
        Set<String> routes = Code.postRoutes(Deployables.functionOf(service));
        if (!routes.contains(route)) {
            return List.of(who + ": " + service + " has no POST route " + route + " (it has " + routes + ")");
        }
        return List.of();
    }

    private static CloudEvent s3Event(String bucket, String key) {
        byte[] body = S3Notifications.minioNotification(
                new StoredObjectEvent(bucket, key, 1024, "0123abcd", "image/tiff", Instant.parse("2026-01-01T00:00:00Z")),
                "s3:ObjectCreated:Put");
        return S3Notifications.toCloudEvents(body).getFirst();
    }

    /** Buckets the MinIO setup script subscribes to the webhook (the loop around {@code mc event add}). */
    static Set<String> minioNotifiedBuckets() {
        String script = Repo.yaml(Repo.path("infra/k8s/320-minio-setup-configmap.yaml")).path("data").path("setup.sh").asText();
        Set<String> buckets = new TreeSet<>();
        Matcher loop = Pattern.compile("for bucket in ([a-z0-9 -]+); do\\s*\\n((?:(?!\\bdone\\b).)*)done", Pattern.DOTALL)
                .matcher(script);
        while (loop.find()) {
            if (loop.group(2).contains("mc event add")) {
                for (String b : loop.group(1).trim().split("\\s+")) {
                    buckets.add(b);
                }
            }
        }
        return buckets;
    }
}
