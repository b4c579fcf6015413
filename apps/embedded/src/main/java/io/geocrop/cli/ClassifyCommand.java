package io.geocrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.UtmZone;
import io.geocrop.embedded.DemoModelSource;
import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.models.Evaluation;
import io.geocrop.models.Metrics;
import io.geocrop.models.ModelCard;
import io.geocrop.registry.ModelCardJson;
import io.geocrop.imagery.sim.SimulatedLandscape;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.scoring.ModelSource;
import io.geocrop.training.TextProgressBar;
import io.geocrop.training.TrainingReport;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code geocrop classify}: GeoCrop's main job on the embedded default, in this process. Starts every function in
 * one JVM, submits the AOI through the HTTP API like any client, follows the job through extraction, scoring and
 * assembly, then copies the crop-type COG, its PNG preview and the area summary to {@code --out} and prints the
 * area of each class. With the simulated imagery it also compares the map with the landscape's ground truth.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Maps the crop types of a circle around (lon, lat) for a season, end to end, in this process:",
                "submit -> features -> score -> COG. Writes crop-map.tif (a Cloud-Optimized GeoTIFF), preview.png and",
                "summary.json to --out and prints a per-class area table in hectares.",
                "Imagery: the embedded simulated Digital Earth Africa (offline, default). On first run the demo model is",
                "trained from that simulated imagery (a few minutes, once)."})
final class ClassifyCommand implements Callable<Integer> {
    @Mixin
    AoiOptions aoi;

    @Option(names = "--out", required = true, description = "Directory for crop-map.tif, preview.png and summary.json.")
    Path out;

    @Option(names = "--home", description = "Where data is kept (default: $GEOCROP_HOME or ~/.geocrop).")
    Path home;

    /** Set by {@link GeoCropCli} when a running {@code ./geocrop serve} holds the home: the job goes to it. */
    String server;

