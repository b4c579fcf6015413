package io.geocrop.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Sample events, fixture paths and an event comparison shared by the tests. */
public final class TestEvents {

    private TestEvents() {}

    /** A valid data record of {@code type}, about {@code jobId}. */
    public static Record sampleData(EventType type, UUID jobId) {
        Instant at = Instant.parse("2025-03-01T10:15:30.123456789Z");
        return switch (type) {
            case JOB_SUBMITTED -> new JobSubmittedV1(jobId, 31.05, -17.83, 2500.0, 2024, "crop-classifier@champion", at);
            case TILE_REQUESTED -> new TileRequestedV1(jobId, "32736-1234-5678", 2024,
                    List.of("S2A_36KVE_20240905_0_L2A", "S2B_36KVE_20240910_0_L2A"), at);
            case JOB_COMPLETED -> new JobCompletedV1(jobId, "results/" + jobId + "/crop.tif",
                    Map.of("preview", "results/" + jobId + "/preview.png", "metadata", "results/" + jobId + "/meta.json"), at);
            case JOB_FAILED -> new JobFailedV1(jobId, "No cloud-free imagery for the season", at);
        };
    }

    /** A new event of {@code type} with sample data and the job id as subject. */
    public static CloudEvent sampleEvent(EventType type) {
        UUID jobId = UUID.randomUUID();
        return GeoCropEvents.create(type, jobId.toString(), sampleData(type, jobId));
    }

    /** Asserts {@code actual} is {@code expected}: every attribute, every extension and the data bytes. */
    public static void assertSameEvent(CloudEvent expected, CloudEvent actual) {
        assertNotNull(actual, "no event arrived");
        assertEquals(expected.getId(), actual.getId(), "id");
        assertEquals(expected.getType(), actual.getType(), "type");
        assertEquals(expected.getSource(), actual.getSource(), "source");
        assertEquals(expected.getSubject(), actual.getSubject(), "subject");
        assertEquals(expected.getDataSchema(), actual.getDataSchema(), "dataschema");
        assertEquals(expected.getDataContentType(), actual.getDataContentType(), "datacontenttype");
        assertEquals(expected.getTime() == null ? null : expected.getTime().toInstant(),
                actual.getTime() == null ? null : actual.getTime().toInstant(), "time");
        assertEquals(extensions(expected), extensions(actual), "extensions");
        assertArrayEquals(expected.getData() == null ? null : expected.getData().toBytes(),
                actual.getData() == null ? null : actual.getData().toBytes(), "data bytes");
    }

    /** Extensions by name, as strings (transports carry them as strings). */
    public static Map<String, String> extensions(CloudEvent event) {
        Map<String, String> out = new TreeMap<>();
        for (String name : event.getExtensionNames()) {
            out.put(name, String.valueOf(event.getExtension(name)));
        }
        return out;
    }

    /** The shared test-data folder (system property {@code geocrop.shared.data}, else relative to the module). */
    public static Path sharedData() {
        String property = System.getProperty("geocrop.shared.data");
        Path path = property != null ? Path.of(property) : Path.of("../../../shared/data");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("shared test data not found at " + path.toAbsolutePath());
        }
        return path;
    }

    /** The repository's {@code knative/base} folder (system property {@code geocrop.root}, else relative). */
    public static Path knativeBase() {
        String property = System.getProperty("geocrop.root");
        Path path = (property != null ? Path.of(property) : Path.of("../..")).resolve("knative/base");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("knative/base not found at " + path.toAbsolutePath());
        }
        return path;
    }
}
