package io.geocrop.cli;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.domain.Season;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.TrainedModel;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistryNames;
import io.geocrop.registry.RegistrySettings;
import io.geocrop.training.Dataset;
import io.geocrop.training.DemoModel;
import io.geocrop.training.EmbeddedTruthDataset;
import io.geocrop.training.LabelledDataset;
import io.geocrop.training.LabelledPixels;
import io.geocrop.training.LabelledPoints;
import io.geocrop.training.LabelsException;
import io.geocrop.training.SimulatedImagery;
import io.geocrop.training.StageTime;
import io.geocrop.training.TextProgressBar;
import io.geocrop.training.TrainingReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geocrop train}: builds a labelled dataset with the production feature path, trains an XGBoost model,
 * evaluates it on spatially held-out blocks and writes (and/or publishes) the ONNX model with its card.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a crop-type model (XGBoost, exported to ONNX) on labelled places or on the embedded",
                "imagery's ground truth. Features are computed exactly as extract-features computes them (STAC search,",
                "COG range reads, the 51 features), so training and serving never differ.",
                "",
                "Labels: a CSV with a header, columns lon,lat,class (class = maize, tobacco, ... or a code 1..11) and",
                "optionally wkt (a quoted POLYGON in lon/lat; every 10 m pixel centre inside is labelled).",
                "",
                "Prints the held-out overall accuracy, kappa, per-class F1 and the confusion matrix; progress goes",
                "to stderr. --publish stores the model in the registry: the geocrop-models bucket (under",
                "GEOCROP_HOME, or S3 with GEOCROP_STORAGE_BACKEND=s3), or MLflow when GEOCROP_MLFLOW_TRACKING_URI is set."},
        footer = {"", "Examples:",
                "  geocrop train --embedded-truth --out ./demo-model",
                "  geocrop train --labels fields.csv --year 2023 --source dea --publish --alias challenger"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nTraining data (one of):%n")
    DataChoice data;

    static final class DataChoice {
        @Option(names = "--labels", paramLabel = "FILE.csv", description = "Labelled points or polygons (needs --year).")
        Path labels;

        @Option(names = "--embedded-truth",
                description = "The embedded simulated imagery's own ground truth (the demo model's data).")
        boolean embeddedTruth;
    }

    @Option(names = "--year", description = "Season year Y (Y-09-01 to Y+1-05-31). Required with --labels; "
            + "default " + EmbeddedTruthDataset.DEMO_YEAR + " with --embedded-truth.")
    Integer year;

    @Option(names = "--seed", defaultValue = "${GEOCROP_IMAGERY_SIMULATION_SEED:-42}",
            description = "Seed of the simulated imagery, the sample, XGBoost and the held-out split (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tiles", defaultValue = "1",
            description = "With --embedded-truth: 512 px training tiles chosen from the seed (default ${DEFAULT-VALUE}).")
    int tiles;

    @Option(names = "--max-rows-per-class", defaultValue = "3000",
            description = "With --embedded-truth: sampled pixels per class at most (default ${DEFAULT-VALUE}).")
    int maxRowsPerClass;

    @Option(names = "--name", defaultValue = "${GEOCROP_MODEL_NAME:-" + RegistrySettings.DEFAULT_MODEL_NAME + "}",
            description = "Registered model name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--alias", defaultValue = ModelRegistry.DEFAULT_ALIAS,
            description = "Alias --publish points at the new version (default ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--rounds", description = "Boosting rounds (default ${DEFAULT-VALUE}).")
    int rounds = TrainingParams.defaults().rounds();

    @Option(names = "--max-depth", description = "Maximum tree depth (default ${DEFAULT-VALUE}).")
    int maxDepth = TrainingParams.defaults().maxDepth();

    @Option(names = "--eta", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double eta = TrainingParams.defaults().eta();

    @Option(names = "--hold-out", description = "Share of spatial blocks held out for evaluation (default ${DEFAULT-VALUE}).")
    double holdOut = TrainingParams.defaults().holdOutFraction();

    @Option(names = "--out", paramLabel = "DIR", description = "Writes model.onnx, model-card.json and evaluation.json here.")
    Path out;

    @Option(names = "--publish", description = "Publishes the model to the registry with --alias.")
    boolean publish;

    @Option(names = "--source", defaultValue = "${GEOCROP_IMAGERY_SOURCE:-simulated}",
            description = "Imagery for --labels: simulated (default, offline) or dea.")
    String source;

    @Option(names = "--stac", defaultValue = "${GEOCROP_IMAGERY_STAC_ENDPOINT:-https://explorer.digitalearth.africa/stac/}",
            description = "STAC API for --source dea (default ${DEFAULT-VALUE}).")
    URI stac;

    @Option(names = "--imagery-cache", description = "Where simulated imagery is kept (default: $GEOCROP_HOME/imagery).")
    Path imageryCache;

    @Option(names = "--home", description = "Where data is kept (default: $GEOCROP_HOME or ~/.geocrop).")
    Path home;

    @Override
    public Integer call() throws Exception {
        TrainingParams params = validate();
        // With --publish, ask the registry before spending minutes on training: unreachable or refusing
        // credentials is said now, not after the model is trained.
        ModelRegistry registry = null;
        if (publish) {
            registry = registry();
            try {
                registry.versions(name);
            } catch (RuntimeException e) {
                throw new CliException("the registry " + registry + " cannot be used: " + e.getMessage()
                        + "; check GEOCROP_MLFLOW_TRACKING_URI and GEOCROP_MLFLOW_TOKEN (or GEOCROP_MLFLOW_USERNAME"
                        + " and GEOCROP_MLFLOW_PASSWORD), or train with --out only", 4);
            }
        }
        TextProgressBar bar = new TextProgressBar(System.err);
        Dataset dataset;
        boolean synthetic;
        Map<String, StageTime> times = new LinkedHashMap<>();
        if (data.embeddedTruth) {
            synthetic = true;
            int y = year != null ? year : EmbeddedTruthDataset.DEMO_YEAR;
            System.err.println("Training on the embedded SIMULATED imagery's ground truth (seed " + seed + ", season "
                    + y + "): the model card is marked synthetic.");
            try (SimulatedImagery sim = SimulatedImagery.start(cache(), seed)) {
                dataset = new EmbeddedTruthDataset(sim.dea(), sim.imagery(), sim.tileFeatures(threads()))
                        .build(new EmbeddedTruthDataset.Options(y, tiles, maxRowsPerClass, 64), bar);
            }
        } else {
            synthetic = source.equalsIgnoreCase("simulated");
            dataset = labelledDataset(bar);
        }
        bar.finish();
        times.putAll(dataset.stageTimes());
        System.out.printf(Locale.ROOT, "Dataset: %d rows in %d spatial blocks from %d tile(s); %s%n",
                dataset.data().size(), dataset.groupCount(), dataset.tiles().size(), TrainingReport.rowsByClass(dataset));
        dataset.skipped().forEach(s -> System.err.println("skipped: " + s));

        StageTime.Start training = StageTime.start();
        TrainedModel model;
        try {
            model = new XgbTrainer().train(dataset.data(), params, name, dataset.reference(), synthetic, bar);
        } catch (IllegalArgumentException e) {
            throw new CliException("cannot train on this dataset: " + e.getMessage(), 3);
        }
        bar.finish();
        times.put(DemoModel.TRAINING, training.stop());

        System.out.println();
        System.out.print(TrainingReport.table(model.evaluation()));
        System.out.println();
        StringBuilder stages = new StringBuilder("Time:");
        times.forEach((stage, t) -> stages.append(' ').append(stage).append(' ').append(t).append(';'));
        System.out.println(stages.substring(0, stages.length() - 1));

        ModelArtifact artifact = model.artifact();
        // --out first: a registry that fails now must not throw the trained model away.
        if (out != null) {
            TrainingReport.writeFiles(out, artifact, model, dataset);
            System.out.printf("Wrote %s, %s and %s to %s%n", ModelArtifact.ONNX_FILE, ModelArtifact.CARD_FILE,
                    TrainingReport.EVALUATION_FILE, out.toAbsolutePath());
        }
        if (publish) {
            try {
                artifact = registry.publish(artifact, alias);
            } catch (RuntimeException e) {
                throw new CliException("publishing to " + registry + " failed: " + e.getMessage()
                        + (out != null ? "; the model is kept in " + out.toAbsolutePath() : ""), 4);
            }
            System.out.printf("Published %s version %s as %s@%s in %s%n", artifact.card().name(),
                    artifact.card().version(), artifact.card().name(), alias, registry);
        }
        if (!publish && out == null) {
            System.out.println("Nothing kept: add --out DIR to write the model, or --publish to register it.");
        }
        if (synthetic) {
            System.out.println("Note: trained on simulated imagery; use it for demos, not for real maps.");
        }
        return 0;
    }

    /** Checks the options together; a bad one is a usage error (exit code 2) in plain words. */
    private TrainingParams validate() {
        if (data.labels != null && year == null) {
            throw usage("--labels needs --year (the season the labels describe)");
        }
        int latest = JobRequestRules.defaults().latestSeason().year();
        if (year != null && (year < Season.FIRST_YEAR || year > latest)) {
            throw usage("--year must be a finished season from " + Season.FIRST_YEAR + " to " + latest + ", got " + year);
        }
        if (rounds < 1 || rounds > 5000) {
            throw usage("--rounds must be 1..5000, got " + rounds);
        }
        if (maxDepth < 1 || maxDepth > 16) {
            throw usage("--max-depth must be 1..16, got " + maxDepth);
        }
        if (!(eta > 0 && eta <= 1)) {
            throw usage("--eta must be above 0 and at most 1, got " + eta);
        }
        if (!(holdOut > 0 && holdOut < 1)) {
            throw usage("--hold-out must be between 0 and 1, got " + holdOut);
        }
        if (tiles < 1 || tiles > 16) {
            throw usage("--tiles must be 1..16, got " + tiles);
        }
        if (maxRowsPerClass < 10) {
            throw usage("--max-rows-per-class must be at least 10, got " + maxRowsPerClass);
        }
        String kind = source.toLowerCase(Locale.ROOT);
        if (!kind.equals("simulated") && !kind.equals("dea")) {
            throw usage("--source must be simulated or dea, got " + source);
        }
        try {
            RegistryNames.requireModelName(name);
        } catch (IllegalArgumentException e) {
            throw usage("--name: " + e.getMessage());
        }
        try {
            RegistryNames.requireAlias(alias);
        } catch (IllegalArgumentException e) {
            throw usage("--alias: " + e.getMessage());
        }
        TrainingParams d = TrainingParams.defaults();
        return new TrainingParams(rounds, maxDepth, eta, d.threads(), seed, holdOut);
    }

    private Dataset labelledDataset(TextProgressBar bar) throws IOException {
        Path file = data.labels;
        LabelledPixels pixels;
        try {
            pixels = LabelledPixels.of(LabelledPoints.read(file, Coverage.ZIMBABWE), file.getFileName().toString());
        } catch (LabelsException e) {
            throw new CliException(e.getMessage(), 2);
        }
        Season season = new Season(year);
        System.err.printf("%d labelled pixels in %d tile(s) of 512 px, season %d%n", pixels.size(),
                pixels.byTile().size(), year);
        String reference = file.getFileName() + ", season " + year;
        try {
            if (source.equalsIgnoreCase("simulated")) {
                try (SimulatedImagery sim = SimulatedImagery.start(cache(), seed)) {
                    return new LabelledDataset(sim.imagery(), sim.tileFeatures(threads()))
                            .build(pixels, season, reference + ", simulated imagery seed " + seed, bar);
                }
            }
            StacSettings settings = StacSettings.defaults().toBuilder().endpoint(stac)
                    .allowedApiHosts(Set.of(stac.getHost())).build();
            try (StacImagerySource imagery = new StacImagerySource(settings)) {
                FeaturePipeline features = new FeaturePipeline(new SeasonReader(imagery, SimulatedImagery.CONCURRENT_DAYS), threads());
                return new LabelledDataset(imagery, features).build(pixels, season, reference + ", " + imagery.describe(), bar);
            }
        } catch (IllegalStateException | StacException e) {
            throw new CliException(e.getMessage(), 3);
        }
    }

    private Path homeDir() {
        return CliStorage.home(home);
    }

    private Path cache() {
        if (imageryCache != null) {
            return imageryCache;
        }
        String env = System.getenv("GEOCROP_IMAGERY_SIMULATION_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : homeDir().resolve("imagery");
    }

    private static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The registry the embedded runtime and the functions read: MLflow when a tracking URI is set, otherwise the
     * geocrop-models bucket of the configured object store (local under GEOCROP_HOME, or S3).
     */
    private ModelRegistry registry() {
        return CliRegistry.open(homeDir(), name, alias);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

}
