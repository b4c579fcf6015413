package io.geocrop.cli;

import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.score.ScoringSettings;
import io.geocrop.scoring.FeatureGeoTiffCheck;
import io.geocrop.scoring.ModelSource;
import io.geocrop.scoring.TileScorer;
import io.geocrop.scoring.UploadScoring;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.training.TextProgressBar;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code geocrop score FILE.tif}: scores one feature GeoTIFF here, through exactly what scoring on upload runs
 * ({@link UploadScoring}: {@link FeatureGeoTiffCheck}, then {@link TileScorer} with the embedded model source, which
 * trains the demo model on first need), and writes the class + confidence COG, or prints in one line why the file
 * cannot be scored.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores a 51-band feature GeoTIFF (e.g. from `geocrop features`) with the model in use and",
                "writes <name>.crop-type.tif (band 1 crop class, band 2 confidence) to --out.",
                "The same checks and scoring as an upload to geocrop-features/uploads/."})
final class ScoreCommand implements Callable<Integer> {
    /** The suffix of the result next to the input's name. */
    static final String RESULT_SUFFIX = ".crop-type.tif";

    @Parameters(index = "0", paramLabel = "FILE.tif", description = "The feature GeoTIFF to score.")
    Path file;

    @Option(names = "--out", description = "Directory for the result (default: the file's directory).")
    Path out;

    @Option(names = "--home", description = "Where the model registry is kept (default: $GEOCROP_HOME or ~/.geocrop).")
    Path home;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CliException("Cannot score " + file + ": no such file", 2);
        }
        Path outDir = out != null ? out : file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        String uploadKey = ObjectKeys.UPLOADS_PREFIX + safeName(name);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("micronaut.server.port", -1);
        overrides.put("geocrop.embedded.s3.enabled", false);
        if (home != null) {
            overrides.put("geocrop.home", home.toAbsolutePath().toString());
        }
        Path scratch = Files.createTempDirectory("geocrop-score");
        TextProgressBar bar = new TextProgressBar(System.err);
        try (ApplicationContext context = EmbeddedApplication.start(overrides);
             LocalObjectStore store = new LocalObjectStore(scratch.resolve("storage"), ObjectCreatedListener.NONE)) {
            ClassifyCommand.ensureModel(context, bar);
            ModelSource models = context.getBean(ModelSource.class);
            ScoringSettings limits = context.getBean(ScoringSettings.class);
            store.ensureBuckets();
            store.put(Bucket.FEATURES, uploadKey, file, "image/tiff");
            UploadScoring scoring = new UploadScoring(store, new FeatureGeoTiffCheck(store,
                    new FeatureGeoTiffCheck.Limits(limits.maxUploadPixels(), limits.maxUploadBytes())),
                    new TileScorer(store, scratch.resolve("work")));
            UploadScoring.UploadResult outcome = scoring.score(uploadKey, models::classifier);
            if (outcome.status() == UploadScoring.Status.FAILED) {
                throw new CliException("Cannot score " + file + ": " + outcome.error().replace('\n', ' '), 4);
            }
            Files.createDirectories(outDir);
            Path result = outDir.resolve(stem(name) + RESULT_SUFFIX);
            try (InputStream in = store.get(Bucket.RESULTS, outcome.resultKey()).orElseThrow()) {
                Files.copy(in, result, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("Wrote " + result);
            return 0;
        } finally {
            bar.finish();
            deleteTree(scratch);
        }
    }

    /** The file's name as an upload key segment: characters a key cannot hold become '_'. */
    static String safeName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.startsWith(".") ? "_" + cleaned.substring(1) : cleaned;
    }

    private static String stem(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".tiff")) {
            return name.substring(0, name.length() - 5);
        }
        return lower.endsWith(".tif") ? name.substring(0, name.length() - 4) : name;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
