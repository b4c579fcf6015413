package io.geocrop.cli;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.Season;
import io.geocrop.domain.Coverage;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.models.HoldOutComparison;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.ScoringRuntime;
import io.geocrop.models.SpatialSplit;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingParams;
import io.geocrop.registry.ModelAuditEntry;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistryNames;
import io.geocrop.registry.RegistrySettings;
import io.geocrop.registry.UnknownModelVersionException;
import io.geocrop.training.Dataset;
import io.geocrop.training.EmbeddedTruthDataset;
import io.geocrop.training.LabelledDataset;
import io.geocrop.training.LabelledPixels;
import io.geocrop.training.LabelledPoints;
import io.geocrop.training.LabelsException;
import io.geocrop.training.SimulatedImagery;
import io.geocrop.training.TextProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code geocrop models list | evaluate | promote | rollback}: champion and challenger through the registry API. Every
 * promotion and rollback is recorded in the registry (who, when, the metrics shown, the previous version) and
 * {@code list} shows that audit.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Model versions, aliases and their audit; compare a challenger with the champion on the same",
                "labelled spatial hold-out; promote (refused when worse beyond the margin unless --force) or roll back.",
                "The registry is MLflow when GEOCROP_MLFLOW_TRACKING_URI is set, else the geocrop-models bucket."},
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.EvaluateCommand.class,
                ModelsCommand.PromoteCommand.class, ModelsCommand.RollbackCommand.class})
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Options every subcommand has: which registry and model. */
    static final class Target {
        @Option(names = "--name", defaultValue = "${GEOCROP_MODELS_NAME:-" + RegistrySettings.DEFAULT_MODEL_NAME + "}",
                description = "Registered model name (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--home", description = "Where data is kept (default: $GEOCROP_HOME or ~/.geocrop).")
        Path home;

        ModelRegistry registry(CommandSpec spec) {
            try {
                RegistryNames.requireModelName(name);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
            return CliRegistry.open(CliStorage.home(home), name, ModelRegistry.DEFAULT_ALIAS);
        }
    }

    /** The labelled data the hold-out comes from: the training data path of {@code geocrop train}. */
    static final class Data {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Choice choice;

        static final class Choice {
            @Option(names = "--labels", paramLabel = "FILE.csv", description = "Labelled points or polygons (needs --year).")
            Path labels;

            @Option(names = "--embedded-truth", description = "The embedded simulated imagery's own ground truth.")
            boolean embeddedTruth;
        }

        @Option(names = "--year", description = "Season of the labels (default " + EmbeddedTruthDataset.DEMO_YEAR
                + " with --embedded-truth).")
        Integer year;

        @Option(names = "--seed", defaultValue = "${GEOCROP_IMAGERY_SIMULATION_SEED:-42}",
                description = "Seed of the simulated imagery and of the held-out split (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--tiles", defaultValue = "1", description = "With --embedded-truth: 512 px tiles (default ${DEFAULT-VALUE}).")
        int tiles;

        @Option(names = "--max-rows-per-class", defaultValue = "3000",
                description = "With --embedded-truth: sampled pixels per class at most (default ${DEFAULT-VALUE}).")
        int maxRowsPerClass;

        @Option(names = "--hold-out", description = "Share of spatial blocks held out (default ${DEFAULT-VALUE}).")
        double holdOut = TrainingParams.defaults().holdOutFraction();

        @Option(names = "--source", defaultValue = "${GEOCROP_IMAGERY_SOURCE:-simulated}",
                description = "Imagery for --labels: simulated (default) or dea.")
        String source;

        @Option(names = "--stac", defaultValue = "${GEOCROP_IMAGERY_STAC_ENDPOINT:-https://explorer.digitalearth.africa/stac/}",
                description = "STAC API for --source dea.")
        URI stac;

        @Option(names = "--imagery-cache", description = "Where simulated imagery is kept (default: $GEOCROP_HOME/imagery).")
        Path imageryCache;

        boolean given() {
            return choice != null;
        }

        Dataset build(Path home, CommandSpec spec) throws IOException {
            if (!(holdOut > 0 && holdOut < 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hold-out must be between 0 and 1, got " + holdOut);
            }
            Path cache = imageryCache != null ? imageryCache : Path.of(CliStorage.env("GEOCROP_IMAGERY_SIMULATION_DIR",
                    home.resolve("imagery").toString()));
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
            TextProgressBar bar = new TextProgressBar(System.err);
            try {
                if (choice.embeddedTruth) {
                    int y = year != null ? year : EmbeddedTruthDataset.DEMO_YEAR;
                    try (SimulatedImagery sim = SimulatedImagery.start(cache, seed)) {
                        return new EmbeddedTruthDataset(sim.dea(), sim.imagery(), sim.tileFeatures(threads))
                                .build(new EmbeddedTruthDataset.Options(y, tiles, maxRowsPerClass, 64), bar);
                    }
                }
                if (year == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--labels needs --year");
                }
                LabelledPixels pixels;
                try {
                    pixels = LabelledPixels.of(LabelledPoints.read(choice.labels, Coverage.ZIMBABWE),
                            choice.labels.getFileName().toString());
                } catch (LabelsException e) {
                    throw new CliException(e.getMessage(), 2);
                }
                Season season = new Season(year);
                String reference = choice.labels.getFileName() + ", season " + year;
                if (source.equalsIgnoreCase("simulated")) {
                    try (SimulatedImagery sim = SimulatedImagery.start(cache, seed)) {
                        return new LabelledDataset(sim.imagery(), sim.tileFeatures(threads)).build(pixels, season, reference, bar);
                    }
                }
                StacSettings settings = StacSettings.defaults().toBuilder().endpoint(stac)
                        .allowedApiHosts(Set.of(stac.getHost())).build();
                try (StacImagerySource imagery = new StacImagerySource(settings)) {
                    var features = new FeaturePipeline(new SeasonReader(imagery, SimulatedImagery.CONCURRENT_DAYS), threads);
                    return new LabelledDataset(imagery, features).build(pixels, season, reference, bar);
                }
            } catch (IllegalStateException | StacException e) {
                throw new CliException(e.getMessage(), 3);
            } finally {
                bar.finish();
            }
        }
    }

    // ---- list ----------------------------------------------------------------------------------------------

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the versions (with their held-out metrics), the aliases and the audit of promotions.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Override
        public Integer call() {
            ModelRegistry registry = target.registry(spec);
            System.out.print(listing(registry, target.name));
            return 0;
        }
    }

    /** What {@code list} prints. */
    static String listing(ModelRegistry registry, String name) {
        StringBuilder out = new StringBuilder();
        List<String> versions = registry.versions(name);
        Map<String, String> aliases = registry.aliases(name);
        out.append("Model ").append(name).append(" in ").append(registry).append(System.lineSeparator());
        if (versions.isEmpty()) {
            out.append("No versions.").append(System.lineSeparator());
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%-8s %-22s %-9s %-7s %-7s %s%n", "Version", "Aliases", "Synthetic",
                "OA", "Kappa", "Created / training data"));
        for (String v : versions) {
            List<String> on = aliases.entrySet().stream().filter(e -> e.getValue().equals(v)).map(Map.Entry::getKey).toList();
            ModelCard card = registry.version(name, v).map(ModelArtifact::card).orElse(null);
            if (card == null) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-8s %-22s %-9s %-7s %-7s %s, %s%n", v,
                    on.isEmpty() ? "-" : String.join(",", on), card.synthetic() ? "yes" : "no",
                    metric(card, "overall_accuracy"), metric(card, "kappa"), card.createdAt(),
                    card.trainingData().length() > 60 ? card.trainingData().substring(0, 57) + "..." : card.trainingData()));
        }
        List<ModelAuditEntry> audit = registry.audit(name);
        out.append(System.lineSeparator()).append("Audit (promotions and rollbacks, oldest first):").append(System.lineSeparator());
        if (audit.isEmpty()) {
            out.append("  none recorded").append(System.lineSeparator());
        }
        for (ModelAuditEntry e : audit) {
            out.append(String.format(Locale.ROOT, "  %s  %-8s %s: %s -> %s by %s", e.at(), e.action(), e.alias(),
                    e.previousVersion() == null ? "(unset)" : e.previousVersion(), e.version(), e.user()));
            if (!e.metrics().isEmpty()) {
                StringBuilder m = new StringBuilder();
                e.metrics().forEach((k, val) -> m.append(m.isEmpty() ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", val)));
                out.append(" [").append(m).append(']');
            }
            if (!e.note().isEmpty()) {
                out.append(" - ").append(e.note());
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String metric(ModelCard card, String key) {
        Double v = card.metrics().get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    // ---- evaluate --------------------------------------------------------------------------------------------

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = {"Scores a challenger and the champion on the same labelled spatial hold-out (the blocks",
                    "geocrop train would hold out for this data and seed) and prints OA, kappa and per-class F1 with",
                    "95 % block-bootstrap intervals, and the paired difference."})
    static final class EvaluateCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Mixin
        Data data;

        @Option(names = "--challenger", required = true, description = "Challenger version, or an alias (e.g. challenger).")
        String challenger;

        @Option(names = "--alias", defaultValue = ModelRegistry.DEFAULT_ALIAS,
                description = "Alias of the champion (default ${DEFAULT-VALUE}).")
        String alias;

        @Override
        public Integer call() throws Exception {
            if (!data.given()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "evaluate needs labelled data: --labels FILE.csv --year Y, or --embedded-truth");
            }
            ModelRegistry registry = target.registry(spec);
            ModelArtifact ch = artifact(registry, target.name, challenger);
            ModelArtifact champ = registry.resolve(target.name, alias).orElseThrow(() -> new CliException(
                    "model " + target.name + " has no alias " + alias + " to compare with", 3));
            Dataset dataset = data.build(CliStorage.home(target.home), spec);
            HoldOutComparison.Comparison c = compare(ch, champ, dataset.data(), data.holdOut, data.seed);
            System.out.print(report(c, ch.card(), champ.card(), alias));
            return 0;
        }
    }

    /** A version number, or an alias resolved to its version. */
    static ModelArtifact artifact(ModelRegistry registry, String name, String versionOrAlias) {
        if (versionOrAlias.matches("[1-9][0-9]*")) {
            return registry.version(name, versionOrAlias).orElseThrow(() -> new CliException(
                    "model " + name + " has no version " + versionOrAlias, 3));
        }
        return registry.resolve(name, versionOrAlias).orElseThrow(() -> new CliException(
                "model " + name + " has no alias " + versionOrAlias, 3));
    }

    /**
     * Splits {@code data} into spatial blocks exactly as training does ({@link SpatialSplit} with the hold-out share
     * and seed) and scores the held-out rows with both models.
     */
    static HoldOutComparison.Comparison compare(ModelArtifact challenger, ModelArtifact champion, TrainingData data,
                                                double holdOut, long seed) {
        SpatialSplit split = SpatialSplit.split(data.groups(), data.labels(), holdOut, seed);
        int[] test = split.testRows();
        int f = data.featureCount();
        float[] rows = new float[test.length * f];
        int[] actual = new int[test.length];
        int[] groups = new int[test.length];
        for (int i = 0; i < test.length; i++) {
            System.arraycopy(data.rows(), test[i] * f, rows, i * f, f);
            actual[i] = data.labels()[test[i]];
            groups[i] = data.groups()[test[i]];
        }
        return HoldOutComparison.compare(actual, predict(challenger, rows, test.length),
                predict(champion, rows, test.length), groups, HoldOutComparison.DEFAULT_REPLICATES, seed);
    }

    private static int[] predict(ModelArtifact model, float[] rows, int n) {
        byte[] classes = new byte[n];
        byte[] confidence = new byte[n];
        try (PixelClassifier classifier = ScoringRuntime.DEFAULT.load(model, 1)) {
            classifier.classify(rows, n, classes, confidence);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = classes[i] & 0xff;
        }
        return out;
    }

    /** The comparison as a table. */
    static String report(HoldOutComparison.Comparison c, ModelCard challenger, ModelCard champion, String alias) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Hold-out: %d rows in %d spatial blocks; 95 %% intervals from %d block-bootstrap replicates%n",
                c.rows(), c.blocks(), c.replicates()));
        out.append(String.format(Locale.ROOT, "%-22s %-28s %-28s%n", "", "challenger v" + challenger.version(),
                alias + " v" + champion.version()));
        out.append(row("Overall accuracy", c.challenger().overallAccuracy(), c.champion().overallAccuracy()));
        out.append(row("Kappa", c.challenger().kappa(), c.champion().kappa()));
        for (Map.Entry<Integer, HoldOutComparison.Interval> e : c.challenger().f1().entrySet()) {
            HoldOutComparison.Interval other = c.champion().f1().get(e.getKey());
            out.append(row("F1 " + CropClass.ofCode(e.getKey()).map(CropClass::id).orElse("class_" + e.getKey()),
                    e.getValue(), other));
        }
        out.append(String.format(Locale.ROOT, "Kappa difference (challenger - %s): %s%n", alias, format(c.kappaDifference())));
        out.append(String.format(Locale.ROOT, "OA difference (challenger - %s):    %s%n", alias, format(c.oaDifference())));
        return out.toString();
    }

    private static String row(String label, HoldOutComparison.Interval a, HoldOutComparison.Interval b) {
        return String.format(Locale.ROOT, "%-22s %-28s %-28s%n", label, format(a), b == null ? "-" : format(b));
    }

    private static String format(HoldOutComparison.Interval i) {
        if (!Double.isFinite(i.value())) {
            return "-";
        }
        return Double.isFinite(i.low())
                ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.value(), i.low(), i.high())
                : String.format(Locale.ROOT, "%.3f", i.value());
    }

    // ---- promote ---------------------------------------------------------------------------------------------

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Points the alias (default champion) at a version, after comparing it with the current",
                    "champion on a labelled hold-out: refused when its kappa is below the champion's by more than",
                    "--margin (geocrop.models.promote-margin, GEOCROP_MODELS_PROMOTE_MARGIN) unless --force. Recorded",
                    "in the registry's audit with the metrics."})
    static final class PromoteCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;
        @Mixin
        Data data;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The version to promote (or an alias naming it).")
        String version;

        @Option(names = "--alias", defaultValue = ModelRegistry.DEFAULT_ALIAS, description = "Alias to move (default ${DEFAULT-VALUE}).")
        String alias;

        @Option(names = "--margin", description = "Largest kappa deficit accepted without --force (default:"
                + " geocrop.models.promote-margin, GEOCROP_MODELS_PROMOTE_MARGIN, 0.01).")
        Double margin;

        @Option(names = "--force", description = "Promote even if worse beyond the margin, or without evaluating.")
        boolean force;

        @Option(names = "--user", defaultValue = "${GEOCROP_USER:-${sys:user.name}}",
                description = "Who promotes, for the audit (default ${DEFAULT-VALUE}).")
        String user;

        @Override
        public Integer call() throws Exception {
            if (margin == null) {
                margin = configuredMargin();
            }
            if (!(margin >= 0 && margin < 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--margin must be in [0, 1), got " + margin);
            }
            ModelRegistry registry = target.registry(spec);
            ModelArtifact candidate = artifact(registry, target.name, version);
            Optional<ModelArtifact> current = registry.resolve(target.name, alias);
            Map<String, Double> metrics = new LinkedHashMap<>();
            String note;
            if (current.isPresent() && current.get().card().version().equals(candidate.card().version())) {
                System.out.printf("%s@%s is already version %s%n", target.name, alias, candidate.card().version());
                return 0;
            }
            if (current.isEmpty()) {
                note = alias + " was not set";
            } else if (!data.given()) {
                if (!force) {
                    throw new CliException("promote compares version " + candidate.card().version() + " with "
                            + alias + " v" + current.get().card().version() + " on a labelled hold-out first: give"
                            + " --labels FILE.csv --year Y or --embedded-truth, or --force to promote without it", 2);
                }
                note = "forced without evaluation";
            } else {
                Dataset dataset = data.build(CliStorage.home(target.home), spec);
                HoldOutComparison.Comparison c = compare(candidate, current.get(), dataset.data(), data.holdOut, data.seed);
                System.out.print(report(c, candidate.card(), current.get().card(), alias));
                Decision d = decide(c, margin, force);
                metrics.putAll(d.metrics());
                note = d.note();
                if (!d.promote()) {
                    System.out.println("Refused: " + note);
                    return 5;
                }
            }
            promote(registry, target.name, candidate.card().version(), alias, user, metrics, note,
                    ModelAuditEntry.PROMOTE, Clock.systemUTC());
            System.out.printf("%s@%s -> version %s (%s); recorded in the audit%n", target.name, alias,
                    candidate.card().version(), note);
            return 0;
        }
    }

    /**
     * {@code geocrop.models.promote-margin} from application.yml (and its environment override), read without
     * starting the application: only the property sources are loaded.
     */
    static double configuredMargin() {
        try (io.micronaut.context.ApplicationContext ctx = io.micronaut.context.ApplicationContext.builder()
                .deduceEnvironment(false).banner(false).build()) {
            io.micronaut.context.env.Environment env = ctx.getEnvironment().start();
            return env.getProperty("geocrop.models.promote-margin", Double.class).orElseThrow(() ->
                    new CliException("geocrop.models.promote-margin is not configured (application.yml)", 2));
        }
    }

    /** Whether to promote, the metrics to record and why. */
    record Decision(boolean promote, Map<String, Double> metrics, String note) {}

    /** The promotion rule: refused when the challenger's kappa is below the champion's by more than the margin. */
    static Decision decide(HoldOutComparison.Comparison c, double margin, boolean force) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("challenger_kappa", c.challenger().kappa().value());
        m.put("champion_kappa", c.champion().kappa().value());
        m.put("challenger_overall_accuracy", c.challenger().overallAccuracy().value());
        m.put("champion_overall_accuracy", c.champion().overallAccuracy().value());
        m.put("kappa_difference_low95", c.kappaDifference().low());
        m.put("kappa_difference_high95", c.kappaDifference().high());
        m.put("hold_out_rows", (double) c.rows());
        m.put("margin", margin);
        double diff = c.kappaDifference().value();
        if (diff >= -margin) {
            return new Decision(true, m, String.format(Locale.ROOT, "kappa %+.4f against the champion (margin %.4f)", diff, margin));
        }
        String worse = String.format(Locale.ROOT, "kappa %.4f below the champion, beyond the margin %.4f", -diff, margin);
        return force ? new Decision(true, m, "forced: " + worse) : new Decision(false, m, worse + " (use --force to promote anyway)");
    }

    /** Moves the alias and records it; the audit names the version the alias pointed at before. */
    static void promote(ModelRegistry registry, String name, String version, String alias, String user,
                        Map<String, Double> metrics, String note, String action, Clock clock) {
        String previous = registry.aliases(name).get(alias);
        try {
            registry.promote(name, version, alias);
        } catch (UnknownModelVersionException e) {
            throw new CliException(e.getMessage(), 3);
        }
        registry.recordAudit(name, new ModelAuditEntry(action, alias, version, previous, user, Instant.now(clock),
                metrics, note));
    }

    // ---- rollback --------------------------------------------------------------------------------------------

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Points the alias back at the version it had before its last recorded promotion (or at",
                    "--to VERSION), and records the rollback in the audit."})
    static final class RollbackCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Option(names = "--alias", defaultValue = ModelRegistry.DEFAULT_ALIAS, description = "Alias to move back (default ${DEFAULT-VALUE}).")
        String alias;

        @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to (default: the previous one).")
        String to;

        @Option(names = "--user", defaultValue = "${GEOCROP_USER:-${sys:user.name}}",
                description = "Who rolls back, for the audit (default ${DEFAULT-VALUE}).")
        String user;

        @Override
        public Integer call() {
            ModelRegistry registry = target.registry(spec);
            String current = registry.aliases(target.name).get(alias);
            if (current == null) {
                throw new CliException("model " + target.name + " has no alias " + alias + " to roll back", 3);
            }
            String back = to != null ? to : previousVersion(registry.audit(target.name), alias, current)
                    .orElseThrow(() -> new CliException("no recorded promotion of " + target.name + "@" + alias
                            + " to version " + current + " says what came before: use --to VERSION", 3));
            promote(registry, target.name, back, alias, user, Map.of(), "rolled back from version " + current,
                    ModelAuditEntry.ROLLBACK, Clock.systemUTC());
            System.out.printf("%s@%s -> version %s (was %s); recorded in the audit%n", target.name, alias, back, current);
            return 0;
        }
    }

    /**
     * The version before the latest recorded promotion of {@code alias} onto {@code current}. Rollbacks are not
     * followed: rolling back a rollback would re-promote a version without evaluating it (use promote for that).
     */
    static Optional<String> previousVersion(List<ModelAuditEntry> audit, String alias, String current) {
        for (int i = audit.size() - 1; i >= 0; i--) {
            ModelAuditEntry e = audit.get(i);
            if (e.action().equals(ModelAuditEntry.PROMOTE) && e.alias().equals(alias) && e.version().equals(current)
                    && e.previousVersion() != null) {
                return Optional.of(e.previousVersion());
            }
        }
        return Optional.empty();
    }
}
