package io.geocrop.embedded;

import io.geocrop.models.ModelCard;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.ProgressListener;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.score.ModelSettings;
import io.geocrop.scoring.ModelProvider;
import io.geocrop.scoring.ModelSource;
import io.geocrop.scoring.NoModelException;
import io.geocrop.training.DemoModel;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's model source: the registry-backed source every function uses, plus a first-run bootstrap.
 * When scoring first needs a model and the registry has none under the configured name and alias, it trains the
 * demo model from the embedded simulated imagery ({@link DemoModel#ensure}: deterministic, card marked
 * {@code synthetic}), publishes it, and then serves it. Concurrent first calls train once. A registered model that
 * cannot be loaded is reported, never trained over.
 *
 * <p>Active in the embedded runtime with simulated imagery when {@code geocrop.models.train-demo-if-missing} is
 * true (the embedded default; {@code GEOCROP_MODELS_TRAIN_DEMO_IF_MISSING=false} turns it off); the cluster
 * functions never train. It is the {@code @Primary} {@link ModelSource}, wrapping score-tile's {@link ModelProvider}.
 */
@Singleton
@Primary
@Requires(property = "geocrop.models.train-demo-if-missing", value = "true", defaultValue = "true")
@Requires(property = "geocrop.imagery.source", value = "simulated")
public final class DemoModelSource implements ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(DemoModelSource.class);

    /** What the bootstrap is doing, for the UI: the stage, how far, since when. */
    public record Training(String stage, long done, long total, Instant startedAt) {}

    private final ModelSource delegate;
    private final ModelRegistry registry;
    private final String name;
    private final String alias;
    private final DemoModel.Config config;
    private final AtomicReference<Training> training = new AtomicReference<>();

    /** The embedded wiring: the demo model is trained from the same simulated imagery (cache and seed) jobs read. */
    @Inject
    public DemoModelSource(ModelProvider provider, ModelRegistry registry, ModelSettings models,
                           SimulatedImagerySettings imagery, GeoCropSettings geocrop) {
        this(provider, registry, models.name(), models.alias(), DemoModel.Config.defaults(
                imagery.cacheDir(geocrop.resolvedHome()), imagery.simulationSeed()));
    }

    /**
     * @param delegate the registry-backed source (resolves {@code name@alias}, loads once)
     * @param registry the registry the delegate reads, where the demo model is published
     * @param config   how the demo model is made (imagery cache and seed shared with the embedded imagery)
     */
    public DemoModelSource(ModelSource delegate, ModelRegistry registry, String name, String alias,
                           DemoModel.Config config) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.name = Objects.requireNonNull(name, "name");
        this.alias = Objects.requireNonNull(alias, "alias");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public PixelClassifier classifier() {
        try {
            return delegate.classifier();
        } catch (NoModelException missing) {
            if (registry.card(name, alias).isPresent()) {
                throw missing; // a model is registered but does not load: say so, do not train over it
            }
            ensureDemoModel();
            return delegate.classifier();
        }
    }

    @Override
    public Optional<ModelCard> card() {
        return delegate.card();
    }

    /** The training in progress, if the demo model is being trained right now. */
    public Optional<Training> training() {
        return Optional.ofNullable(training.get());
    }

    /** Trains and publishes the demo model unless the registry has one (callers wait for a single training). */
    public void ensureDemoModel() {
        ensureDemoModel(ProgressListener.NONE);
    }

    /**
     * {@link #ensureDemoModel()}, also telling {@code also} of the training's progress (a CLI progress bar: stages
     * {@code imagery}, {@code features}, {@code train}, ...). Returns at once when the registry has the model.
     */
    public void ensureDemoModel(ProgressListener also) {
        Objects.requireNonNull(also, "also");
        Instant started = Instant.now();
        ProgressListener progress = new ProgressListener() {
            private String lastStage;

            @Override
            public void progress(String stage, long done, long total) {
                training.set(new Training(stage, done, total, started));
                also.progress(stage, done, total);
                if (!stage.equals(lastStage)) {
                    lastStage = stage;
                    LOG.info("Demo model: {} ...", stage);
                }
            }
        };
        try {
            if (registry.card(name, alias).isEmpty()) {
                LOG.info("{}: {}@{} is not in {}; this takes a few minutes", DemoModel.TRAINING_MESSAGE, name, alias,
                        registry);
            }
            DemoModel.ensure(registry, name, alias, config, progress);
        } catch (IOException e) {
            throw new NoModelException("the demo model could not be trained from the simulated imagery in "
                    + config.imageryCache() + ": " + e.getMessage(), e);
        } finally {
            training.set(null);
        }
    }

    @Override
    public String toString() {
        return "DemoModelSource[" + name + "@" + alias + " in " + registry + ", trains the demo model if missing]";
    }
}
