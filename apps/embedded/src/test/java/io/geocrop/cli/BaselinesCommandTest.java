package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geocrop baselines import}: a GDAL-made export lands in the local store; a bad file is one clear line. */
class BaselinesCommandTest {
    @TempDir Path dir;

    @Test
    void importsAnExportIntoTheLocalStoreAndReportsCoverage() throws Exception {
        Path export = dir.resolve("dw.tif");
        Process p = new ProcessBuilder(List.of("gdal_create", "-q", "-of", "GTiff", "-outsize", "200", "100",
                "-bands", "1", "-ot", "Byte", "-burn", "4", "-a_srs", "EPSG:4326", "-a_nodata", "255",
                "-a_ullr", "31.00", "-17.80", "31.02", "-17.81", export.toString())).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        Path home = dir.resolve("home");
        CliRun run = CliRun.of("baselines", "import", export.toString(), "--year", "2023", "--home", home.toString());
        assertEquals(0, run.code(), run.err());
        // 200 x 100 pixels of 0.0001 degree at 17.8 S: about 2.1 x 1.1 km, stored as one piece on the export's own
        // grid. (contains: the logger may print its own status lines first.)
        assertTrue(run.out().contains("Imported 1 baseline piece for 2023, 2.3 km² labelled (crops 100.0 %"), run.out());
        assertTrue(run.out().contains("EPSG:4326, 200 x 100 pixels stored as exported"), run.out());
        assertTrue(run.out().contains("geocrop-baselines/dw/zim/summer/2023/0-import-dw-000-000.tif"), run.out());
        try (var files = Files.walk(home.resolve("storage"))) {
            assertEquals(List.of("0-import-dw-000-000.tif"), files.filter(f -> Files.isRegularFile(f)
                            && !f.toString().contains(".geocrop-meta")
                            && f.toString().contains("geocrop-baselines/dw/zim/summer/2023/"))
                    .map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void aBadFileIsOneLineAndExitCode2() throws Exception {
        Path text = Files.writeString(dir.resolve("labels.tif"), "not a raster");
        CliRun run = CliRun.of("baselines", "import", text.toString(), "--year", "2023", "--home", dir.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("geocrop: labels.tif is not a GeoTIFF"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
