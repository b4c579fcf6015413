package io.geocrop.training;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainedModel;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import io.geocrop.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo model of the embedded runtime: XGBoost trained on the embedded imagery's own ground truth
 * ({@link EmbeddedTruthDataset}), deterministic for a seed, its card marked {@code synthetic} so the UI and CLI
 * say it was trained on simulated imagery.
 */
public final class DemoModel {
    /** Logged (and shown by the CLI) when the demo model is being trained. */
    public static final String TRAINING_MESSAGE = "GeoCrop is training its demo model from simulated imagery (first run only)";

    private static final Logger LOG = LoggerFactory.getLogger(DemoModel.class);
    /** One lock per name@alias: concurrent first callers in this process train once, the others then resolve. */
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    private DemoModel() {}

    /**
     * How the demo model is made.
     *
     * @param imageryCache where the simulated COGs are cached (shared with the embedded runtime's imagery)
     * @param seed         simulation seed (the landscape, the training tiles, the sample, XGBoost and the split)
     * @param dataset      dataset options
     * @param params       XGBoost parameters
     * @param parallelism  threads computing a tile's features
     */
    public record Config(Path imageryCache, long seed, EmbeddedTruthDataset.Options dataset, TrainingParams params,
                         int parallelism) {
        /** {@link EmbeddedTruthDataset.Options#defaults()} and {@link TrainingParams#defaults()} seeded with {@code seed}. */
        public static Config defaults(Path imageryCache, long seed) {
            TrainingParams d = TrainingParams.defaults();
            return new Config(imageryCache, seed, EmbeddedTruthDataset.Options.defaults(),
                    new TrainingParams(d.rounds(), d.maxDepth(), d.eta(), d.threads(), seed, d.holdOutFraction()),
                    Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        }
    }

    /**
     * A trained demo model, its dataset, and the wall time of each stage (imagery, features, training).
     */
    public record TrainedDemo(TrainedModel model, Dataset dataset, Map<String, StageTime> stageTimes) {}

    /** The training stage's name in {@link TrainedDemo#stageTimes()}. */
    public static final String TRAINING = "training";

    /**
     * The model {@code alias} names for {@code name}; if there is none, trains the demo model, publishes it with
     * {@code alias} and returns it as published. Callers in one process wait for one training.
     *
     * @throws IOException if the simulated imagery cannot be generated or read
     */
    public static ModelArtifact ensure(ModelRegistry registry, String name, String alias, Config config,
                                       ProgressListener progress) throws IOException {
        Optional<ModelArtifact> existing = registry.resolve(name, alias);
        if (existing.isPresent() && current(existing.get())) {
            return existing.get();
        }
        synchronized (LOCKS.computeIfAbsent(name + "@" + alias, k -> new Object())) {
            existing = registry.resolve(name, alias); // trained by the caller we waited for?
            if (existing.isPresent() && current(existing.get())) {
                return existing.get();
            }
            if (existing.isPresent()) {
                LOG.info("{}: {}@{} was trained on an older simulated landscape or lacks its held-out confusion ({});"
                        + " training it again", TRAINING_MESSAGE,
                        name, alias, existing.get().card().trainingData());
            } else {
                LOG.info("{}: no model {}@{} in {}", TRAINING_MESSAGE, name, alias, registry);
            }
            TrainedDemo result = train(name, config, progress);
            ModelArtifact published = registry.publish(result.model().artifact(), alias);
            LOG.info("Demo model {} version {} published as {}@{}: held-out overall accuracy {}, kappa {}; {}",
                    name, published.card().version(), name, alias,
                    String.format("%.3f", result.model().evaluation().overallAccuracy()),
                    String.format("%.3f", result.model().evaluation().kappa()), describe(result));
            return published;
        }
    }

    /**
     * Whether a registered model may serve as the demo model: any model trained on real labels (an operator's
     * model always wins), or a demo model trained on the current simulated landscape.
     */
    static boolean current(ModelArtifact model) {
        // A demo card without its held-out confusion matrix (older than error-adjusted areas) or its training
        // distribution (older than drift) is trained again too; an operator's older card is kept (drift unavailable).
        return !model.card().synthetic() || !model.card().trainingData().startsWith("embedded ground truth")
                || (model.card().trainingData().contains(EmbeddedTruthDataset.SIMULATION_TAG)
                && !model.card().heldOutConfusion().isEmpty() && model.card().trainingDistribution() != null);
    }

    /** Trains the demo model without publishing it. */
    public static TrainedDemo train(String name, Config config, ProgressListener progress) throws IOException {
        try (SimulatedImagery sim = SimulatedImagery.start(config.imageryCache(), config.seed())) {
            Dataset dataset = new EmbeddedTruthDataset(sim.dea(), sim.imagery(), sim.tileFeatures(config.parallelism()))
                    .build(config.dataset(), progress);
            StageTime.Start started = StageTime.start();
            TrainedModel trained = new XgbTrainer().train(dataset.data(), config.params(), name, dataset.reference(),
                    true, progress);
            // The card also records which classes the held-out evaluation mixes up, for the CLI and the web app.
            ModelCard c = trained.artifact().card();
            Map<String, Double> metrics = new java.util.TreeMap<>(c.metrics());
            metrics.putAll(TrainingReport.confusionMetrics(trained.evaluation()));
            TrainedModel model = new TrainedModel(new ModelArtifact(c.withMetrics(metrics), trained.artifact().onnx()),
                    trained.evaluation());
            Map<String, StageTime> times = new LinkedHashMap<>(dataset.stageTimes());
            times.put(TRAINING, started.stop());
            return new TrainedDemo(model, dataset, times);
        }
    }

    /** "N rows, M spatial groups; imagery 41.2 s (CPU 80.1 s), features ...". */
    public static String describe(TrainedDemo result) {
        StringBuilder s = new StringBuilder().append(result.dataset().data().size()).append(" rows, ")
                .append(result.dataset().groupCount()).append(" spatial groups;");
        String sep = " ";
        for (Map.Entry<String, StageTime> e : result.stageTimes().entrySet()) {
            s.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return s.toString();
    }
}
