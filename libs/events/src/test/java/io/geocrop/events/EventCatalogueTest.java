package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCatalogueTest {

    @Test
    void catalogueNamesTypesSourcesAndSchemas() {
        assertEquals("io.geocrop.job.submitted.v1", EventType.JOB_SUBMITTED.type());
        assertEquals(URI.create("/geocrop/submit-job"), EventType.JOB_SUBMITTED.source());
        assertEquals(JobSubmittedV1.class, EventType.JOB_SUBMITTED.dataClass());
        assertEquals("schemas/io.geocrop.job.submitted.v1.json", EventType.JOB_SUBMITTED.schemaPath());
        assertEquals("io.geocrop.tile.requested.v1", EventType.TILE_REQUESTED.type());
        assertEquals(URI.create("/geocrop/extract-features"), EventType.TILE_REQUESTED.source());
        assertEquals(TileRequestedV1.class, EventType.TILE_REQUESTED.dataClass());
        assertEquals("io.geocrop.job.completed.v1", EventType.JOB_COMPLETED.type());
        assertEquals(URI.create("/geocrop/score-tile"), EventType.JOB_COMPLETED.source());
        assertEquals(JobCompletedV1.class, EventType.JOB_COMPLETED.dataClass());
        assertEquals("io.geocrop.job.failed.v1", EventType.JOB_FAILED.type());
        assertEquals(URI.create("/geocrop/jobs"), EventType.JOB_FAILED.source());
        assertEquals(JobFailedV1.class, EventType.JOB_FAILED.dataClass());
        assertEquals(EventType.JOB_FAILED, EventType.ofType("io.geocrop.job.failed.v1").orElseThrow());
        assertTrue(EventType.ofType("io.geocrop.job.failed.v2").isEmpty());
        Set<String> types = new HashSet<>();
        for (EventType t : EventType.values()) {
            assertTrue(types.add(t.type()), "duplicate type " + t.type());
            assertTrue(t.type().matches("io\\.geocrop\\.[a-z.]+\\.v\\d+"), t.type() + " must end with its version");
        }
    }

    @Test
    void foreignTypesAreTheOnesTheSourcesSend() {
        assertEquals("dev.knative.sources.redisstream", ForeignEventTypes.REDIS_STREAM);
        assertEquals("dev.knative.sources.ping", ForeignEventTypes.PING);
        assertEquals("com.amazonaws.s3.", ForeignEventTypes.S3_PREFIX);
        assertTrue(ForeignEventTypes.isS3("com.amazonaws.s3.ObjectCreated:Put"));
        assertTrue(!ForeignEventTypes.isS3("io.geocrop.job.failed.v1"));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaIsValidJsonListingExactlyTheRecordFields(EventType type) throws Exception {
        JsonNode schema = readSchema(type);
        assertEquals(type.dataSchema().toString(), schema.path("$id").asText(), "$id is the dataschema URI");
        assertEquals(type.type(), schema.path("title").asText());
        assertEquals("object", schema.path("type").asText());
        // Field names as the shared mapper writes them for a full record.
        JsonNode written = GeoCropEvents.json().readTree(
                GeoCropEvents.toJson(TestEvents.sampleData(type, UUID.randomUUID())));
        Set<String> recordFields = names(written.fieldNames());
        assertEquals(type.dataClass().getRecordComponents().length, recordFields.size());
        assertEquals(recordFields, names(schema.path("properties").fieldNames()), "schema properties");
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        assertEquals(recordFields, required, "schema required");
        // Forward compatibility: the schema must not forbid fields a later writer adds.
        assertTrue(!schema.has("additionalProperties") || schema.get("additionalProperties").asBoolean(true));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eventDataValidatesAgainstItsSchema(EventType type) throws Exception {
        JsonSchema schema = validator(type);
        CloudEvent event = TestEvents.sampleEvent(type);
        JsonNode data = GeoCropEvents.json().readTree(event.getData().toBytes());
        Set<ValidationMessage> errors = schema.validate(data);
        assertTrue(errors.isEmpty(), errors.toString());
        // And the schema really checks something: a wrong-typed job_id is refused.
        ((ObjectNode) data).put("job_id", 42);
        assertTrue(!schema.validate(data).isEmpty(), "schema accepted a numeric job_id");
        ((ObjectNode) data).remove("job_id");
        assertTrue(!schema.validate(data).isEmpty(), "schema accepted a missing job_id");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void createFillsAttributesFromTheCatalogueAndDataRoundTrips(EventType type) {
        UUID jobId = UUID.randomUUID();
        Record data = TestEvents.sampleData(type, jobId);
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        CloudEvent event = GeoCropEvents.create(type, jobId.toString(), data);
        assertEquals("1.0", event.getSpecVersion().toString());
        assertEquals(type.type(), event.getType());
        assertEquals(type.source(), event.getSource());
        assertEquals(jobId.toString(), event.getSubject());
        assertEquals("application/json", event.getDataContentType());
        assertEquals(type.dataSchema(), event.getDataSchema());
        assertNotNull(UUID.fromString(event.getId()), "id is a random UUID");
        assertTrue(event.getTime().isAfter(before));
        assertEquals(data, GeoCropEvents.data(event, type.dataClass()));
        assertTrue(!event.getId().equals(GeoCropEvents.create(type, jobId.toString(), data).getId()), "ids are random");
    }

    @Test
    void explicitIdMakesEventsDeterministic() {
        UUID jobId = UUID.randomUUID();
        CloudEvent a = GeoCropEvents.create(EventType.JOB_FAILED, "job-" + jobId + "-failed", jobId.toString(),
                TestEvents.sampleData(EventType.JOB_FAILED, jobId));
        CloudEvent b = GeoCropEvents.create(EventType.JOB_FAILED, "job-" + jobId + "-failed", jobId.toString(),
                TestEvents.sampleData(EventType.JOB_FAILED, jobId));
        assertEquals(a.getId(), b.getId());
        assertEquals(new String(a.getData().toBytes(), StandardCharsets.UTF_8), new String(b.getData().toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void dataIsSnakeCaseWithIsoTimes() throws Exception {
        UUID jobId = UUID.fromString("6f1c1b6e-0e0f-4a51-9d3c-0d1f3b1f2a10");
        JobSubmittedV1 data = new JobSubmittedV1(jobId, 31.05, -17.83, 2500, 2024, "m@1", Instant.parse("2025-03-01T10:15:30Z"));
        JsonNode json = GeoCropEvents.json().readTree(GeoCropEvents.toJson(data));
        assertEquals("6f1c1b6e-0e0f-4a51-9d3c-0d1f3b1f2a10", json.get("job_id").asText());
        assertEquals(2500.0, json.get("radius_m").asDouble());
        assertEquals("m@1", json.get("model_ref").asText());
        assertEquals("2025-03-01T10:15:30Z", json.get("submitted_at").asText());
    }

    @Test
    void readersIgnoreUnknownFields() {
        UUID jobId = UUID.randomUUID();
        String json = "{\"job_id\":\"" + jobId + "\",\"reason\":\"r\",\"failed_at\":\"2025-01-01T00:00:00Z\","
                + "\"added_in_a_later_writer\":{\"x\":1}}";
        JobFailedV1 data = GeoCropEvents.data(event(EventType.JOB_FAILED, json), JobFailedV1.class);
        assertEquals(new JobFailedV1(jobId, "r", Instant.parse("2025-01-01T00:00:00Z")), data);
    }

    @Test
    void missingFieldIsNamedWithTheEvent() {
        String json = "{\"job_id\":\"" + UUID.randomUUID() + "\",\"failed_at\":\"2025-01-01T00:00:00Z\"}";
        CloudEvent event = event(EventType.JOB_FAILED, json);
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> GeoCropEvents.data(event, JobFailedV1.class));
        assertTrue(e.getMessage().contains("id=" + event.getId()), e.getMessage());
        assertTrue(e.getMessage().contains("type=io.geocrop.job.failed.v1"), e.getMessage());
        assertTrue(e.getMessage().contains("'reason'"), e.getMessage());
        assertEquals("reason", e.field().orElseThrow());
    }

    @Test
    void wrongFieldTypeIsNamed() {
        String json = "{\"job_id\":\"" + UUID.randomUUID() + "\",\"lon\":\"east\",\"lat\":1,\"radius_m\":1,"
                + "\"year\":2024,\"model_ref\":\"m\",\"submitted_at\":\"2025-01-01T00:00:00Z\"}";
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(event(EventType.JOB_SUBMITTED, json), JobSubmittedV1.class));
        assertEquals("lon", e.field().orElseThrow(), e.getMessage());
        assertTrue(e.getMessage().contains("'lon'"), e.getMessage());
    }

    @Test
    void nullAndBadUuidAndMalformedJsonAreRefused() {
        String nullReason = "{\"job_id\":\"" + UUID.randomUUID() + "\",\"reason\":null,\"failed_at\":\"2025-01-01T00:00:00Z\"}";
        assertEquals("reason", assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(event(EventType.JOB_FAILED, nullReason), JobFailedV1.class)).field().orElseThrow());
        String badUuid = "{\"job_id\":\"not-a-uuid\",\"reason\":\"r\",\"failed_at\":\"2025-01-01T00:00:00Z\"}";
        assertEquals("job_id", assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(event(EventType.JOB_FAILED, badUuid), JobFailedV1.class)).field().orElseThrow());
        InvalidEventException malformed = assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(event(EventType.JOB_FAILED, "{\"job_id\":"), JobFailedV1.class));
        assertTrue(malformed.getMessage().contains("type=io.geocrop.job.failed.v1"), malformed.getMessage());
    }

    @Test
    void dataOfTheWrongRecordOrWithoutDataIsRefused() {
        CloudEvent failed = TestEvents.sampleEvent(EventType.JOB_FAILED);
        InvalidEventException wrong = assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(failed, JobSubmittedV1.class));
        assertTrue(wrong.getMessage().contains("JobFailedV1"), wrong.getMessage());
        CloudEvent noData = CloudEventBuilder.v1(failed).withoutData().build();
        InvalidEventException none = assertThrows(InvalidEventException.class,
                () -> GeoCropEvents.data(noData, JobFailedV1.class));
        assertTrue(none.getMessage().contains("no data"), none.getMessage());
    }

    @Test
    void createRefusesDataOfAnotherRecordAndBlankIds() {
        UUID jobId = UUID.randomUUID();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GeoCropEvents.create(
                EventType.JOB_SUBMITTED, jobId.toString(), TestEvents.sampleData(EventType.JOB_FAILED, jobId)));
        assertTrue(e.getMessage().contains("JobSubmittedV1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GeoCropEvents.create(EventType.JOB_FAILED, " ",
                jobId.toString(), TestEvents.sampleData(EventType.JOB_FAILED, jobId)));
    }

    @Test
    void completedResultsSerialiseInAStableOrder() {
        UUID jobId = UUID.randomUUID();
        Instant at = Instant.now();
        java.util.LinkedHashMap<String, String> one = new java.util.LinkedHashMap<>();
        one.put("z", "1");
        one.put("a", "2");
        java.util.LinkedHashMap<String, String> other = new java.util.LinkedHashMap<>();
        other.put("a", "2");
        other.put("z", "1");
        assertEquals(new String(GeoCropEvents.toJson(new JobCompletedV1(jobId, "k", one, at)), StandardCharsets.UTF_8),
                new String(GeoCropEvents.toJson(new JobCompletedV1(jobId, "k", other, at)), StandardCharsets.UTF_8));
    }

    @Test
    void deliverySpecBackoffGrowsAsKnativeDescribes() {
        DeliverySpec exponential = DeliverySpec.DEFAULT;
        assertEquals(Duration.ofSeconds(1), exponential.delayBeforeRetry(1));
        assertEquals(Duration.ofSeconds(2), exponential.delayBeforeRetry(2));
        assertEquals(Duration.ofSeconds(16), exponential.delayBeforeRetry(5));
        DeliverySpec linear = new DeliverySpec(3, DeliverySpec.BackoffPolicy.LINEAR, Duration.ofMillis(100), null, null);
        assertEquals(Duration.ofMillis(300), linear.delayBeforeRetry(3));
        assertThrows(IllegalArgumentException.class, () -> linear.delayBeforeRetry(0));
        assertThrows(IllegalArgumentException.class,
                () -> new DeliverySpec(-1, DeliverySpec.BackoffPolicy.LINEAR, Duration.ZERO, null, null));
    }

    private static CloudEvent event(EventType type, String json) {
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(type.type())
                .withSource(type.source())
                .withData("application/json", json.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static JsonNode readSchema(EventType type) throws Exception {
        try (InputStream in = EventType.class.getClassLoader().getResourceAsStream(type.schemaPath())) {
            assertNotNull(in, "schema missing from classpath: " + type.schemaPath());
            return GeoCropEvents.json().readTree(in);
        }
    }

    private static JsonSchema validator(EventType type) throws Exception {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        try (InputStream in = EventType.class.getClassLoader().getResourceAsStream(type.schemaPath())) {
            return factory.getSchema(in);
        }
    }

    private static Set<String> names(Iterator<String> it) {
        Set<String> out = new TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
