package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.embedded.TestImagery;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it, against a real embedded server. */
class GeoCropCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheCommands() {
        CliRun help = run("--help");
        assertEquals(0, help.code());
        for (String command : new String[] {"serve", "submit", "status", "features", "raster"}) {
            assertTrue(help.out().contains(command), help.out());
        }
        CliRun submitHelp = run("submit", "--help");
        assertEquals(0, submitHelp.code());
        assertTrue(submitHelp.out().contains("--radius"), submitHelp.out());
    }

    @Test
    void theAoiOptionsOfEveryJobCommandStateTheDomainRules() {
        io.geocrop.domain.JobRequestRules rules = io.geocrop.domain.JobRequestRules.defaults();
        for (String command : new String[] {"classify", "features", "submit"}) {
            CliRun help = run(command, "--help");
            assertEquals(0, help.code(), help.err());
            String out = help.out().replaceAll("\\s+", ""); // picocli wraps long lines, even inside numbers
            assertTrue(out.contains("coverage:" + rules.coverage().minLon() + ".." + rules.coverage().maxLon()), out);
            assertTrue(out.contains("coverage:" + rules.coverage().minLat() + ".." + rules.coverage().maxLat()), out);
            assertTrue(out.contains("(" + (long) rules.minRadiusM() + ".." + (long) rules.maxRadiusM() + ")"), out);
            assertTrue(out.contains("--radius-m") && out.contains("--year"), out);
        }
    }

    @Test
    void featuresWritesOneValidFeatureGeoTiffPerTileFromTheSimulatedImagery(@TempDir Path out) throws Exception {
        CliRun ok = run("features", "--lon", String.valueOf(TestImagery.LON), "--lat", String.valueOf(TestImagery.LAT),
                "--radius-m", String.valueOf(TestImagery.RADIUS_M), "--year", String.valueOf(TestImagery.YEAR),
                "--out", out.toString(), "--imagery-cache", TestImagery.CACHE.toString(),
                "--seed", String.valueOf(TestImagery.SEED));
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("feature tile(s)"), ok.out());
        List<Path> tiles;
        try (var files = Files.list(out)) {
            tiles = files.filter(p -> p.toString().endsWith(".tif")).toList();
        }
        assertTrue(!tiles.isEmpty(), ok.out());
        for (Path tile : tiles) {
            Process gdal = new ProcessBuilder("gdalinfo", "-json", tile.toString()).redirectErrorStream(true).start();
            JsonNode info = ApiClient.JSON.readTree(gdal.getInputStream().readAllBytes());
            assertEquals(0, gdal.waitFor());
            assertEquals(51, info.get("bands").size());
            assertEquals("clear_fraction", info.at("/bands/50/description").asText());
        }

        CliRun outside = run("features", "--lon", "12.5", "--lat", "41.9", "--radius-m", "500", "--year", "2024",
                "--out", out.toString());
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("lon") || outside.err().contains("coverage"), outside.err());
        assertTrue(!outside.err().contains("Exception"), outside.err());
    }

    @Test
    void submitsAndReportsProblemsInPlainWords() throws Exception {
        // The CLI is what is tested here, not extraction: jobs meet a catalogue that is down and fail quickly.
        Map<String, Object> props = Map.of("geocrop.home", Files.createTempDirectory("geocrop-cli").toString(),
                "micronaut.server.port", -1, "geocrop.imagery.source", "stac",
                "geocrop.imagery.stac-endpoint", "http://127.0.0.1:9/stac/");
        try (ApplicationContext app = EmbeddedApplication.start(props)) {
            String server = EmbeddedApplication.baseUrl(app);
            CliRun ok = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "1500", "--year", "2021");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("\"state\" : \"queued\""), ok.out());

            CliRun status = run("status", "--server", server);
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("30.1"), status.out());

            CliRun bad = run("submit", "--server", server, "--lon", "30.1", "--lat", "-19.2", "--radius", "50", "--year", "2021");
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("radius_m"), bad.err());
            assertTrue(!bad.err().contains("Exception"), bad.err());
        }
        CliRun down = run("status", "--server", "http://127.0.0.1:9");
        assertEquals(3, down.code());
        assertTrue(down.err().contains("cannot reach"), down.err());
    }
}