    @Option(names = "--timeout-min", defaultValue = "120", description = "Give up after this many minutes (default ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        aoi.validate();
        Files.createDirectories(out);
        if (server != null) {
            return viaServer();
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("micronaut.server.port", -1);
        // A one-shot job needs no S3 API, and must not take the port of a `geocrop serve` running beside it.
        overrides.put("geocrop.embedded.s3.enabled", false);
        if (home != null) {
            overrides.put("geocrop.home", home.toAbsolutePath().toString());
        }
        StageClock clock = new StageClock();
        TextProgressBar bar = new TextProgressBar(System.err);
        clock.start("start-up");
        try (ApplicationContext context = EmbeddedApplication.start(overrides)) {
            clock.start("model");
            ensureModel(context, bar);
            ApiClient api = new ApiClient(EmbeddedApplication.baseUrl(context));
            FinishedJob finished = runJob(api, null, bar, clock);
            boolean simulated = "simulated".equals(context.getProperty("geocrop.imagery.source", String.class)
                    .orElse("simulated"));
            long seed = context.getProperty("geocrop.imagery.simulation-seed", Long.class).orElse(42L);
            printResult(finished, context.getBean(ModelSource.class).card(), clock,
                    simulated ? OptionalLong.of(seed) : OptionalLong.empty());
            return 0;
        } finally {
            bar.finish();
        }
    }

    /**
     * A job that ran to its end: its {@code summary.json}, and its cost as the job API gives it once complete (the
     * assembly records its own before completing; the summary's copy stops just before the summary is written).
     */
    private record FinishedJob(JsonNode summary, JsonNode cost) {}

    /**
     * Submits the AOI, follows the job to its end and downloads its results to {@code --out}.
     */
    private FinishedJob runJob(ApiClient api, String apiKey, TextProgressBar bar, StageClock clock) throws Exception {
        JsonNode job = api.post("jobs", aoi.jobBody().toString(), apiKey);
        String id = job.path("id").asText();
        System.err.printf("Job %s: %s%n", id, job.path("links").path("self").asText());
        follow(api, id, bar, clock);
        bar.finish();
        clock.start("download");
        api.download("jobs/" + id + "/results/cog", out.resolve("crop-map.tif"));
        api.download("jobs/" + id + "/results/preview", out.resolve("preview.png"));
        api.download("jobs/" + id + "/results/summary", out.resolve("summary.json"));
        clock.stop();
        JsonNode summary = ApiClient.JSON.readTree(out.resolve("summary.json").toFile());
        JsonNode cost = api.poll("jobs/" + id).map(view -> view.path("cost")).orElse(summary.path("cost"));
        return new FinishedJob(summary, cost);
    }

    /**
     * The job sent to the {@code ./geocrop serve} that holds the home ({@link #server}): that process has the home's
     * database, so this one starts nothing and is a client of its HTTP API, with the same progress, results and area
     * table. The server trains the demo model itself if it has none yet (before the first tile is scored). The
     * comparison with the simulated ground truth is left out: the server's simulation seed is its own configuration.
     */
    private Integer viaServer() throws Exception {
        StageClock clock = new StageClock();
        TextProgressBar bar = new TextProgressBar(System.err);
        try {
            ApiClient api = new ApiClient(server);
            System.err.printf("./geocrop serve is running on this home: sending the job to it at %s%n", server);
            clock.start("model");
            Optional<ModelCard> card = remoteCard(api);
            if (card.isPresent()) {
                System.err.printf("Model %s v%s%s%n", card.get().name(), card.get().version(),
                        card.get().synthetic() ? " (demo model trained on simulated imagery)" : "");
            } else {
                System.err.println("No model registered yet: the server makes the demo model before the first tile is"
                        + " scored (a few minutes, once)");
            }
            FinishedJob finished = runJob(api, CliStorage.env("GEOCROP_INGRESS_API_KEY", null), bar, clock);
            printResult(finished, remoteCard(api), clock, OptionalLong.empty());
            return 0;
        } finally {
            bar.finish();
        }
    }

    /** The server's model card ({@code GET /model}), empty while none is registered. */
    private static Optional<ModelCard> remoteCard(ApiClient api) throws Exception {
        Optional<JsonNode> card = api.find("model");
        return card.isEmpty() ? Optional.empty()
                : Optional.of(ModelCardJson.read(ApiClient.JSON.writeValueAsBytes(card.get()), "GET /model"));
    }

    /**
     * Makes sure a model is there before the job starts, so its time is its own stage: on the embedded default the
     * demo model is trained from the simulated imagery on first run (with a progress bar), otherwise the registered
     * model must exist.
     */
    static void ensureModel(ApplicationContext context, TextProgressBar bar) {
        Optional<DemoModelSource> demo = context.findBean(DemoModelSource.class);
        if (demo.isPresent()) {
            demo.get().ensureDemoModel(bar);
            bar.finish();
        }
        ModelSource models = context.getBean(ModelSource.class);
        ModelCard card = models.card().orElseThrow(() -> new CliException(
                "no model is registered; train one with ./geocrop train --publish", 3));
        System.err.printf("Model %s v%s%s%n", card.name(), card.version(),
                card.synthetic() ? " (demo model trained on simulated imagery)" : "");
    }

    /**
     * What a finished job prints, whichever process ran it: the area table, the model's held-out evaluation, the
     * comparison with the simulated ground truth when its seed is known ({@code groundTruthSeed}), the drift of the
     * area's imagery from the training data, where the files went, the stage times and the job's cost.
     */
    private void printResult(FinishedJob finished, Optional<ModelCard> card, StageClock clock,
                             OptionalLong groundTruthSeed) throws Exception {
        printAreas(finished.summary());
        card.ifPresent(c -> System.out.printf("%nModel %s v%s%s: %s%n", c.name(), c.version(),
                c.synthetic() ? " (demo model, simulated imagery)" : "", TrainingReport.heldOutSummary(c.metrics(), 5)));
        if (groundTruthSeed.isPresent()) {
            printAccuracy(out.resolve("crop-map.tif"), groundTruthSeed.getAsLong());
        }
        String drift = driftLine(finished.summary());
        if (!drift.isEmpty()) {
            System.out.printf("%n%s%n", drift);
        }
        System.out.printf("%nWrote %s, %s and %s%n", out.resolve("crop-map.tif"), out.resolve("preview.png"),
                out.resolve("summary.json"));
        System.out.println(clock.table());
        System.out.println(JobCostTable.format(finished.cost()));
    }

    /**
     * The summary's drift block in one line ("Drift from the training data: moderate (0.24): ..."), or nothing when
     * the summary has none (a model card without a training distribution).
     */
    static String driftLine(JsonNode summary) {
        JsonNode drift = summary.path("drift");
        if (drift.isMissingNode() || drift.isNull()) {
            return "";
        }
        if (!drift.path("available").asBoolean(false)) {
            return "Drift from the training data: not computed (" + drift.path("reason").asText("no reason given") + ")";
        }
        return String.format(Locale.ROOT, "Drift from the training data: %s (%.2f): %s", drift.path("level").asText(),
                drift.path("score").asDouble(), drift.path("words").asText());
    }

    /** Polls the job until it completes (progress bar per state) or fails (its reason becomes the error). */
    private JsonNode follow(ApiClient api, String id, TextProgressBar bar, StageClock clock) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMinutes * 60_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> answer = api.poll("jobs/" + id);
            if (answer.isEmpty()) {
                continue; // the server is busy; the job goes on, and the deadline still holds
            }
            JsonNode job = answer.get();
            JsonNode tiles = job.path("tiles");
            String now = job.path("state").asText();
            // Scoring starts with the first tile while others are still extracted: time counts as extracting until
            // every tile's features are written, so the breakdown says where the time went.
            if (now.equals("scoring") && tiles.path("extracted").asLong() < tiles.path("total").asLong()) {
                now = "extracting";
            }
            if (!now.equals(state)) {
                clock.start(now);
                state = now;
            }
            switch (now) {
                case "completed" -> {
                    clock.stop();
                    return job;
                }
                case "failed" -> throw new CliException("job " + id + " failed: " + job.path("failure_reason").asText(), 4);
                case "extracting" -> bar.progress("features", tiles.path("extracted").asLong(), tiles.path("total").asLong());
                case "scoring" -> bar.progress("scoring", tiles.path("scored").asLong(), tiles.path("total").asLong());
                default -> bar.progress(now, 0, 0);
            }
            Thread.sleep(200);
        }
        throw new CliException("job " + id + " did not finish within " + timeoutMinutes + " minutes", 4);
    }

    private static void printAreas(JsonNode summary) {
        JsonNode model = summary.path("model");
        System.out.printf("%nModel %s v%s%s%n", model.path("name").asText(), model.path("version").asText(),
                model.path("synthetic").asBoolean() ? " (demo model trained on simulated imagery)" : "");
        System.out.print(areaTable(summary));
    }

    /**
     * The area table: per class the mapped hectares and share, and the error-adjusted hectares with their 95 %
     * interval when the summary has them ({@code area_estimate}), then what the adjusted figures assume.
     */
    static String areaTable(JsonNode summary) {
        StringBuilder out = new StringBuilder();
        JsonNode estimate = summary.path("area_estimate");
        boolean adjusted = estimate.path("available").asBoolean(false);
        Map<Integer, JsonNode> mapped = new java.util.TreeMap<>();
        Map<Integer, JsonNode> adjustedRows = new java.util.TreeMap<>();
        Map<Integer, String> labels = new java.util.TreeMap<>();
        for (JsonNode c : summary.path("classes")) {
            mapped.put(c.path("code").asInt(), c);
            labels.put(c.path("code").asInt(), c.path("label").asText());
        }
        if (adjusted) {
            for (JsonNode c : estimate.path("classes")) {
                adjustedRows.put(c.path("code").asInt(), c);
                labels.putIfAbsent(c.path("code").asInt(), c.path("label").asText());
            }
        }
        double total = summary.path("total_hectares").asDouble();
        if (adjusted) {
            out.append(String.format(Locale.ROOT, "%-20s %12s %7s %14s %11s%n", "Class", "Mapped ha", "Share",
                    "Adjusted ha", "95 % CI"));
        } else {
            out.append(String.format(Locale.ROOT, "%-20s %12s %7s%n", "Class", "Mapped ha", "Share"));
        }
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            double ha = mapped.containsKey(e.getKey()) ? mapped.get(e.getKey()).path("hectares").asDouble() : 0;
            out.append(String.format(Locale.ROOT, "%-20s %12.2f %6.1f%%", e.getValue(), ha,
                    total > 0 ? 100 * ha / total : 0));
            JsonNode a = adjustedRows.get(e.getKey());
            if (a != null) {
                out.append(String.format(Locale.ROOT, " %14.2f %11s", a.path("adjusted_hectares").asDouble(),
                        String.format(Locale.ROOT, "± %.2f", a.path("ci95_hectares").asDouble())));
            } else if (adjusted) {
                out.append(String.format(Locale.ROOT, " %14.2f %11s", 0.0, "± 0.00"));
            }
            out.append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "%-20s %12.2f%n", "Total", total));
        if (adjusted) {
            out.append(String.format(Locale.ROOT,
                    "Adjusted ha: error-adjusted estimate with a 95 %% confidence interval from the model's held-out%n"
                            + "confusion matrix (%d rows; Olofsson et al. 2014); %s.%n",
                    estimate.path("held_out_rows").asLong(), estimate.path("assumption").asText()));
            List<String> unverified = new java.util.ArrayList<>();
            estimate.path("unverified_classes").forEach(n -> unverified.add(n.asText()));
            if (!unverified.isEmpty()) {
                out.append("Kept as mapped, without an interval (too few held-out rows predicted as them): ")
                        .append(String.join(", ", unverified)).append(System.lineSeparator());
            }
        } else if (estimate.has("reason")) {
            out.append("No error-adjusted areas: ").append(estimate.path("reason").asText())
                    .append(System.lineSeparator());
        }
        return out.toString();
    }

    /**
     * Compares the map with the simulated landscape's ground truth on every classified pixel: overall accuracy
     * and Cohen's kappa. Only meaningful for the simulated imagery, whose truth is known everywhere.
     */
    private static void printAccuracy(Path cog, long seed) throws Exception {
        try (GeoTiff tiff = GeoTiffReader.open(FileByteSource.open(cog))) {
            RasterMetadata m = tiff.metadata();
            Raster classes = tiff.read(0, new RasterWindow(0, 0, m.width(), m.height()), new int[] {0});
            SimulatedLandscape landscape = new SimulatedLandscape(seed, UtmZone.ofEpsg(m.epsg()));
            Raster truth = landscape.truth(m.transform().originX(), m.transform().originY(), m.width(), m.height());
            int count = CropClass.values().length;
            long[][] confusion = new long[count][count];
            byte[] predicted = classes.bytes(0);
            byte[] actual = truth.bytes(0);
            long n = 0;
            for (int i = 0; i < predicted.length; i++) {
                int p = predicted[i] & 0xFF;
                int a = actual[i] & 0xFF;
                if (p != CropClass.NODATA && a != CropClass.NODATA) {
                    confusion[a - 1][p - 1]++; // codes 1..11 to matrix indices 0..10
                    n++;
                }
            }
            if (n == 0) {
                return;
            }
            List<Integer> codes = Arrays.stream(CropClass.values()).map(CropClass::code).toList();
            Evaluation e = Metrics.fromConfusion(confusion, codes, 0);
            System.out.printf(Locale.ROOT, "%nAgainst the simulated ground truth: overall accuracy %.1f %%, kappa %.3f (%d pixels)%n",
                    100 * e.overallAccuracy(), e.kappa(), n);
            String confused = TrainingReport.confusionSummary(TrainingReport.confusionMetrics(e), 5);
            if (!confused.isEmpty()) {
                System.out.println("  mixed up in this map (share of the actual class): " + confused);
            }
        }
    }
}
