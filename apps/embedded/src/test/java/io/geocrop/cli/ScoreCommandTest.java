package io.geocrop.cli;

import io.geocrop.raster.cog.GdalCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.embedded.TestImagery;
import io.geocrop.models.TestModels;
import io.geocrop.registry.ModelRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geocrop features} then {@code geocrop score}: the tiles the one writes are scored by the other as they are
 * (the round trip "compute features here, upload them there"), the result is a valid COG, and a file that cannot be
 * scored gets its reason in one line and a non-zero exit.
 */
class ScoreCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearModelName() {
        System.clearProperty("geocrop.models.name");
    }

    @Test
    void scoresTheTilesFeaturesWritesAndExplainsFilesItCannotScore() throws Exception {
        Path home = dir.resolve("home");
        // A small real model in the home's registry, so the command scores rather than trains the demo model.
        System.setProperty("geocrop.models.name", TestModels.small().card().name());
        try (ApplicationContext app = EmbeddedApplication.start(Map.of("geocrop.home", home.toString(),
                "micronaut.server.port", -1, "geocrop.embedded.s3.enabled", false))) {
            app.getBean(ModelRegistry.class).publish(TestModels.small(), ModelRegistry.DEFAULT_ALIAS);
        }
        Path features = dir.resolve("features");
        CliRun wrote = CliRun.of("features", "--lon", String.valueOf(TestImagery.LON), "--lat",
                String.valueOf(TestImagery.LAT), "--radius-m", String.valueOf(TestImagery.RADIUS_M), "--year",
                String.valueOf(TestImagery.YEAR), "--out", features.toString(), "--imagery-cache",
                TestImagery.CACHE.toString(), "--seed", String.valueOf(TestImagery.SEED));
        assertEquals(0, wrote.code(), wrote.err());
        Path tile;
        try (var files = Files.list(features)) {
            tile = files.filter(p -> p.toString().endsWith(".tif")).sorted().findFirst().orElseThrow();
        }

        Path out = dir.resolve("out");
        CliRun scored = CliRun.of("score", tile.toString(), "--out", out.toString(), "--home", home.toString());
        assertEquals(0, scored.code(), scored.out() + scored.err());
        String name = tile.getFileName().toString().replace(".tif", ScoreCommand.RESULT_SUFFIX);
        Path result = out.resolve(name);
        assertTrue(scored.out().contains("Wrote " + result), scored.out());
        GdalCli.assertValidCog(result);
        List<Integer> checksums = GdalCli.checksums(result);
        assertEquals(2, checksums.size(), "class and confidence");
        assertTrue(GdalCli.infoText(result).contains("Size is 512, 512"));

        Path broken = dir.resolve("broken.tif");
        Files.writeString(broken, "not a GeoTIFF");
        CliRun refused = CliRun.of("score", broken.toString(), "--out", out.toString(), "--home", home.toString());
        assertEquals(4, refused.code(), refused.err());
        List<String> lines = refused.err().strip().lines().filter(l -> l.contains("Cannot score")).toList();
        assertEquals(1, lines.size(), refused.err());
        assertTrue(lines.getFirst().contains("not a TIFF file"), lines.getFirst());
        assertFalse(refused.err().contains("Exception"), refused.err());
        assertFalse(Files.exists(out.resolve("broken" + ScoreCommand.RESULT_SUFFIX)));
    }
}
