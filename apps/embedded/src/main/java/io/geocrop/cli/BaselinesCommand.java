package io.geocrop.cli;

import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.DynamicWorldImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code geocrop baselines}: the Dynamic World baselines tile-render draws as {@code dw-<year>}. */
@Command(name = "baselines", mixinStandardHelpOptions = true,
        description = "Dynamic World baselines: the layer the map shows before a crop map is ready.",
        subcommands = {BaselinesCommand.Import.class})
final class BaselinesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code geocrop baselines import FILE --year Y}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports a Dynamic World export (GeoTIFF: a 'label' band or a single band, classes 0..8,",
                    "EPSG:4326 or UTM, its nodata value declared) as the baseline of season --year: its own pixels,",
                    "not resampled, on its own grid and CRS, cut into COG pieces of at most 8192 px and stored in",
                    "geocrop-baselines under dw/zim/summer/<year>/0-import-<name>-<row>-<col>.tif, where tile-render",
                    "finds them (drawn before simulated cells; tiles from zoom 12 equal gdalwarp -r near of the",
                    "export). Importing a file of the same name again replaces it. Storage as the functions use it:",
                    "local under GEOCROP_HOME, or the cluster's MinIO with GEOCROP_STORAGE_BACKEND=s3 and GEOCROP_S3_*."})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The Dynamic World export (GeoTIFF).")
        Path file;

        @Option(names = "--year", required = true, description = "Season year Y the baseline is shown for (dw-Y).")
        int year;

        @Option(names = "--home", description = "Where data is kept (default: $GEOCROP_HOME or ~/.geocrop).")
        Path home;

        @Override
        public Integer call() throws Exception {
            Path work = Files.createTempDirectory("geocrop-baselines-");
            try (ObjectStore store = CliStorage.objectStore(CliStorage.home(home))) {
                DynamicWorldImport.Report report = DynamicWorldImport.importExport(file, year, store, work);
                System.out.println("Imported " + report.describe());
                report.keys().forEach(k -> System.out.println("  geocrop-baselines/" + k));
                return 0;
            } catch (IllegalArgumentException e) { // InvalidExportException, or a bad --year
                throw new CliException(e.getMessage(), 2);
            } finally {
                try (var files = Files.list(work)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(work);
            }
        }
    }
}
