package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.embedded.TestImagery;
import io.geocrop.models.TestModels;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.registry.ModelRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./geocrop classify} on a home that a running {@code ./geocrop serve} holds: the job goes to that server over
 * its HTTP API and the user gets the map, the progress and the area table, not "the home is in use". The server is
 * the real embedded application, started here on a random port under a temporary home and holding the home's lock
 * as {@code serve} does (the CLI then cannot open the home's database itself: the lock is this JVM's).
 */
class ClassifyViaServerTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearModelName() {
        System.clearProperty("geocrop.models.name");
    }

    @Test
    void classifySendsTheJobToTheServerHoldingTheHomeAndWritesTheMap() throws Exception {
        Path home = dir.resolve("home");
        Path out = dir.resolve("out");
        Map<String, Object> props = Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1,
                "geocrop.embedded.s3.enabled", false,
                "geocrop.imagery.simulation-dir", TestImagery.CACHE.toString(),
                "geocrop.imagery.simulation-seed", TestImagery.SEED,
                "geocrop.models.name", TestModels.small().card().name());
        try (HomeLock lock = HomeLock.acquire(home, "serve");
             ApplicationContext server = EmbeddedApplication.start(props)) {
            server.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
            String url = EmbeddedApplication.baseUrl(server);
            lock.announce(url);

            // classify writes its progress to System.err (the terminal), which CliRun leaves alone: capture it here.
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            PrintStream terminal = System.err;
            System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
            CliRun run;
            try {
                run = CliRun.of("classify", "--lon", String.valueOf(TestImagery.LON), "--lat",
                        String.valueOf(TestImagery.LAT), "--radius", String.valueOf(TestImagery.RADIUS_M), "--year",
                        String.valueOf(TestImagery.YEAR), "--home", home.toString(), "--out", out.toString());
            } finally {
                System.setErr(terminal);
            }
            String err = run.err() + progress.toString(StandardCharsets.UTF_8);

            assertEquals(0, run.code(), run.out() + err);
            assertTrue(err.contains("sending the job to it at " + url), err);
            assertTrue(err.contains("Model " + TestModels.small().card().name()), err);
            assertFalse(err.contains("in use"), err);
            // The area table, from the summary the server wrote, and the map itself in --out.
            JsonNode summary = ApiClient.JSON.readTree(out.resolve("summary.json").toFile());
            assertTrue(summary.path("total_hectares").asDouble() > 0, summary.toString());
            assertTrue(run.out().contains(ClassifyCommand.areaTable(summary)), run.out());
            assertTrue(run.out().contains("Time by stage:"), run.out());
            assertTrue(run.out().contains(ClassifyCommand.driftLine(summary)), run.out());
            try (GeoTiff map = GeoTiffReader.open(FileByteSource.open(out.resolve("crop-map.tif")))) {
                assertTrue(map.metadata().width() > 0 && map.metadata().height() > 0);
            }
            assertTrue(Files.size(out.resolve("preview.png")) > 0);
            // The job is the server's: its API lists it.
            JsonNode jobs = new ApiClient(url).get("jobs");
            assertTrue(jobs.toString().contains("completed"), jobs.toString());
            // Every stage's CPU is charged, also the ones the server runs on virtual threads (scoring, planning),
            // whose CPU clock the JVM cannot read (JobCosts moves measured work to a platform thread).
            JsonNode job = new ApiClient(url).get("jobs/" + summary.path("job_id").asText());
            for (JsonNode stage : job.at("/cost/stages")) {
                assertTrue(stage.path("cpu_seconds").asDouble() > 0, "no CPU charged to " + stage + " of " + job.path("cost"));
            }
            assertEquals(4, job.at("/cost/stages").size(), job.path("cost").toString());
        }
    }
}
