package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.events.InProcessEventRouter;
import io.geocrop.jobs.JobStore;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The embedded default: one command's worth of configuration, data under GEOCROP_HOME, survives a restart. */
class EmbeddedApplicationTest {

    @Test
    void acceptsAJobAndKeepsItAcrossARestart() throws Exception {
        Path home = Files.createTempDirectory("geocrop-embedded");
        Map<String, Object> props = Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1);
        String id;
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String base = EmbeddedApplication.baseUrl(app);
            Http.Reply created = Http.post(base, "/jobs", "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}");
            assertEquals(202, created.status(), created.body().toString());
            id = created.body().get("id").asText();
            assertEquals("queued", Http.get(base, "/jobs/" + id).body().get("state").asText());

            // Embedded wiring: H2 job store, in-process router with the manifests' triggers, local storage.
            assertTrue(app.getBean(InProcessEventRouter.class).triggers().stream()
                    .anyMatch(t -> t.name().equals("extract-features-on-job-submitted")));
            ObjectStore storage = app.getBean(ObjectStore.class);
            storage.put(Bucket.DATASETS, "labels/example.csv", "lon,lat,class\n".getBytes(), "text/csv");
            assertTrue(Files.exists(home.resolve("storage").resolve("geocrop-datasets").resolve("labels/example.csv")));
            assertTrue(Files.exists(home.resolve("db")), "H2 database under GEOCROP_HOME");
        }
        // The job is still there after a restart: the embedded database is a file, not memory.
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            assertTrue(app.getBean(JobStore.class).find(UUID.fromString(id)).isPresent());
            Http.Reply again = Http.post(EmbeddedApplication.baseUrl(app), "/jobs",
                    "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}");
            assertEquals(200, again.status());
            assertEquals(id, again.body().get("id").asText());
        }
    }
}
