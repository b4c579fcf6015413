package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnativeTriggersTest {

    private static final String HEADER = """
            apiVersion: eventing.knative.dev/v1
            kind: Trigger
            metadata:
              name: t
            spec:
              broker: geocrop
              subscriber:
                ref:
                  apiVersion: serving.knative.dev/v1
                  kind: Service
                  name: score-tile
            """;

    @Test
    void realManifestsOnTheClasspathDefineTheJobSubmittedTrigger() {
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        TriggerRule trigger = manifests.trigger("extract-features-on-job-submitted").orElseThrow();
        assertEquals("geocrop", trigger.broker());
        assertEquals(Map.of("type", ForeignEventTypes.REDIS_STREAM), trigger.attributes());
        assertTrue(trigger.filters().isEmpty());
        assertEquals("extract-features", trigger.subscriberService());
        assertEquals("/", trigger.subscriberPath());
        assertEquals(java.util.Set.of("geocrop"), manifests.brokers());
    }

    @Test
    void brokerDeliveryIsReadFromTheManifest() {
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        DeliverySpec delivery = manifests.brokerDelivery("geocrop").orElseThrow();
        assertEquals(5, delivery.retry());
        assertEquals(DeliverySpec.BackoffPolicy.EXPONENTIAL, delivery.backoffPolicy());
        assertEquals(Duration.ofSeconds(1), delivery.backoffDelay());
        assertEquals("submit-job-internal", delivery.deadLetterService());
        assertEquals("/internal/dead-letter", delivery.deadLetterPath());
        assertEquals(delivery, manifests.deliveryFor(manifests.trigger("extract-features-on-job-submitted").orElseThrow()));
    }

    @Test
    void classpathCopyMatchesTheRepositoryManifests() {
        KnativeTriggers fromRepo = KnativeTriggers.fromDirectory(TestEvents.knativeBase());
        KnativeTriggers fromClasspath = KnativeTriggers.fromClasspath();
        assertEquals(fromRepo.triggers(), fromClasspath.triggers());
        assertEquals(fromRepo.brokerDelivery("geocrop"), fromClasspath.brokerDelivery("geocrop"));
    }

    @Test
    void jobSubmittedTriggerMatchesTheAdapterEnvelopeAndNothingElse() {
        TriggerRule trigger = KnativeTriggers.fromClasspath().trigger("extract-features-on-job-submitted").orElseThrow();
        CloudEvent submitted = TestEvents.sampleEvent(EventType.JOB_SUBMITTED);
        CloudEvent envelope = RedisStreamEnvelope.asRedisStreamSourceEvent("1700000000000-0",
                "redis://redis.geocrop.svc.cluster.local:6379", "geocrop:jobs", RedisStreamEnvelope.toFields(submitted));
        assertTrue(trigger.matches(envelope));
        assertFalse(trigger.matches(submitted), "the bare event never reaches the Broker on a cluster");
        assertFalse(trigger.matches(TestEvents.sampleEvent(EventType.JOB_COMPLETED)));
        assertFalse(trigger.matches(TestEvents.sampleEvent(EventType.JOB_FAILED)));
    }

    @Test
    void tileRequestsGoBackToExtractFeaturesAndNothingElseDoes() {
        KnativeTriggers manifests = KnativeTriggers.fromClasspath();
        TriggerRule trigger = manifests.trigger("extract-features-on-tile-requested").orElseThrow();
        assertEquals("extract-features", trigger.subscriberService());
        CloudEvent tile = TestEvents.sampleEvent(EventType.TILE_REQUESTED);
        assertTrue(trigger.matches(tile));
        for (EventType other : EventType.values()) {
            if (other != EventType.TILE_REQUESTED) {
                assertFalse(trigger.matches(TestEvents.sampleEvent(other)), other.type());
            }
        }
        // The job-submitted Trigger does not take tile requests: each tile is handled exactly once.
        assertFalse(manifests.trigger("extract-features-on-job-submitted").orElseThrow().matches(tile));
    }

    @Test
    void attributeFilterSemantics() {
        KnativeTriggers manifests = KnativeTriggers.parse(Map.of("inline.yaml", HEADER + """
              filter:
                attributes:
                  type: io.geocrop.job.failed.v1
                  partitionkey: ""
            """));
        TriggerRule rule = manifests.triggers().getFirst();
        CloudEvent failed = TestEvents.sampleEvent(EventType.JOB_FAILED);
        assertFalse(rule.matches(failed), "an empty value still requires the extension to be present");
        assertTrue(rule.matches(CloudEventBuilder.v1(failed).withExtension("partitionkey", "any").build()));
        assertFalse(rule.matches(CloudEventBuilder.v1(TestEvents.sampleEvent(EventType.JOB_COMPLETED))
                .withExtension("partitionkey", "any").build()));
        TriggerRule everything = KnativeTriggers.parse(Map.of("all.yaml", HEADER)).triggers().getFirst();
        assertTrue(everything.matches(failed), "no filter matches every event");
    }

    @Test
    void contextAttributesAreComparedAsStrings() {
        CloudEvent event = TestEvents.sampleEvent(EventType.JOB_COMPLETED);
        TriggerRule rule = new TriggerRule("r", "geocrop", Map.of("source", "/geocrop/score-tile",
                "dataschema", EventType.JOB_COMPLETED.dataSchema().toString(), "specversion", "1.0",
                "datacontenttype", "application/json", "subject", event.getSubject()), List.of(), "svc", null);
        assertTrue(rule.matches(event));
        assertEquals("/", rule.subscriberPath());
    }

    @Test
    void newFiltersDialectsMatchAsKnativeDefines() {
        KnativeTriggers manifests = KnativeTriggers.parse(Map.of("filters.yaml", HEADER + """
              filter:
                attributes:
                  type: ignored-when-filters-are-present
              filters:
                - prefix:
                    type: com.amazonaws.s3.ObjectCreated
                - suffix:
                    source: .geocrop-features
                - any:
                    - exact:
                        subject: features/a.tif
                    - prefix:
                        subject: features/job-
                - not:
                    suffix:
                      subject: .tmp
                - all:
                    - exact:
                        datacontenttype: application/json
            """));
        TriggerRule rule = manifests.triggers().getFirst();
        assertEquals(5, rule.filters().size());
        assertTrue(rule.filters().get(0) instanceof Filter.Prefix);
        assertTrue(rule.filters().get(2) instanceof Filter.Any any && any.filters().size() == 2);
        assertTrue(rule.filters().get(3) instanceof Filter.Not);
        assertTrue(rule.matches(s3("ObjectCreated:Put", "minio:s3..geocrop-features", "features/job-1/r0-c0.tif")));
        assertTrue(rule.matches(s3("ObjectCreated:CompleteMultipartUpload", "minio:s3..geocrop-features", "features/a.tif")));
        assertFalse(rule.matches(s3("ObjectRemoved:Delete", "minio:s3..geocrop-features", "features/a.tif")), "prefix");
        assertFalse(rule.matches(s3("ObjectCreated:Put", "minio:s3..geocrop-results", "features/a.tif")), "suffix");
        assertFalse(rule.matches(s3("ObjectCreated:Put", "minio:s3..geocrop-features", "other/b.tif")), "any");
        assertFalse(rule.matches(s3("ObjectCreated:Put", "minio:s3..geocrop-features", "features/job-1/x.tmp")), "not");
    }

    @Test
    void cesqlIsRefusedAtLoadTimeNamingTheTrigger() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnativeTriggers.parse(Map.of(
                "300-trigger-x.yaml", HEADER.replace("name: t", "name: score-on-upload") + """
              filters:
                - cesql: "type LIKE 'com.amazonaws.s3.%'"
            """)));
        assertTrue(e.getMessage().contains("score-on-upload"), e.getMessage());
        assertTrue(e.getMessage().contains("cesql"), e.getMessage());
        assertTrue(e.getMessage().contains("300-trigger-x.yaml"), e.getMessage());
    }

    @Test
    void malformedFiltersAreRefusedAtLoadTime() {
        assertLoadError("""
              filters:
                - regex:
                    type: x
            """, "unknown filter dialect 'regex'");
        assertLoadError("""
              filters:
                - exact:
                    type: a
                  prefix:
                    type: b
            """, "exactly one");
        assertLoadError("""
              filters:
                - exact:
                    type: ""
            """, "non-empty");
        assertLoadError("""
              filters:
                - any: []
            """, "at least one");
        assertLoadError("""
              filter:
                attributes:
                  specversion: 1.0
            """, "must be a string");
    }

    @Test
    void triggerDeliveryOverridesTheBrokers() {
        String broker = """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: geocrop
                spec:
                  delivery:
                    retry: 2
                    backoffPolicy: linear
                    backoffDelay: PT0.5S
                ---
                """;
        KnativeTriggers manifests = KnativeTriggers.parse(Map.of("m.yaml", broker + HEADER + """
              delivery:
                retry: 1
                backoffDelay: PT2S
            ---
            """ + HEADER.replace("name: t", "name: u")));
        DeliverySpec own = manifests.deliveryFor(manifests.trigger("t").orElseThrow());
        assertEquals(1, own.retry());
        assertEquals(Duration.ofSeconds(2), own.backoffDelay());
        DeliverySpec inherited = manifests.deliveryFor(manifests.trigger("u").orElseThrow());
        assertEquals(2, inherited.retry());
        assertEquals(DeliverySpec.BackoffPolicy.LINEAR, inherited.backoffPolicy());
        assertEquals(Duration.ofMillis(500), inherited.backoffDelay());
    }

    @Test
    void otherKindsAreIgnoredAndSubscriberUrisAreRead() {
        KnativeTriggers manifests = KnativeTriggers.parse(Map.of("m.yaml", """
                apiVersion: sources.knative.dev/v1alpha1
                kind: RedisStreamSource
                metadata:
                  name: s
                spec:
                  stream: x
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: dead-letters
                spec:
                  broker: geocrop
                  subscriber:
                    ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: submit-job
                    uri: /internal/reconcile
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: by-url
                spec:
                  broker: geocrop
                  subscriber:
                    uri: http://tile-render.geocrop.svc.cluster.local/internal/prerender
                """));
        assertEquals(2, manifests.triggers().size());
        TriggerRule withPath = manifests.trigger("dead-letters").orElseThrow();
        assertEquals("submit-job", withPath.subscriberService());
        assertEquals("/internal/reconcile", withPath.subscriberPath());
        TriggerRule byUrl = manifests.trigger("by-url").orElseThrow();
        assertEquals("tile-render", byUrl.subscriberService());
        assertEquals("/internal/prerender", byUrl.subscriberPath());
    }

    @Test
    void duplicateTriggersAndMissingFilesAreReported(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> KnativeTriggers.parse(Map.of("m.yaml", HEADER + "---\n" + HEADER)));
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - 100-missing.yaml\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KnativeTriggers.fromDirectory(dir));
        assertTrue(e.getMessage().contains("100-missing.yaml"), e.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> KnativeTriggers.fromClasspath(getClass().getClassLoader(), "no-such-folder"));
        assertTrue(none.getMessage().contains("no-such-folder/kustomization.yaml"), none.getMessage());
    }

    @Test
    void directoryWithoutKustomizationReadsEveryYamlFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("300-b.yaml"), HEADER.replace("name: t", "name: b"));
        Files.writeString(dir.resolve("100-a.yml"), HEADER.replace("name: t", "name: a"));
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        assertEquals(List.of("a", "b"), KnativeTriggers.fromDirectory(dir).triggers().stream().map(TriggerRule::name).toList());
    }

    private static void assertLoadError(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnativeTriggers.parse(Map.of("m.yaml", HEADER + spec)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("Trigger 't'"), e.getMessage());
    }

    private static CloudEvent s3(String eventName, String source, String key) {
        return CloudEventBuilder.v1().withId("1").withType(ForeignEventTypes.S3_PREFIX + eventName)
                .withSource(URI.create(source)).withSubject(key)
                .withData("application/json", "{}".getBytes()).build();
    }
}
